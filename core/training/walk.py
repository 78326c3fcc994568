"""A design's walk, layer by layer, in the order the design says (conv -> activation -> pool):
output shape, parameters, multiply-adds, receptive field and activation memory per image.

    rows = walk(design)
    rows[1].lecture              # "Conv -> (?, 28, 28, 32)", the lecture's own notation
    totals(design).parameters    # 50,186 for the lecture's basic CNN

Computed from the design alone, by the same arithmetic PyTorch uses (tests check it against a
real forward pass), so it is instant and draws nothing from the RNG.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.training.design import IMAGE_SIZE, Conv, Design, design_order, pooled_size, run_order

BYTES_PER_VALUE = 4  # float32
TRAINING_FLOPS_PER_MAC = 6  # forward 1 multiply-add (2 FLOPs); backward to inputs and to weights, 2 more


@dataclass(frozen=True)
class LayerRow:
    name: str  # the module that computes it, e.g. "layer1.0", "fc"; "" for parameter-free steps with no module
    kind: str  # Input | Conv | BatchNorm | ReLU | Tanh | Sigmoid | MaxPool | AvgPool | GlobalAvgPool | Flatten | Linear | Dropout
    block: str  # layer1, ..., fc1, fc: the block this row belongs to; "input" for the image
    shape: tuple[int, ...]  # one image's output, (C, H, W) or (F,)
    parameters: int
    macs: int  # multiply-adds for one image
    receptive_field: int | None  # input pixels a side that one output value sees; None after flatten

    @property
    def lecture(self) -> str:
        """The lecture's comment notation: channels last, '?' for the batch, e.g. 'Pool -> (?, 14, 14, 32)'."""
        dims = (self.shape[1], self.shape[2], self.shape[0]) if len(self.shape) == 3 else self.shape
        shape = "(?, " + ", ".join(map(str, dims)) + ")"
        return f"ImgIn shape={shape}" if self.kind == "Input" else f"{_LECTURE_WORDS.get(self.kind, self.kind)} -> {shape}"

    @property
    def values(self) -> int:
        """Numbers in one image's output."""
        count = 1
        for dim in self.shape:
            count *= dim
        return count


_LECTURE_WORDS = {"MaxPool": "Pool", "AvgPool": "Pool", "GlobalAvgPool": "GAP", "Linear": "FC", "Flatten": "Reshape"}
_ACTIVATION_KINDS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


@dataclass(frozen=True)
class Totals:
    parameters: int
    macs: int  # multiply-adds per image, forward
    training_flops: int  # per image: TRAINING_FLOPS_PER_MAC x macs
    activation_values: int  # every layer's output for one image (kept for the backward pass)

    @property
    def activation_bytes(self) -> int:
        return self.activation_values * BYTES_PER_VALUE


def walk(design: Design) -> list[LayerRow]:
    """Every layer, input first, classifier last."""
    rows = [LayerRow("input", "Input", "input", (1, IMAGE_SIZE, IMAGE_SIZE), 0, 0, 1)]
    channels, size, field, jump = 1, IMAGE_SIZE, 1, 1
    for number, block in enumerate(design.blocks, 1):
        block_rows, (channels, size, field, jump) = _block_rows(f"layer{number}", block, channels, size, field, jump)
        rows += block_rows
    if design.head == "gap":
        rows.append(LayerRow("gap", "GlobalAvgPool", "gap", (channels, 1, 1), 0, 0, IMAGE_SIZE))
    width = design.feature_size
    rows.append(LayerRow("flatten", "Flatten", "flatten", (width,), 0, 0, None))
    count = len(design.hidden) + 1
    for number, layer in enumerate(design.hidden, 1):
        name = f"fc{number}"
        rows.append(LayerRow(name, "Linear", name, (layer.units,), width * layer.units + layer.units, width * layer.units, None))
        rows.append(LayerRow(f"relu{number}", "ReLU", name, (layer.units,), 0, 0, None))
        if layer.dropout:
            rows.append(LayerRow(f"dropout{number}", "Dropout", name, (layer.units,), 0, 0, None))
        width = layer.units
    name = "fc" if count == 1 else f"fc{count}"
    rows.append(LayerRow(name, "Linear", name, (design.classes,), width * design.classes + design.classes, width * design.classes, None))
    return rows


def _block_rows(
    block_name: str, block: Conv, channels: int, size: int, field: int, jump: int
) -> tuple[list[LayerRow], tuple[int, int, int, int]]:
    """A block's rows in design order, and the (channels, size, receptive field, jump) after it.

    Each row names the module that computes it, by its index in the run order
    (core.training.network.conv_block), so `layer1.0` is always the conv.
    """
    out, modules, rows = block.channels, run_order(block), []
    kinds = {"Act": _ACTIVATION_KINDS[block.activation], "Pool": "MaxPool" if block.pool == "max" else "AvgPool"}
    for step in design_order(block):
        parameters = macs = 0
        if step == "Conv":
            parameters = out * channels * block.kernel**2 + (0 if block.batch_norm else out)
            macs = size * size * out * channels * block.kernel**2
            field += (block.kernel - 1) * jump  # stride 1
        elif step == "BatchNorm":
            parameters = 2 * out  # a scale and a shift per channel
        elif step == "Pool":
            size = pooled_size(size, block)
            field, jump = field + jump, jump * 2  # a 2x2 window, stride 2
        rows.append(LayerRow(f"{block_name}.{modules.index(step)}", kinds.get(step, step), block_name, (out, size, size), parameters, macs, field))
    return rows, (out, size, field, jump)


def totals(design: Design) -> Totals:
    rows = walk(design)
    macs = sum(row.macs for row in rows)
    return Totals(
        parameters=sum(row.parameters for row in rows),
        macs=macs,
        training_flops=TRAINING_FLOPS_PER_MAC * macs,
        activation_values=sum(row.values for row in rows[1:]),
    )


def block_receptive_fields(design: Design) -> list[int]:
    """The receptive field in input pixels (a side) of each block's output."""
    last: dict[str, int] = {}
    for row in walk(design):
        if row.block.startswith("layer") and row.receptive_field is not None:
            last[row.block] = row.receptive_field
    return [last[f"layer{number}"] for number in range(1, len(design.blocks) + 1)]

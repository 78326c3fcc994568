"""A network design as data: conv blocks, a head, hidden linear layers and the classifier.

    design = Design(blocks=(Conv(32, pool="max"), Conv(64, pool="max")))   # the lecture's basic CNN
    design = parse("c32-max,c64-max,fc10")                                # the same, as text
    build(design)                                                          # core.training.network

Frozen and validated when made: a design that cannot work raises DesignError with one sentence
naming the block and the reason. Whether it fits this machine's memory is a separate question
(core.training.capacity), asked before training, never when a saved run is read.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from core.training.errors import ConfigError

KERNELS = (1, 3, 5, 7)
ACTIVATIONS = ("relu", "tanh", "sigmoid")
POOLS = ("none", "max", "avg")
HEADS = ("flatten", "gap")  # flatten every map, or average each channel to one number
INITS = ("xavier", "torch")  # linear layers: the lecture's xavier-uniform, or PyTorch's default
MAX_BLOCKS = 5
MAX_CHANNELS = 256
MAX_HIDDEN = 3
MAX_UNITS = 2048
IMAGE_SIZE = 28  # both datasets: 28x28, one channel


class DesignError(ConfigError):
    """A design that cannot work; the message names the block and the reason."""


@dataclass(frozen=True)
class Conv:
    """One conv block: conv (stride 1, 'same' padding) -> [batch norm] -> activation -> [2x2 pool]."""

    channels: int  # output channels, 1-256
    kernel: int = 3  # 1, 3, 5 or 7; padding kernel // 2 keeps the picture's size
    batch_norm: bool = False  # the conv then has no bias: batch norm's shift replaces it
    activation: str = "relu"  # relu | tanh | sigmoid
    pool: str = "none"  # none | max | avg: 2x2, stride 2
    pool_padding: int = 0  # 0 or 1; 1 lets an odd size round up (7 -> 4, as the deeper CNN's third block)
    pool_first: bool = False  # pool -> batch norm -> activation, fast_cnn's order; needs batch norm and a pool


@dataclass(frozen=True)
class Dense:
    """One hidden linear layer: linear -> ReLU -> dropout."""

    units: int  # 1-2048
    dropout: float = 0.0  # share of units dropped while training, [0, 1)


@dataclass(frozen=True)
class Design:
    blocks: tuple[Conv, ...]  # 1-5 conv blocks, in order
    head: str = "flatten"  # flatten | gap (global average pooling)
    hidden: tuple[Dense, ...] = ()  # 0-3 hidden linear layers
    classes: int = 10  # the classifier's outputs: the dataset's classes
    init: str = "xavier"  # xavier | torch, for every linear layer

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(_as(Conv, block) for block in self.blocks))
        object.__setattr__(self, "hidden", tuple(_as(Dense, layer) for layer in self.hidden))
        _check_design(self)

    @property
    def feature_size(self) -> int:
        """The numbers entering the first linear layer: C*H*W after flatten, C after global average pooling."""
        channels, size = self.blocks[-1].channels, self.output_sizes()[-1]
        return channels if self.head == "gap" else channels * size * size

    def output_sizes(self) -> list[int]:
        """The picture's side after each block, e.g. [14, 7] for the basic CNN."""
        sizes, size = [], IMAGE_SIZE
        for block in self.blocks:
            size = pooled_size(size, block) if block.pool != "none" else size
            sizes.append(size)
        return sizes

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields (lists of dicts), as saved in run.json: equal to its JSON round trip."""
        fields = asdict(self)
        return {**fields, "blocks": list(fields["blocks"]), "hidden": list(fields["hidden"])}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "Design":
        """From run.json's fields; unknown keys in a block are refused with a sentence, not ignored."""
        if not isinstance(values, dict) or not isinstance(values.get("blocks"), (list, tuple)):
            raise DesignError(f"a design needs a list of conv blocks; got {str(values)[:80]}.")
        known = {"blocks", "head", "hidden", "classes", "init"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise DesignError(f"this version does not know the design field(s) {', '.join(unknown)}.")
        return cls(**values)


def pooled_size(size: int, block: Conv) -> int:
    """A 2x2, stride-2 pool's output side, as PyTorch computes it (floor mode)."""
    return (size + 2 * block.pool_padding - 2) // 2 + 1


def design_order(block: Conv) -> list[str]:
    """The block's steps as a learner reads them: Conv, [BatchNorm], Act, [Pool]; or fast_cnn's Conv, Pool, BatchNorm, Act."""
    pool = ["Pool"] if block.pool != "none" else []
    norm = ["BatchNorm"] if block.batch_norm else []
    return ["Conv", *pool, *norm, "Act"] if block.pool_first else ["Conv", *norm, "Act", *pool]


def run_order(block: Conv) -> list[str]:
    """The order the network runs them (core.training.network): a max pool goes before the
    activation, which is exact because every activation here is monotone (max(f(x)) == f(max(x)))."""
    order = design_order(block)
    if block.pool == "max" and not block.pool_first:
        order.remove("Pool")
        order.insert(order.index("Act"), "Pool")
    return order


def _as(kind: type, value: Any) -> Any:
    if isinstance(value, kind):
        return value
    if isinstance(value, dict):
        names = set(kind.__dataclass_fields__)
        unknown = sorted(set(value) - names)
        if unknown:
            raise DesignError(f"this version does not know the {kind.__name__.lower()} field(s) {', '.join(unknown)}.")
        return kind(**value)
    raise DesignError(f"a {kind.__name__.lower()} layer must be a set of fields; got {value!r}.")


def _check_design(design: Design) -> None:
    _check_whole("the design", "conv blocks", len(design.blocks), 1, MAX_BLOCKS)
    if design.head not in HEADS:
        raise DesignError(f"the head must be {' or '.join(HEADS)}; got {design.head!r}.")
    _check_whole("the design", "hidden layers", len(design.hidden), 0, MAX_HIDDEN)
    _check_whole("the classifier", "classes", design.classes, 2, 1000)
    if design.init not in INITS:
        raise DesignError(f"the linear layers' initialisation must be {' or '.join(INITS)}; got {design.init!r}.")
    size = IMAGE_SIZE
    for number, block in enumerate(design.blocks, 1):
        size = _check_block(f"block {number}", block, size)
    for number, layer in enumerate(design.hidden, 1):
        where = f"hidden layer {number}"
        _check_whole(where, "units", layer.units, 1, MAX_UNITS)
        dropout = layer.dropout
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not (math.isfinite(dropout) and 0 <= dropout < 1):
            raise DesignError(f"{where}: dropout must be a number from 0 up to (not including) 1; got {dropout!r}.")


def _check_block(where: str, block: Conv, size: int) -> int:
    """Checks one block and returns the picture's side after it."""
    _check_whole(where, "channels", block.channels, 1, MAX_CHANNELS)
    if block.kernel not in KERNELS or isinstance(block.kernel, bool):
        raise DesignError(f"{where}: the kernel size must be 1, 3, 5 or 7; got {block.kernel!r}.")
    for name, value in (("batch norm", block.batch_norm), ("pool first", block.pool_first)):
        if not isinstance(value, bool):
            raise DesignError(f"{where}: {name} must be on or off (true or false); got {value!r}.")
    if block.activation not in ACTIVATIONS:
        raise DesignError(f"{where}: the activation must be one of {', '.join(ACTIVATIONS)}; got {block.activation!r}.")
    if block.pool not in POOLS:
        raise DesignError(f"{where}: the pooling must be none, max or avg; got {block.pool!r}.")
    if block.pool_padding not in (0, 1) or isinstance(block.pool_padding, bool):
        raise DesignError(f"{where}: the pooling's padding must be 0 or 1; got {block.pool_padding!r}.")
    if block.pool == "none" and block.pool_padding:
        raise DesignError(f"{where}: pooling padding 1 needs a pooling; choose max or avg, or padding 0.")
    if block.pool_first and (block.pool == "none" or not block.batch_norm):
        raise DesignError(f"{where}: pooling before batch norm needs both a pooling and batch norm.")
    if block.pool == "none":
        return size
    if size < 2:
        raise DesignError(
            f"{where}: the picture is already {size}x{size}, so a 2x2 pooling has nothing to pool; "
            "remove the pooling or the block."
        )
    return pooled_size(size, block)


def _check_whole(where: str, name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DesignError(f"{where}: {name} must be a whole number from {low} to {high}; got {value!r}.")

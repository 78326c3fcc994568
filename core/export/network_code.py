"""A design written out as the lecture's `class CNN(nn.Module)`, never taken from a model class.

    print(network_source(parse("c32-max,c64-max,fc10")))

The modules get the names core.training.network gives them (layer1 ... with the conv at index 0,
fc alone or fc1, relu1, dropout1, ..., fc2) and are made in the same order, each linear layer
initialised before the next is made, so a run's weights load into it and the same seed gives the
same initial weights. Blocks are written in the design's order (conv -> [batch norm] -> act -> pool);
the studio runs a max pool before the activation, which gives the same numbers (every activation
here is monotone) and the same state-dict keys (only the conv and batch norm hold weights).
"""
from __future__ import annotations

from core.training.design import Conv, Design, design_order
from core.training.walk import walk

ACTIVATIONS = {"relu": "nn.ReLU()", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()"}
POOLS = {"max": "nn.MaxPool2d", "avg": "nn.AvgPool2d"}


def network_source(design: Design) -> str:
    """The class's source: __init__ (with the lecture's shape comments) and forward."""
    rows = walk(design)
    lines = ["class CNN(nn.Module):", "", "    def __init__(self):", "        super(CNN, self).__init__()"]
    channels = 1
    for number, block in enumerate(design.blocks, 1):
        shapes = [row.lecture for row in rows if row.block == f"layer{number}"]
        lines += _block_lines(number, block, channels, shapes, rows[0].lecture if number == 1 else None)
        channels = block.channels
    if design.head == "gap":
        lines += ["        # global average pooling: each channel's map becomes one number, (?, C, H, W) -> (?, C, 1, 1)",
                  "        self.gap = nn.AdaptiveAvgPool2d(1)"]
    lines += _linear_lines(design)
    lines += ["", "    def forward(self, x):"]
    lines += [f"        out = self.layer{number}({'x' if number == 1 else 'out'})" for number in range(1, len(design.blocks) + 1)]
    if design.head == "gap":
        lines.append("        out = self.gap(out)")
    lines.append("        out = out.view(out.size(0), -1)   # Flatten them for FC")
    for number, layer in enumerate(design.hidden, 1):
        step = f"self.relu{number}(self.fc{number}(out))"
        lines.append(f"        out = {f'self.dropout{number}({step})' if layer.dropout else step}")
    lines += [f"        out = self.{_classifier(design)}(out)", "        return out"]
    return "\n".join(lines)


def _block_lines(number: int, block: Conv, channels: int, shapes: list[str], image_in: str | None) -> list[str]:
    pad = block.kernel // 2
    made = {
        "Conv": f"nn.Conv2d({channels}, {block.channels}, kernel_size={block.kernel}, stride=1, padding={pad}"
        + (", bias=False)" if block.batch_norm else ")"),
        "BatchNorm": f"nn.BatchNorm2d({block.channels})",
        "Act": ACTIVATIONS[block.activation],
        "Pool": f"{POOLS.get(block.pool, '')}(kernel_size=2, stride=2" + (f", padding={block.pool_padding})" if block.pool_padding else ")"),
    }
    steps = design_order(block)
    comment = [f"        # L{number} " + (image_in or "")] if image_in else [f"        # L{number}"]
    comment += [f"        #    {shape}" for shape in shapes]
    if block.batch_norm:
        comment.append("        #    the conv has no bias: batch norm's shift takes its place")
    body = [f"            {made[step]}," for step in steps]
    body[-1] = body[-1].rstrip(",") + ")"
    return [*comment, f"        self.layer{number} = nn.Sequential(", *body]


def _linear_lines(design: Design) -> list[str]:
    """Each linear layer made, then initialised, before the next: the order the random draws come in."""
    lines, width = [], design.feature_size
    for number, layer in enumerate(design.hidden, 1):
        lines += [f"        # L{len(design.blocks) + number} FC {width} inputs -> {layer.units} outputs",
                  f"        self.fc{number} = nn.Linear({width}, {layer.units}, bias=True)"]
        lines += _init(design, f"self.fc{number}")
        lines.append(f"        self.relu{number} = nn.ReLU()")
        if layer.dropout:
            lines.append(f"        self.dropout{number} = nn.Dropout(p={layer.dropout!r})")
        width = layer.units
    name = _classifier(design)
    lines += [f"        # Final FC {width} inputs -> {design.classes} outputs",
              f"        self.{name} = nn.Linear({width}, {design.classes}, bias=True)"]
    return lines + _init(design, f"self.{name}")


def _init(design: Design, layer: str) -> list[str]:
    if design.init == "xavier":
        return [f"        torch.nn.init.xavier_uniform_({layer}.weight)"]
    return ["        # PyTorch's default initialisation (the run's torch-init), no xavier"]


def _classifier(design: Design) -> str:
    return "fc" if not design.hidden else f"fc{len(design.hidden) + 1}"

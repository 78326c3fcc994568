"""The one builder: a Design becomes an nn.Module.

    model = build(parse("c32-max,c64-max,fc10"))   # draws its initial weights from torch's global RNG
    model.design                                   # the design it was built from

Module names are the lecture's: blocks layer1, layer2, ...; the linear layers fc (the classifier
alone) or fc1, fc2, ... So the lecture's networks keep the notebook's state-dict keys, and a
block's conv is always `layer<i>.0`.

Inside a block with max pooling the pool runs before the activation: every activation here is
monotone, so max(act(x)) == act(max(x)) exactly, and the activation touches 4x fewer values.
The design, and every table a learner sees (core.training.walk), keep the order conv -> act -> pool.
"""
from __future__ import annotations

from collections import OrderedDict

from torch import nn

from core.training.design import Conv, Design, run_order

_ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
_POOLS = {"max": nn.MaxPool2d, "avg": nn.AvgPool2d}


class Network(nn.Sequential):
    """A design's network: an nn.Sequential of named blocks that remembers its design."""

    def __init__(self, design: Design) -> None:
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        channels = 1
        for number, block in enumerate(design.blocks, 1):
            layers[f"layer{number}"] = conv_block(channels, block)
            channels = block.channels
        if design.head == "gap":
            layers["gap"] = nn.AdaptiveAvgPool2d(1)  # (N,C,H,W) -> (N,C,1,1)
        layers["flatten"] = nn.Flatten()
        super().__init__(layers)
        # linear layers are added one by one, each initialised before the next is made, so the
        # random draws come in the lecture's order and its networks start from its weights
        width, count = design.feature_size, len(design.hidden) + 1
        for number, layer in enumerate(design.hidden, 1):
            self.add_module(f"fc{number}", _linear(width, layer.units, design.init))
            self.add_module(f"relu{number}", nn.ReLU())
            if layer.dropout:
                self.add_module(f"dropout{number}", nn.Dropout(p=layer.dropout))
            width = layer.units
        self.add_module("fc" if count == 1 else f"fc{count}", _linear(width, design.classes, design.init))
        self.design = design


def conv_block(in_channels: int, block: Conv) -> nn.Sequential:
    """One block's modules, in the order they run (design.run_order; see the module docstring)."""
    made = {
        "Conv": lambda: nn.Conv2d(in_channels, block.channels, block.kernel, padding=block.kernel // 2, bias=not block.batch_norm),
        "BatchNorm": lambda: nn.BatchNorm2d(block.channels),
        "Act": lambda: _ACTIVATIONS[block.activation](),
        "Pool": lambda: _POOLS[block.pool](kernel_size=2, stride=2, padding=block.pool_padding),
    }
    return nn.Sequential(*(made[step]() for step in run_order(block)))


def _linear(width: int, units: int, init: str) -> nn.Linear:
    linear = nn.Linear(width, units, bias=True)
    if init == "xavier":
        nn.init.xavier_uniform_(linear.weight)
    return linear


def build(design: Design) -> Network:
    """A freshly initialised network (draws from torch's global RNG)."""
    return Network(design)

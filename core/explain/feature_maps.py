"""What each conv block of a model makes of one image: its feature maps, filters and final scores.

    layers = feature_maps(model, image)       # per block: the conv output, then the block's output
    layers[0].maps.shape                       # (32, 28, 28) for cnn's layer1 conv
    first_layer_filters(model).shape           # (32, 3, 3); (C, k, k) for a k x k kernel
    mosaic(layer.maps[layer.order], per_channel=True)   # one picture of every channel

A conv block is a child nn.Sequential that starts with a Conv2d: layer1..layerN of
core.training.network, whatever the design. A block's output is titled with the steps after its
conv, in the design's order ("after batch norm + tanh + avg pool"), read from `model.design`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.training.design import Conv, design_order
from core.words import N_

_WORDS = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "max": N_("max pool"), "avg": N_("avg pool"), "none": ""}

@dataclass(frozen=True)
class LayerMaps:
    name: str  # module name, as in core.training.walk's rows: "layer1.0" (conv) or "layer1" (block output)
    title: str  # as a learner reads it: "layer1: convolution", "layer1: after ReLU + max pool"
    maps: np.ndarray  # (C,H,W) float32, one image's activations

    @property
    def order(self) -> np.ndarray:
        """Channel indices sorted by mean activation, highest first."""
        return np.argsort(-self.maps.mean(axis=(1, 2)), kind="stable")

    @property
    def signed(self) -> bool:
        """Whether any value is negative (conv, batch norm, tanh); block outputs after ReLU or sigmoid are >= 0."""
        return bool((self.maps < 0).any())


def conv_blocks(model: nn.Module) -> list[tuple[str, nn.Sequential]]:
    """(name, block) of each child Sequential whose first layer is a Conv2d, in forward order."""
    return [
        (name, child)
        for name, child in model.named_children()
        if isinstance(child, nn.Sequential) and len(child) and isinstance(child[0], nn.Conv2d)
    ]


def block_steps(block: Conv) -> str:
    """The steps after a block's conv, in the design's order: 'ReLU + max pool', 'max pool + batch norm + ReLU'."""
    words = {"BatchNorm": N_("batch norm"), "Act": _WORDS[block.activation], "Pool": _WORDS[block.pool]}
    return " + ".join(words[step] for step in design_order(block) if step != "Conv")


def layer_names(model: nn.Module) -> list[tuple[str, str]]:
    """(module name, title) of every layer feature_maps shows, e.g. for a Grad-CAM layer picker.

    The block titles come from the model's design (core.training.network sets `model.design`);
    a model without one (a test's hand-made module) gets plain 'block output' titles."""
    design = getattr(model, "design", None)
    names = []
    for number, (name, _) in enumerate(conv_blocks(model)):
        after = N_("after {steps}").format(steps=block_steps(design.blocks[number])) if design is not None else N_("block output")
        names += [(f"{name}.0", f"{name}: " + N_("convolution")), (name, f"{name}: {after}")]
    return names


def feature_maps(model: nn.Module, image: torch.Tensor) -> tuple[list[LayerMaps], torch.Tensor]:
    """Every conv block's conv output and block output for one (1,1,28,28) image, and the (10,) logits."""
    captured: dict[str, torch.Tensor] = {}
    hooks = []
    for name, block in conv_blocks(model):
        for module_name, module in ((f"{name}.0", block[0]), (name, block)):
            hooks.append(module.register_forward_hook(_keep(captured, module_name)))
    try:
        with torch.inference_mode():
            logits = model(image.to(next(model.parameters()).device))[0].float().cpu()  # (10,)
    finally:
        for hook in hooks:
            hook.remove()
    titles = dict(layer_names(model))
    return [LayerMaps(name, titles[name], captured[name]) for name in titles], logits


def _keep(captured: dict[str, torch.Tensor], name: str):
    def hook(_module: nn.Module, _inputs: tuple, output: torch.Tensor) -> None:
        captured[name] = output[0].float().cpu().contiguous().numpy()  # (C,H,W)

    return hook


def first_layer_filters(model: nn.Module) -> np.ndarray:
    """(C,kh,kw) weights of the first conv layer, whose single input channel is the image."""
    _, block = conv_blocks(model)[0]
    weights = block[0].weight.detach().float().cpu()  # (C,1,k,k)
    return weights[:, 0].contiguous().numpy()


def mosaic(maps: np.ndarray, per_channel: bool, columns: int | None = None, gap: int = 1) -> np.ndarray:
    """(C,H,W) -> one (rows*(H+gap)-gap, cols*(W+gap)-gap) picture; NaN in the gaps and spare cells.

    per_channel: each channel divided by its own largest |value|, so every tile spans [-1, 1]
    (a faint channel shows its pattern); otherwise values stay as they are, one range per layer.
    """
    count, height, width = maps.shape
    columns = columns or math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    if per_channel:
        peak = np.abs(maps).max(axis=(1, 2), keepdims=True)
        maps = maps / np.where(peak > 0, peak, 1)
    picture = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan, dtype=np.float32)
    for slot, channel in enumerate(maps):
        top, left = (slot // columns) * (height + gap), (slot % columns) * (width + gap)
        picture[top : top + height, left : left + width] = channel
    return picture

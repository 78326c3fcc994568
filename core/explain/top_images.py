"""The test images that excite each channel of a conv block most (Yosinski's Deep Visualization Toolbox, top 9).

    top = top_images(model, "layer2", test.images)        # per channel, the 9 images whose map peaks highest
    top.indices.shape, top.positions.shape                 # (64, 9), (64, 9, 2): image, (row, col) of the peak
    crop_around(test.images[i, 0], top.positions[c, k], block_geometry(design, 1))   # the pixels it saw

A channel is one of the block's outputs (after activation and pool); its response to an image is the
largest value of its map. The crop is the channel's receptive field (core.training.walk) centred on
the input pixel under that largest value.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from core.training.design import Design
from core.training.walk import block_receptive_fields

TOP = 9
BATCH = 500


@dataclass(frozen=True)
class TopImages:
    indices: torch.Tensor  # (C,TOP) int64 test-image indices, highest peak first
    peaks: torch.Tensor  # (C,TOP) float32 the channel's largest value on each
    positions: torch.Tensor  # (C,TOP,2) int64 (row, col) of that value in the block's output map
    channel_means: torch.Tensor  # (C,) mean activation over every image and position, for comparison


@dataclass(frozen=True)
class Geometry:
    """Where a block's output pixels sit over the input: centre of (i, j) = start + stride * (i, j)."""

    start: float
    stride: int
    field: int  # receptive field, input pixels a side


def upto(model: nn.Module, block: str) -> nn.Sequential:
    """The model's children up to and including `block` (a name of model.named_children())."""
    children = []
    for name, child in model.named_children():
        children.append(child)
        if name == block:
            return nn.Sequential(*children)
    raise KeyError(f"The model has no block named {block}.")


def block_geometry(design: Design, index: int) -> Geometry:
    """Geometry of block `index` (0-based): same-padded stride-1 convs, then 2x2 stride-2 pools."""
    start, stride = 0.0, 1
    for block in design.blocks[: index + 1]:
        if block.pool != "none":
            start += (0.5 - block.pool_padding) * stride  # a 2x2 window's centre, moved back by its padding
            stride *= 2
    return Geometry(start, stride, block_receptive_fields(design)[index])


def top_images(model: nn.Module, block: str, images: torch.Tensor, top: int = TOP, batch: int = BATCH) -> TopImages:
    """Per channel of `block`, the `top` images (of (N,1,28,28) `images`) whose map peaks highest."""
    head = upto(model, block).eval()
    peaks, positions, total = [], [], None
    with torch.inference_mode():
        for start in range(0, len(images), batch):
            maps = head(images[start : start + batch]).float()  # (B,C,H,W)
            flat = maps.flatten(2)  # (B,C,H*W)
            best, where = flat.max(2)  # (B,C)
            peaks.append(best)
            positions.append(torch.stack((where // maps.shape[3], where % maps.shape[3]), -1))  # (B,C,2)
            summed = maps.sum((0, 2, 3))
            total = summed if total is None else total + summed
    peaks_all, positions_all = torch.cat(peaks).T, torch.cat(positions).transpose(0, 1)  # (C,N), (C,N,2)
    count = min(top, peaks_all.shape[1])
    best, indices = peaks_all.topk(count, dim=1)  # (C,top)
    chosen = positions_all.gather(1, indices.unsqueeze(-1).expand(-1, -1, 2))
    spatial = maps.shape[2] * maps.shape[3]
    return TopImages(indices, best, chosen, total / (len(images) * spatial))


def crop_around(image: torch.Tensor, position: torch.Tensor, geometry: Geometry) -> torch.Tensor:
    """The (field, field) pixels of a (28,28) image under output pixel `position`; zeros beyond the edge."""
    field = geometry.field
    row, col = (round(geometry.start + geometry.stride * int(value) - (field - 1) / 2) for value in position)
    padded = torch.nn.functional.pad(image, (field, field, field, field))  # so every crop is whole
    return padded[row + field : row + 2 * field, col + field : col + 2 * field]

"""Every channel of one conv block at one epoch: its top 9 test images and the input it wants to see,
computed once and cached beside the run as `<run>/filters/<block>-epoch-NNN.pt` (core.explain.explain_cache).

    views = block_views(run_dir, epoch, "layer1", test)        # from the cache, else computed and saved
    views.top.indices[c], views.wanted[c]                      # channel c: (9,) test indices, (1,28,28) picture
    cached_views(run_dir, epoch, "layer1", test)               # None while not computed: the page never waits

The top images run through the whole test set; the pictures are core.explain.feature_vis.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from core.data.loading import Split
from core.explain import explain_cache, feature_vis
from core.explain.feature_maps import conv_blocks
from core.explain.top_images import TopImages, top_images
from core.map.maps import epoch_model
from core.map.tsne import Cancelled

FOLDER = "filters"
VERSION = f"1|steps={feature_vis.STEPS}|tv={feature_vis.TV_WEIGHT}|l2={feature_vis.L2_WEIGHT}"


@dataclass(frozen=True)
class BlockViews:
    block: str
    epoch: int
    top: TopImages
    wanted: torch.Tensor  # (C,1,28,28) in [0,1]: the optimised input of each channel
    wanted_activation: torch.Tensor  # (C,) its channel's mean activation on it


def cache_path(run_dir: Path, block: str, epoch: int) -> Path:
    return run_dir / FOLDER / f"{block}-epoch-{epoch:03d}.pt"


def cache_key(model: nn.Module, test: Split, block: str) -> str:
    return explain_cache.weights_key(model.state_dict(), test.labels, extra=f"filters|{block}")


def compute(model: nn.Module, block: str, test: Split, progress: Callable[[float, str], None] | None = None,
            stop: threading.Event | None = None) -> tuple[TopImages, torch.Tensor, torch.Tensor]:
    """(top images, wanted pictures, their activations) of every channel of `block`."""
    say = progress or (lambda share, text: None)
    say(0.0, f"{block}: the test images that excite each channel")
    top = top_images(model, block, test.images)

    def picture_progress(share: float) -> None:
        if stop is not None and stop.is_set():
            raise Cancelled("Stopped; nothing was saved.")
        say(0.2 + 0.8 * share, f"{block}: optimising what each channel wants to see")

    wanted, activation = feature_vis.visualise(model, block, progress=picture_progress)
    return top, wanted, activation


def _parts(top: TopImages, wanted: torch.Tensor, activation: torch.Tensor) -> dict[str, Any]:
    return {"indices": top.indices, "peaks": top.peaks, "positions": top.positions,
            "channel_means": top.channel_means, "wanted": wanted, "wanted_activation": activation}


def _whole(parts: dict[str, Any]) -> bool:
    indices, wanted = parts["indices"], parts["wanted"]
    channels = len(indices)
    return (indices.ndim == 2 and parts["peaks"].shape == indices.shape
            and parts["positions"].shape == (*indices.shape, 2) and parts["channel_means"].shape == (channels,)
            and wanted.shape == (channels, 1, feature_vis.SIDE, feature_vis.SIDE)
            and parts["wanted_activation"].shape == (channels,) and bool(torch.isfinite(wanted).all()))


def _views(block: str, epoch: int, parts: dict[str, Any]) -> BlockViews:
    top = TopImages(parts["indices"], parts["peaks"], parts["positions"], parts["channel_means"])
    return BlockViews(block, epoch, top, parts["wanted"], parts["wanted_activation"])


def cached_views(run_dir: Path, epoch: int, block: str, test: Split, model: nn.Module | None = None) -> BlockViews | None:
    """The cached views, or None when missing, damaged, or from other weights (then they are recomputed)."""
    model = model if model is not None else epoch_model(run_dir, epoch)
    parts = explain_cache.load(cache_path(run_dir, block, epoch), cache_key(model, test, block), VERSION, _whole)
    return None if parts is None else _views(block, epoch, parts)


def block_views(run_dir: Path, epoch: int, block: str, test: Split,
                progress: Callable[[float, str], None] | None = None, stop: threading.Event | None = None) -> BlockViews:
    """The views from the cache, else computed and saved; raises CheckpointError for unreadable weights."""
    model = epoch_model(run_dir, epoch)
    found = cached_views(run_dir, epoch, block, test, model)
    if found is not None:
        return found
    top, wanted, activation = compute(model, block, test, progress, stop)
    parts = _parts(top, wanted, activation)
    explain_cache.save(cache_path(run_dir, block, epoch), cache_key(model, test, block), VERSION, parts)
    return _views(block, epoch, parts)


def block_names(model: nn.Module) -> list[str]:
    return [name for name, _ in conv_blocks(model)]

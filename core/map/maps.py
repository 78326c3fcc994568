"""The map of one checkpoint: which weights (any saved epoch), their test-set features, and the two layouts.

    epochs = available_epochs(run_dir)             # [0, 1, ..., last], or [last] for a run without epoch files
    model = epoch_model(run_dir, epoch)            # eval mode, CPU
    layout = pca_layout(features, final_features)  # instant; aligned to the final epoch's layout by Procrustes
    found = tsne_map(run_dir, epoch, test, progress, stop)   # TsneMap; cached beside the run (core.map.map_cache)

A run saved before per-epoch weights were kept has no epochs/ folder: its map shows the last epoch only.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from core.map import map_cache, tsne

from core.runs import checkpoints, epochs
from core.data.loading import Split
from core.map.embedding import embed
from core.map.projection import Pca, fit_pca, procrustes
from core.words import N_

METHODS = {"pca": N_("PCA (instant)"), "tsne": N_("t-SNE (openTSNE, computed once in the background)")}


def last_epoch(run_dir: Path) -> int:
    """The epoch model.pt holds: the number of epochs its history records."""
    return len(checkpoints.load_checkpoint(run_dir)["history"])


def available_epochs(run_dir: Path) -> list[int]:
    """Epochs whose weights load, in order, always ending with the last; [last] when the run kept no epoch files."""
    last = last_epoch(run_dir)
    kept = [entry.epoch for entry in epochs.list_epochs(run_dir) if entry.problem is None and entry.epoch < last]
    return [*kept, last]


def epoch_model(run_dir: Path, epoch: int) -> nn.Module:
    """The model as it was after `epoch` (model.pt for the last one); raises CheckpointError with a sentence."""
    if epoch == last_epoch(run_dir):
        return checkpoints.load_model(run_dir)[0]
    return epochs.load_epoch_model(run_dir, epoch)


@dataclass(frozen=True)
class PcaLayout:
    """A 2-D PCA map, turned about its centre to match a target layout; new points land the same way."""

    pca: Pca
    rotation: torch.Tensor  # (2,2) orthogonal
    centre: torch.Tensor  # (2,) this map's centre before turning
    target_centre: torch.Tensor  # (2,)
    coords: torch.Tensor  # (N,2) the test images on the map

    def place(self, features: torch.Tensor) -> torch.Tensor:
        """(Q,D) features -> (Q,2) map positions."""
        return (self.pca.transform(features) - self.centre) @ self.rotation + self.target_centre


def pca_layout(features: torch.Tensor, target: torch.Tensor | None = None) -> PcaLayout:
    """PCA of (N,D) features to 2-D; with `target` (N,2), e.g. the final epoch's map, turned onto it (Procrustes)."""
    pca = fit_pca(features, dims=2)
    xy = pca.transform(features)
    centre = xy.mean(0)
    if target is None:
        rotation, target_centre = torch.eye(2), centre
    else:
        rotation, target_centre = procrustes(xy, target), target.mean(0)
    return PcaLayout(pca, rotation, centre, target_centre, (xy - centre) @ rotation + target_centre)


def cache_key(model: nn.Module, test: Split) -> str:
    return map_cache.weights_key(model.state_dict(), test.labels, extra=f"tsne|{len(test)}")


@dataclass(frozen=True)
class TsneMap:
    """A finished t-SNE map and what places new points on it."""

    coords: torch.Tensor  # (N,2) the test images on the map
    reference: torch.Tensor  # (N,50) their features' top principal components, what t-SNE arranged
    pca: Pca  # (D -> 50) the projection that made `reference`; a drawing's features go through it too


def cached_tsne(run_dir: Path, epoch: int, test: Split) -> TsneMap | None:
    """The map from the cache when it is whole and made from these weights and test images; else None."""
    parts = map_cache.load(map_cache.cache_path(run_dir, "tsne", epoch), cache_key(epoch_model(run_dir, epoch), test))
    if parts is None or len(parts["coords"]) != len(test):
        return None
    pca = Pca(parts["pca_mean"], parts["pca_components"], torch.empty(0))
    return TsneMap(parts["coords"], parts["reference"], pca)


def tsne_map(
    run_dir: Path, epoch: int, test: Split,
    progress: tsne.Progress | None = None, stop: threading.Event | None = None,
) -> TsneMap:
    """The t-SNE map of `epoch`, read from the cache when it is whole and made from these weights,
    otherwise computed and saved. An epoch before the last starts from the last epoch's map
    (computed first when missing), so clusters keep their places across epochs.
    """
    report = progress or (lambda share, text: None)
    cached = cached_tsne(run_dir, epoch, test)
    if cached is not None:
        report(1.0, "Read from the cache")
        return cached
    model = epoch_model(run_dir, epoch)
    key = cache_key(model, test)
    init, last = None, last_epoch(run_dir)
    if epoch != last:
        init = tsne_map(run_dir, last, test, lambda share, text: report(share / 2, f"The last epoch's map first: {text}"), stop).coords
        report_rest = lambda share, text: report(0.5 + share / 2, f"Epoch {epoch}: {text}")  # noqa: E731
    else:
        report_rest = report
    report_rest(0.0, "Reading the test images through the network")
    features, _ = embed(model, test.images)  # (N,D)
    pca = fit_pca(features, dims=tsne.REFERENCE_DIMS)
    reference = pca.transform(features)  # (N,50)
    coords = tsne.fit_tsne(reference, init, report_rest, stop)
    tensors = {"coords": coords, "reference": reference, "pca_mean": pca.mean, "pca_components": pca.components}
    map_cache.save(map_cache.cache_path(run_dir, "tsne", epoch), key, "tsne", epoch, tensors)
    return TsneMap(coords, reference, pca)

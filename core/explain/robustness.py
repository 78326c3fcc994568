"""A run's test accuracy under attack, against eps: FGSM and PGD (core.explain.attacks) on its first
1,000 test images, cached per checkpoint beside the run as `<run>/robustness/epoch-NNN.pt`.

    curve = robustness(run_dir, test)              # the last epoch's, from the cache or computed and saved
    curve.at(0.1)                                  # {"fgsm": 0.81, "pgd": 0.70}
    cached_robustness(run_dir, test)               # None while it is not computed: a page never waits

Untargeted attacks on the true label's cross-entropy, pixels clamped to [0, 1].
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
from core.explain import explain_cache
from core.explain.attacks import METHODS, PGD_STEPS, perturb, probabilities
from core.map.maps import epoch_model, last_epoch
from core.map.tsne import Cancelled

EPSILONS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3)
IMAGES = 1000
BATCH = 250
FOLDER = "robustness"
VERSION = f"1|pgd-steps={PGD_STEPS}|images={IMAGES}"


@dataclass(frozen=True)
class Robustness:
    epsilons: tuple[float, ...]
    accuracy: dict[str, tuple[float, ...]]  # method -> accuracy at each eps
    images: int

    def at(self, eps: float) -> dict[str, float]:
        index = self.epsilons.index(eps)
        return {method: values[index] for method, values in self.accuracy.items()}


def accuracy_under_attack(model: nn.Module, split: Split, method: str, eps: float, batch: int = BATCH) -> float:
    """Share of `split` still classified right after the attack at `eps`."""
    right = 0
    for start in range(0, len(split.images), batch):
        images, labels = split.images[start : start + batch], split.labels[start : start + batch]
        attacked = perturb(model, images, labels, method, eps)
        right += int((probabilities(model, attacked).argmax(1) == labels).sum())
    return right / len(split.images)


def measure(model: nn.Module, test: Split, progress: Callable[[float, str], None] | None = None,
            stop: threading.Event | None = None) -> Robustness:
    """Accuracy at every EPSILONS under every attack, on the first IMAGES test images."""
    first = Split(test.images[:IMAGES], test.labels[:IMAGES])
    steps = [(method, eps) for method in METHODS for eps in EPSILONS]
    found: dict[str, list[float]] = {method: [] for method in METHODS}
    for done, (method, eps) in enumerate(steps):
        if stop is not None and stop.is_set():
            raise Cancelled("Stopped; nothing was saved.")
        if progress is not None:
            progress(done / len(steps), f"{method.upper()} at eps {eps:g}")
        found[method].append(accuracy_under_attack(model, first, method, eps))
    return Robustness(EPSILONS, {method: tuple(values) for method, values in found.items()}, len(first.images))


def cache_path(run_dir: Path, epoch: int) -> Path:
    return run_dir / FOLDER / f"epoch-{epoch:03d}.pt"


def _key(model: nn.Module, test: Split) -> str:
    return explain_cache.weights_key(model.state_dict(), test.labels[:IMAGES], extra="robustness")


def _whole(parts: dict[str, Any]) -> bool:
    curves = [parts[method] for method in METHODS]
    return (parts["epsilons"] == list(EPSILONS) and isinstance(parts["images"], int)
            and all(curve.shape == (len(EPSILONS),) and bool(((curve >= 0) & (curve <= 1)).all()) for curve in curves))


def _from_parts(parts: dict[str, Any]) -> Robustness:
    return Robustness(EPSILONS, {method: tuple(parts[method].tolist()) for method in METHODS}, parts["images"])


def cached_robustness(run_dir: Path, test: Split, epoch: int | None = None) -> Robustness | None:
    """The cached curve of `epoch` (default the last), or None when missing, damaged or from other weights."""
    epoch = last_epoch(run_dir) if epoch is None else epoch
    parts = explain_cache.load(cache_path(run_dir, epoch), _key(epoch_model(run_dir, epoch), test), VERSION, _whole)
    return None if parts is None else _from_parts(parts)


def robustness(run_dir: Path, test: Split, epoch: int | None = None, progress: Callable[[float, str], None] | None = None,
               stop: threading.Event | None = None) -> Robustness:
    """The curve from the cache, else measured and saved; raises CheckpointError for unreadable weights."""
    epoch = last_epoch(run_dir) if epoch is None else epoch
    model = epoch_model(run_dir, epoch)
    parts = explain_cache.load(cache_path(run_dir, epoch), _key(model, test), VERSION, _whole)
    if parts is not None:
        return _from_parts(parts)
    curve = measure(model, test, progress, stop)
    saved = {"epsilons": list(EPSILONS), "images": curve.images,
             **{method: torch.tensor(values, dtype=torch.float64) for method, values in curve.accuracy.items()}}
    explain_cache.save(cache_path(run_dir, epoch), _key(model, test), VERSION, saved)
    return curve

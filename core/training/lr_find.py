"""The learning-rate range test (Smith 2015, fastai's lr_find) on a throwaway copy of a design and its settings.

    result = find_lr(config, data)        # 100 batches, the rate growing geometrically from 1e-7 to 10
    result.suggestion, result.rule        # the rate at the steepest descent of the smoothed cost

Nothing is saved, and the global RNG (torch, CUDA, python) is exactly as it was before: the copy
is seeded from config.seed inside torch.random.fork_rng. CLI: python -m core.lr_find.
"""
from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from core.data.loading import Dataset
from core.training.augment import Augmenter
from core.training.config import TrainConfig
from core.training.models import place
from core.training.network import build
from core.training.optim import build_optimizer
from core.words import N_

START, END, BATCHES = 1e-7, 10.0, 100
SMOOTHING = 0.9  # exponential moving average of the cost, bias-corrected
DIVERGED = 4.0  # stop once the smoothed cost is 4x its lowest
RULE = N_("steepest descent of the smoothed cost")


@dataclass(frozen=True)
class LrFindResult:
    lrs: tuple[float, ...]  # one per batch tried
    costs: tuple[float, ...]
    smoothed: tuple[float, ...]
    suggestion: float
    rule: str
    seconds: float


def find_lr(
    config: TrainConfig, data: Dataset, device: str | torch.device = "cpu", batches: int = BATCHES,
    start: float = START, end: float = END, progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> LrFindResult:
    """Train a fresh copy `batches` batches, raising the rate each batch; stops early when the cost explodes."""
    started = time.perf_counter()
    python_state = random.getstate()
    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(config.seed)
        model = place(build(config.design), device).train()
        optimizer = build_optimizer(model, config.with_changes(lr=start))
        augmenter = Augmenter(config.augment, config.seed, torch.device(device))
        order = torch.randperm(len(data.train.labels), generator=torch.Generator().manual_seed(config.seed))
        lrs, costs = _range_test(model, optimizer, augmenter, data, order, config.batch_size, batches, start, end,
                                 device, progress, stop)
    random.setstate(python_state)
    smoothed = _smooth(costs)
    return LrFindResult(tuple(lrs), tuple(costs), tuple(smoothed), suggest(lrs, smoothed), RULE,
                        time.perf_counter() - started)


def _range_test(model, optimizer, augmenter, data, order, batch_size, batches, start, end, device, progress, stop):
    lrs, costs, best, average = [], [], math.inf, 0.0
    for i in range(batches):
        if stop is not None and stop.is_set():
            break
        lr = start * (end / start) ** (i / max(1, batches - 1))
        for group in optimizer.param_groups:
            group["lr"] = lr
        index = order[(i * batch_size) % len(order):][:batch_size]
        images, labels = augmenter(data.train.images[index].to(device)), data.train.labels[index].to(device)
        optimizer.zero_grad()
        cost = F.cross_entropy(model(images), labels)
        cost.backward()
        optimizer.step()
        value = cost.item()
        if progress is not None:
            progress(i + 1, batches)
        if not math.isfinite(value):
            break
        lrs.append(lr)
        costs.append(value)
        average = SMOOTHING * average + (1 - SMOOTHING) * value
        smooth = average / (1 - SMOOTHING ** (i + 1))
        best = min(best, smooth)
        if smooth > DIVERGED * best:
            break
    return lrs, costs


def _smooth(costs: list[float]) -> list[float]:
    average, out = 0.0, []
    for i, cost in enumerate(costs):
        average = SMOOTHING * average + (1 - SMOOTHING) * cost
        out.append(average / (1 - SMOOTHING ** (i + 1)))
    return out


def suggest(lrs: list[float], smoothed: list[float]) -> float:
    """The rate where the smoothed cost falls fastest per decade, before its lowest point."""
    if len(lrs) < 3:
        return lrs[0] if lrs else START
    lowest = int(np.argmin(smoothed))
    slopes = np.gradient(np.array(smoothed), np.log10(np.array(lrs)))
    skip = len(lrs) // 10  # the first points' average is still settling
    window = slopes[skip : max(lowest, skip + 1)]
    return float(lrs[skip + int(np.argmin(window))]) if len(window) else float(lrs[lowest])


def run_job(config: TrainConfig, data_dir: str | Path | None, device: str, stop: threading.Event,
            update: Callable[..., None]) -> None:
    """The Train page's background job (core.training.jobs): progress per batch, the result at the end."""
    from core.data.loading import DatasetError, load_dataset
    from core.training.trainer import resolve_device

    try:
        data = load_dataset(config.dataset, data_dir, allow_download=False)
        where = resolve_device(device)
        update(status="running", device=str(where), batches=BATCHES, epoch=1, epochs=1)
        result = find_lr(config, data, where, progress=lambda i, n: update(batch=i, batches=n), stop=stop)
        ended = "stopped" if stop.is_set() else "finished"
        update(status=ended, lr_result=result, message="Stopped by request." if stop.is_set() else "")
    except (DatasetError, ValueError) as error:
        update(status="failed", message=str(error))
    except Exception as error:  # a bug, but the page must still say the job ended
        update(status="failed", message=f"The learning-rate finder failed: {type(error).__name__}: {error}")

"""The non-linear map: openTSNE on the features' top 50 principal components, and new points placed on it.

    coords = fit_tsne(reference, init=None, progress=report)   # reference (N,50) -> (N,2)
    Placer(reference, coords).place(new_reference)              # (Q,50) -> (Q,2)

openTSNE rather than UMAP, measured on this project's 2 cores (bench/map/methods.py, numbers in the
README): no numba JIT on first use, a progress callback that can also stop it, `transform` for new
points, and an initial layout we choose, which keeps the map of every epoch aligned to the final one.
"""
from __future__ import annotations

import threading
from typing import Callable

import numpy as np
import torch

REFERENCE_DIMS = 50  # t-SNE's usual first step: PCA to 50 dimensions removes noise and speeds the neighbour search
PERPLEXITY = 30
# Two thirds of openTSNE's default 250 + 500 steps: with its learning rate of N / exaggeration the map
# has settled by then. With the grid below, on a cnn run's 10k test images: 46 CPU-s for the whole job
# (was 132), 10-NN label agreement on the map 0.958 (was 0.956).
EARLY_ITERATIONS, ITERATIONS = 125, 375  # exaggerated phase, then the normal one
# FFT-interpolated repulsion with a grid cell 2 map units wide (openTSNE's default: 1). The normal phase
# spreads the map to ~150 units, and the grid grows with it: at width 1 that phase cost 57 CPU-s for
# 10k points, at width 2 it costs 22, with the same 10-NN label agreement.
GRID_CELL_WIDTH = 2
THREADS = 2
SEED = 0

Progress = Callable[[float, str], None]  # (share done in [0,1], what is happening)


class Cancelled(RuntimeError):
    """The job was asked to stop; nothing was saved."""


def _affinities(reference: np.ndarray):
    from openTSNE.affinity import PerplexityBasedNN

    perplexity = min(PERPLEXITY, max(2, (len(reference) - 1) // 3))
    # "auto": exact neighbours under 1,000 points, Annoy from 1,000
    return PerplexityBasedNN(reference, perplexity=perplexity, method="auto", n_jobs=THREADS, random_state=SEED)


def fit_tsne(
    reference: torch.Tensor, init: torch.Tensor | None = None,
    progress: Progress | None = None, stop: threading.Event | None = None,
) -> torch.Tensor:
    """(N,50) reference features -> (N,2) t-SNE map; `init` (N,2), e.g. the final epoch's map, sets the starting layout."""
    from openTSNE import TSNEEmbedding, initialization

    report = progress or (lambda share, text: None)
    data = reference.double().numpy()
    report(0.0, "Finding each test image's nearest neighbours")
    affinities = _affinities(data)
    start = initialization.pca(data, random_state=SEED) if init is None else initialization.rescale(init.double().numpy())
    total = EARLY_ITERATIONS + ITERATIONS
    done = [0]

    def callback(iteration: int, _error: float, _embedding: np.ndarray) -> bool:
        report(0.1 + 0.9 * (done[0] + iteration) / total, f"Arranging the map: step {done[0] + iteration} of {total}")
        return bool(stop is not None and stop.is_set())  # True interrupts openTSNE

    embedding = TSNEEmbedding(
        # FFT at any size: openTSNE's "auto" picks Barnes-Hut under 10,000 points, O(N log N) against FFT's O(N)
        start, affinities, negative_gradient_method="fft", ints_in_interval=GRID_CELL_WIDTH,
        n_jobs=THREADS, random_state=SEED, callbacks=callback, callbacks_every_iters=10,
    )
    report(0.1, "Arranging the map")
    try:
        embedding = embedding.optimize(EARLY_ITERATIONS, exaggeration=12, momentum=0.5, propagate_exception=True)
        done[0] = EARLY_ITERATIONS
        embedding = embedding.optimize(ITERATIONS, momentum=0.8, propagate_exception=True)
    except InterruptedError as error:  # openTSNE's OptimizationInterrupt
        raise Cancelled("The map was stopped before it was finished.") from error
    report(1.0, "Done")
    return torch.from_numpy(np.asarray(embedding, dtype=np.float32).copy())


class Placer:
    """Places new points on a finished t-SNE map with openTSNE's transform (the map itself stays put)."""

    def __init__(self, reference: torch.Tensor, coords: torch.Tensor) -> None:
        self._reference, self._coords = reference, coords
        self._embedding = None
        self._lock = threading.Lock()  # shared by sessions: build the neighbour index once

    def place(self, new_reference: torch.Tensor, iterations: int = 100) -> torch.Tensor:
        """(Q,50) -> (Q,2): started at the median of each point's neighbours on the map, then optimised against it."""
        from openTSNE import TSNEEmbedding

        with self._lock:
            if self._embedding is None:
                self._embedding = TSNEEmbedding(
                    self._coords.double().numpy(), _affinities(self._reference.double().numpy()),
                    negative_gradient_method="auto", n_jobs=THREADS, random_state=SEED,
                )
            placed = self._embedding.transform(new_reference.double().numpy(), n_iter=iterations)
        return torch.from_numpy(np.asarray(placed, dtype=np.float32).copy())

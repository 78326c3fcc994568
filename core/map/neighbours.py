"""Exact k nearest neighbours in feature space, with torch: the training images a drawing is closest to.

    distances, indices = nearest(query, base, k=8)   # (Q,k) each, nearest first

Exact, not approximate: for one drawing against 60,000 training images the whole search is one
pass of torch.cdist over chunks of the base, well under the page's 300 ms (bench/map/speed.py).
"""
from __future__ import annotations

import torch

CHUNK = 8192  # base rows per cdist call: (Q, 8192) distances at a time, whatever N is


def nearest(query: torch.Tensor, base: torch.Tensor, k: int = 8, chunk: int = CHUNK) -> tuple[torch.Tensor, torch.Tensor]:
    """The k rows of (N,D) `base` closest to each row of (Q,D) `query` in Euclidean distance: (Q,k) distances, (Q,k) indices."""
    if query.ndim != 2 or base.ndim != 2 or query.shape[1] != base.shape[1]:
        raise ValueError(f"query {tuple(query.shape)} and base {tuple(base.shape)} must be (Q,D) and (N,D)")
    k = min(k, len(base))
    best_distances = torch.empty(len(query), 0, dtype=torch.float32)
    best_indices = torch.empty(len(query), 0, dtype=torch.long)
    query = query.float()
    for start in range(0, len(base), chunk):
        block = base[start : start + chunk].float()
        # exact differences, not the |a|^2+|b|^2-2ab matrix trick, so an image's distance to itself is exactly 0
        distances = torch.cdist(query, block, compute_mode="donot_use_mm_for_euclid_dist")  # (Q, chunk)
        top = distances.topk(min(k, distances.shape[1]), dim=1, largest=False)
        merged_distances = torch.cat([best_distances, top.values], dim=1)
        merged_indices = torch.cat([best_indices, top.indices + start], dim=1)
        keep = merged_distances.topk(min(k, merged_distances.shape[1]), dim=1, largest=False)
        best_distances = keep.values
        best_indices = merged_indices.gather(1, keep.indices)
    return best_distances, best_indices

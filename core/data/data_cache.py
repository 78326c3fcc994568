"""A cache of decoded MNIST, so that a new process skips torchvision's import and the decoding.

The cache file holds the four decoded tensors (uint8 images, int64 labels), saved with
torch.save and read back weights-only. It is keyed by the IDX files' paths, sizes and
modification times, so a changed or replaced file is decoded again. Any problem with
the cache (unwritable folder, damaged file) only means decoding again: it never fails a load.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import torch

from core.runs import atomic

Stamp = tuple[tuple[str, int, int], ...]  # (path, mtime_ns, size) of each IDX file


def cache_dir() -> Path:
    """$MNIST_CACHE_DIR, else the user's cache folder."""
    if os.environ.get("MNIST_CACHE_DIR"):
        return Path(os.environ["MNIST_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mnist-cnn-studio"


def cache_path(stamp: Stamp) -> Path:
    return cache_dir() / f"mnist-{hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]}.pt"


def read(stamp: Stamp, keys: set[str]) -> dict[str, torch.Tensor] | None:
    """The decoded tensors saved for exactly these files, one per key, or None."""
    try:
        decoded = torch.load(cache_path(stamp), weights_only=True)
    except Exception:  # missing, truncated or foreign file: decode again
        return None
    if not isinstance(decoded, dict) or set(decoded) != keys:
        return None
    return decoded if all(isinstance(tensor, torch.Tensor) for tensor in decoded.values()) else None


def write(stamp: Stamp, decoded: dict[str, torch.Tensor]) -> None:
    """Save atomically; silently skipped where the cache folder cannot be written."""
    target = cache_path(stamp)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_file(target, lambda handle: torch.save(decoded, handle))
    except OSError:
        pass

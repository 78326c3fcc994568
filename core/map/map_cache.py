"""The non-linear map of one checkpoint, cached on disk beside its run: `<run>/maps/<method>-epoch-NNN.pt`.

A cache file is a dict of plain parts, written atomically (core.runs.atomic: a hidden temp file,
then one rename, so a job killed mid-write leaves no half file) and loaded weights-only:
    {"key": str, "method": str, "epoch": int, "coords": (N,2) float32, "reference": (N,50) float32,
     "pca_mean": (D,) float32, "pca_components": (D,50) float32}   (the PCA that made `reference`)
`key` says which weights and which test images it was computed from (weights_key); a file
whose key differs (the run was retrained or resumed) or that is damaged is not trusted:
`load` returns None and the caller computes the map afresh.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import torch

from core.runs import atomic

FOLDER = "maps"
VERSION = "1"  # bump when what a map means changes (method settings), so old files are recomputed


def cache_path(run_dir: Path, method: str, epoch: int) -> Path:
    return run_dir / FOLDER / f"{method}-epoch-{epoch:03d}.pt"


def weights_key(state: dict[str, torch.Tensor], labels: torch.Tensor, extra: str = "") -> str:
    """A digest of the weights' values and of the test labels: any change to either gives a new key."""
    digest = hashlib.sha256(f"{VERSION}|{extra}|".encode())
    for name in sorted(state):
        tensor = state[name].detach().cpu().contiguous()
        digest.update(f"{name}:{tuple(tensor.shape)}:{tensor.dtype}".encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())  # the raw bytes, any dtype
    digest.update(labels.to(torch.int64).numpy().tobytes())
    return digest.hexdigest()


TENSORS = ("coords", "reference", "pca_mean", "pca_components")


def save(path: Path, key: str, method: str, epoch: int, tensors: dict[str, torch.Tensor]) -> None:
    """Write the map (the TENSORS parts) atomically; the folder is created when missing."""
    parts: dict[str, Any] = {"key": key, "method": method, "epoch": epoch}
    parts.update({name: tensors[name].detach().float().cpu().contiguous() for name in TENSORS})
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_file(path, lambda handle: torch.save(parts, handle))


def load(path: Path, key: str) -> dict[str, Any] | None:
    """The cached parts when the file is whole, ours and made from the same weights; None otherwise."""
    parts = read_parts(path)
    if not _whole(parts) or parts["key"] != key:
        return None
    return parts


def read_parts(path: Path) -> Any | None:
    """A cache file loaded weights-only (core.explain.explain_cache reads its files this way too);
    None when it is missing, a symbolic link, or unreadable."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # truncated, random bytes, a pickle asking for code: recompute rather than trust
        return None


def _whole(parts: Any) -> bool:
    if not isinstance(parts, dict) or not isinstance(parts.get("key"), str):
        return False
    if not all(isinstance(parts.get(name), torch.Tensor) for name in TENSORS):
        return False
    coords, reference, mean, components = (parts[name] for name in TENSORS)
    return (
        coords.ndim == 2 and coords.shape[1] == 2 and reference.ndim == 2
        and len(coords) == len(reference) > 0
        and mean.ndim == 1 and components.shape == (len(mean), reference.shape[1])
        and bool(torch.isfinite(coords).all())
    )

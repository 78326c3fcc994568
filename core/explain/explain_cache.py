"""Cached results of long explanations (filter views, robustness), one file per checkpoint beside its run.

Modelled on core.map.map_cache: a file is a dict of plain parts written atomically (a hidden temp
file, then one rename) and loaded weights-only:
    {"key": str, "version": str, **parts}     parts: tensors, ints, floats, strings
`key` names the weights and test images it came from (core.map.map_cache.weights_key); a file whose
key differs, that is damaged, or that the caller's `whole` check refuses is not trusted: `load`
returns None and the caller computes afresh.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from core.map.map_cache import read_parts, weights_key
from core.runs import atomic

__all__ = ["load", "save", "weights_key"]


def save(path: Path, key: str, version: str, parts: dict[str, Any]) -> None:
    """Write `parts` atomically under `key`; the folder is created when missing."""
    whole = {"key": key, "version": version}
    whole.update({name: value.detach().cpu().contiguous() if isinstance(value, torch.Tensor) else value
                  for name, value in parts.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_file(path, lambda handle: torch.save(whole, handle))


def load(path: Path, key: str, version: str, whole: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    """The cached parts when the file is readable, made from the same weights and passes `whole`; else None."""
    parts = read_parts(path)
    if not isinstance(parts, dict) or parts.get("key") != key or parts.get("version") != version:
        return None
    try:
        return parts if whole(parts) else None
    except (KeyError, TypeError, AttributeError, IndexError, RuntimeError):  # parts of the wrong kind
        return None

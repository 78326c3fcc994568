"""model.pt, loaded weights-only and checked before anyone uses it.

`torch.load(..., weights_only=True)` unpickles tensors and plain containers and
refuses any other global, so a file crafted to run code when unpickled is
refused before the code runs. Every problem becomes a CheckpointError whose one
line names the run, the file and what is wrong with it.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import torch

from core.training.config import ConfigError, TrainConfig
from core.training.network import build
from core.runs.pickle_scan import code_globals

WEIGHTS = "model.pt"
MAX_WEIGHTS_BYTES = 4 * 2**30  # a big design may reach GBs (core.training.capacity bounds it by memory); refuse anything absurd unread


class CheckpointError(RuntimeError):
    """A run is missing, damaged or not allowed; the message names the problem."""


def load_checkpoint(run_dir: Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """model.pt loaded weights-only and checked against its own config's architecture."""
    path = run_dir / WEIGHTS
    if path.is_symlink():
        raise CheckpointError(f"{run_dir.name}: {WEIGHTS} is a symbolic link; only real files in the run folder are read.")
    if not path.is_file():
        raise CheckpointError(f"{run_dir.name}: {WEIGHTS} is missing.")
    stat = path.stat()
    return _load_checked(str(path), stat.st_mtime_ns, stat.st_size, str(map_location))


@functools.lru_cache(maxsize=8)
def _load_checked(path: str, _mtime: int, size: int, map_location: str) -> dict[str, Any]:
    name = Path(path).parent.name
    if size == 0:
        raise CheckpointError(f"{name}: {WEIGHTS} is empty.")
    if size > MAX_WEIGHTS_BYTES:
        raise CheckpointError(f"{name}: {WEIGHTS} is {size / 2**20:.0f} MB, larger than any run of ours.")
    try:
        checkpoint = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as error:  # truncated zip, random bytes, a pickle that asks for code: all refused
        raise CheckpointError(f"{name}: {why_unloadable(error, Path(path))}") from error
    return check_loaded(name, checkpoint)


def check_loaded(name: str, checkpoint: Any) -> dict[str, Any]:
    """A loaded model.pt checked: our plain parts, and weights that fit its own config's design."""
    _check_parts(name, checkpoint)
    try:
        config = TrainConfig.from_dict(checkpoint["config"])
        build(config.design).load_state_dict(checkpoint["model"])
    except (ConfigError, TypeError, KeyError, RuntimeError) as error:
        first_line = str(error).strip().splitlines()[0]
        model = checkpoint["config"].get("model")
        raise CheckpointError(f"{name}: the weights in {WEIGHTS} do not fit model '{model}' ({first_line[:200]}).") from error
    return checkpoint


def why_unloadable(error: Exception, path: Path | bytes | None = None, file_name: str = WEIGHTS) -> str:
    """torch.load's long, multi-line complaint as one sentence a learner can act on.

    Any global the weights-only loader refuses (exec, os.system, subprocess, eval, ...)
    means the file asks to run code when loaded; it is named, whatever torch's wording.
    """
    text = str(error)
    named = re.search(r"[Uu]nsupported (?:global: )?GLOBAL (\S+)", text)
    asked = [named.group(1)] if named else (code_globals(path) if path is not None else [])
    if asked:
        return (
            f"{file_name} asks to run code ({', '.join(asked[:3])}) when loaded, so it was refused: "
            "only plain weights are ever loaded. Delete this run; do not load it elsewhere either."
        )
    if isinstance(error, EOFError) or "zip archive" in text or "magic number" in text:
        return f"{file_name} is truncated or damaged (not a complete PyTorch checkpoint). Delete the run or train it again."
    return f"{file_name} is damaged or not a PyTorch checkpoint (random bytes or another kind of file). Delete the run."


def _check_parts(name: str, checkpoint: Any) -> None:
    """The plain parts core.training.trainer saves, with the types the rest of the project relies on."""
    parts_ok = (
        isinstance(checkpoint, dict)
        and isinstance(checkpoint.get("model"), dict)
        and isinstance(checkpoint.get("config"), dict)
        and isinstance(checkpoint.get("history"), list)
        and all(_is_epoch(epoch) for epoch in checkpoint["history"])
    )
    if not parts_ok:
        raise CheckpointError(f"{name}: {WEIGHTS} is not one of our checkpoints (no model weights, config and history).")


def _is_epoch(entry: Any) -> bool:
    """One history entry as core.training.trainer writes it: the numbers the charts and tables read."""
    numbers = ("epoch", "cost", "test_loss", "test_accuracy", "seconds")
    return isinstance(entry, dict) and all(isinstance(entry.get(key), (int, float)) for key in numbers)

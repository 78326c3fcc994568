"""Every epoch's weights of a run, epoch 0 (the initial weights) included.

    run_dir/epochs/epoch-000.pt   {"model": state_dict, "epoch": 0}   before any training
    run_dir/epochs/epoch-001.pt   {"model": state_dict, "epoch": 1}   after epoch 1, ...

core.training.fit writes them atomically (core.runs.atomic), each before the model.pt and run.json
that announce its epoch, so a reader that sees epoch k in run.json finds its file.
They are loaded weights-only, like model.pt: a file that asks to run code is refused.
A run saved before epochs were kept has no epochs/ folder; callers then show its last
epoch only (list_epochs returns []).

    for entry in list_epochs(run_dir): entry.epoch, entry.problem   # None when loadable
    model = load_epoch_model(run_dir, 3)                             # eval mode, on the CPU
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from core.runs import atomic
from core.runs.checkpoints import read_meta
from core.training.config import ConfigError, TrainConfig
from core.training.design import Design
from core.training.models import place
from core.training.network import build
from core.runs.weights import MAX_WEIGHTS_BYTES, CheckpointError, why_unloadable

FOLDER = "epochs"


def epoch_path(run_dir: Path, epoch: int) -> Path:
    """Where epoch `epoch`'s weights live (0 = the initial weights)."""
    return run_dir / FOLDER / f"epoch-{epoch:03d}.pt"


def snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    """A CPU copy of the model's weights in the default layout, safe from later training steps."""
    return {
        key: value.detach().to("cpu").clone(memory_format=torch.contiguous_format)
        for key, value in model.state_dict().items()
    }


def save_epochs(run_dir: Path, weights_by_epoch: dict[int, dict[str, torch.Tensor]]) -> None:
    """Write each epoch's file atomically (a hidden temp file, then one rename)."""
    if not weights_by_epoch:
        return
    folder = run_dir / FOLDER
    folder.mkdir(exist_ok=True)
    for epoch, state in sorted(weights_by_epoch.items()):
        parts = {"model": state, "epoch": epoch}
        atomic.write_file(epoch_path(run_dir, epoch), lambda handle: torch.save(parts, handle))


@dataclass(frozen=True)
class EpochFile:
    epoch: int
    path: Path
    problem: str | None  # None when loadable; otherwise a sentence saying why this epoch cannot be shown


def list_epochs(run_dir: Path) -> list[EpochFile]:
    """Epochs 0..done, each with its problem or None; [] for a run saved before epochs were kept.

    `done` is the number of epochs run.json (or model.pt) records; files beyond it are listed too.
    Nothing here raises: every problem becomes the entry's sentence.
    """
    folder = run_dir / FOLDER
    if folder.is_symlink():
        return [EpochFile(0, epoch_path(run_dir, 0), f"{FOLDER}/ is a symbolic link; only real folders are read.")]
    if not folder.is_dir():
        return []
    try:
        config, done = _run_facts(run_dir)
    except CheckpointError as error:
        return [EpochFile(0, epoch_path(run_dir, 0), str(error))]
    on_disk = {_epoch_number(path) for path in folder.glob("epoch-*.pt")} - {None}
    epochs = sorted(set(range(done + 1)) | on_disk)
    return [EpochFile(epoch, epoch_path(run_dir, epoch), _problem(run_dir, epoch, config)) for epoch in epochs]


def load_epoch_model(run_dir: Path, epoch: int) -> nn.Module:
    """Epoch `epoch`'s model in eval mode on the CPU; raises CheckpointError with a sentence."""
    config, _ = _run_facts(run_dir)
    model = build(config.design)
    model.load_state_dict(load_epoch_weights(run_dir, epoch))
    return place(model, "cpu").eval()


def load_epoch_weights(run_dir: Path, epoch: int) -> dict[str, torch.Tensor]:
    """Epoch `epoch`'s checked state dict (cached; never modify it), for loading many epochs into one model."""
    config, _ = _run_facts(run_dir)
    return _checked_weights(run_dir, epoch, config)


def _run_facts(run_dir: Path) -> tuple[TrainConfig, int]:
    """The run's config and how many epochs it has finished, from run.json."""
    meta = read_meta(run_dir)
    history = meta.get("history")
    return TrainConfig.from_dict(meta["config"]), len(history) if isinstance(history, list) else 0


def _epoch_number(path: Path) -> int | None:
    digits = path.stem.removeprefix("epoch-")
    return int(digits) if digits.isdigit() and len(digits) >= 3 else None


def _problem(run_dir: Path, epoch: int, config: TrainConfig) -> str | None:
    try:
        _checked_weights(run_dir, epoch, config)
    except CheckpointError as error:
        return str(error)
    return None


def _checked_weights(run_dir: Path, epoch: int, config: TrainConfig) -> dict[str, Any]:
    path = epoch_path(run_dir, epoch)
    name = f"{FOLDER}/{path.name}"
    if path.is_symlink():
        raise CheckpointError(f"Epoch {epoch}: {name} is a symbolic link; only real files in the run folder are read.")
    if not path.is_file():
        raise CheckpointError(
            f"Epoch {epoch}: {name} is missing (deleted, or the run was trained before every epoch was kept)."
        )
    stat = path.stat()
    return _load_checked(str(path), stat.st_mtime_ns, stat.st_size, epoch, config.design, config.model)


@functools.lru_cache(maxsize=32)  # a 15-epoch run's 16 files, twice; deep_cnn's are 5.5 MB each
def _load_checked(path: str, _mtime: int, size: int, epoch: int, design: Design, model: str) -> dict[str, Any]:
    name = f"{FOLDER}/{Path(path).name}"
    if size == 0:
        raise CheckpointError(f"Epoch {epoch}: {name} is empty.")
    if size > MAX_WEIGHTS_BYTES:
        raise CheckpointError(f"Epoch {epoch}: {name} is {size / 2**20:.0f} MB, larger than any run of ours.")
    try:
        parts = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # truncated zip, random bytes, a pickle that asks for code: all refused
        raise CheckpointError(f"Epoch {epoch}: {why_unloadable(error, Path(path), name)}") from error
    if not isinstance(parts, dict) or not isinstance(parts.get("model"), dict) or parts.get("epoch") != epoch:
        raise CheckpointError(f"Epoch {epoch}: {name} is not this run's epoch {epoch} (no weights, or another epoch's).")
    try:
        build(design).load_state_dict(parts["model"])
    except (ConfigError, TypeError, KeyError, RuntimeError) as error:
        first_line = str(error).strip().splitlines()[0]
        raise CheckpointError(f"Epoch {epoch}: the weights in {name} do not fit model '{model}' ({first_line[:200]}).") from error
    return parts["model"]

"""Run folders: save atomically, list, load weights-only, report damaged runs.

A run folder `<checkpoint dir>/<name>/` holds
    model.pt   {"model", "optimizer", "schedule", "config", "history", "rng"}: plain parts
    run.json   config, per-epoch history, final metrics, status, dates, library versions
Both are rewritten after every epoch through a temp file and os.replace, and a
new folder appears whole (core.runs.atomic), so no reader ever sees half a run, even
after a crash. model.pt is the truth: its history belongs to its weights.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import torch

from core.runs import atomic
from core.training.config import ConfigError, TrainConfig
from core.data.loading import PROJECT_ROOT
from core.training.design_text import format_design
from core.training.models import place
from core.training.network import build
from core.runs.weights import WEIGHTS, CheckpointError, load_checkpoint  # noqa: F401 (callers use checkpoints.*)

META = "run.json"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def checkpoint_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The runs folder: the argument, else $MNIST_CHECKPOINT_DIR, else `checkpoints/` in the project."""
    chosen = explicit or os.environ.get("MNIST_CHECKPOINT_DIR") or PROJECT_ROOT / "checkpoints"
    return Path(chosen).expanduser()


def run_path(root: Path, name_or_path: str | os.PathLike) -> Path:
    """The run folder for a name or a path, refused unless it is a real folder directly inside `root`."""
    root = root.resolve()
    given = Path(name_or_path)
    candidate = given if given.is_absolute() or len(given.parts) > 1 else root / given
    try:
        if candidate.is_symlink():
            raise CheckpointError(f"{name_or_path} is a symbolic link; runs must be real folders in {root}.")
        resolved = candidate.resolve()
    except (OSError, ValueError) as error:  # a NUL byte, a name too long for the file system
        raise CheckpointError(f"{str(name_or_path)[:100]!r} is not a run folder inside {root}.") from error
    if resolved.parent != root or not NAME_PATTERN.match(resolved.name):
        raise CheckpointError(f"{name_or_path} is not a run folder inside {root}.")
    return resolved


def user_run_path(root: Path, name_or_path: str | os.PathLike) -> Path:
    """A run typed on the command line: a path to a run folder (anywhere: the user's own choice,
    e.g. the one core.train printed), or a run name, held to `root` as run_path holds it."""
    given = Path(name_or_path).expanduser()
    if not (given.is_absolute() or len(given.parts) > 1):
        return run_path(root, given)
    if not given.is_dir():
        raise CheckpointError(f"{name_or_path} is not a folder; give a run folder or the name of a run in {root}.")
    return given.resolve()


def new_run_name(root: Path, config: TrainConfig, when: str) -> str:
    """`<model>-<when>` (`<model>-<dataset>-<when>` beyond MNIST), with a counter if that name is taken.

    The name is claimed at once with a hidden file: the run's folder appears only at its first epoch,
    so a second run started in the same second would otherwise get the same name and share the folder."""
    dataset = "" if config.dataset == "mnist" else f"{config.dataset}-"
    base = f"{config.model}-{dataset}{when}"
    root.mkdir(parents=True, exist_ok=True)
    name, n = base, 1
    while True:
        if not (root / name).exists():
            try:
                os.close(os.open(_claim_path(root, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                return name
            except FileExistsError:  # claimed by another run, perhaps in another process
                pass
        n += 1
        name = f"{base}-{n}"


def release_name(root: Path, name: str) -> None:
    """Drop a name's claim: its folder now exists, or the run will never make one."""
    _claim_path(root, name).unlink(missing_ok=True)


def _claim_path(root: Path, name: str) -> Path:
    return root / f".{name}.claimed"  # hidden, so list_runs skips it


def unique_name(root: Path, base: str) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first name no folder in `root` has."""
    name, n = base, 1
    while (root / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def save(
    run_dir: Path, checkpoint: dict[str, Any], meta: dict[str, Any], first: Callable[[Path], None] | None = None
) -> None:
    """Write weights then metadata, each atomically; the first save fills a hidden folder, then renames it.

    `first(folder)` writes more files before the weights (core.training.fit: the epoch files), into the
    staging folder on the first save, so nothing names an epoch whose files are not there yet.
    """
    if run_dir.is_dir():
        _write_run(run_dir, checkpoint, meta, first)
        return
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    with atomic.new_folder(run_dir) as staging:  # a crash now leaves a hidden .tmp folder, never a half run
        _write_run(staging, checkpoint, meta, first)
    release_name(run_dir.parent, run_dir.name)  # the folder holds the name from now on


def _write_run(
    folder: Path, checkpoint: dict[str, Any], meta: dict[str, Any], first: Callable[[Path], None] | None
) -> None:
    if first is not None:
        first(folder)
    atomic.write_file(folder / WEIGHTS, lambda handle: torch.save(checkpoint, handle))
    save_meta(folder, meta)


def save_meta(run_dir: Path, meta: dict[str, Any]) -> None:
    """Rewrite run.json alone, e.g. to mark a stop; the weights stay those of the last epoch."""
    atomic.write_file(run_dir / META, lambda handle: handle.write(json.dumps(meta, indent=1).encode()))


def mark_stopped(run_dir: Path, message: str) -> int:
    """Mark a run cut short mid-epoch as stopped, keeping what is on disk; returns its saved epochs (0: no run yet)."""
    try:
        meta = read_meta(run_dir)
    except CheckpointError:  # no epoch had been saved yet
        return 0
    save_meta(run_dir, {**meta, "status": "stopped", "message": message})
    return meta.get("metrics", {}).get("epochs_done", 0)


def read_meta(run_dir: Path) -> dict[str, Any]:
    path = run_dir / META
    if path.is_symlink():
        raise CheckpointError(f"{run_dir.name}: {META} is a symbolic link; only real files in the run folder are read.")
    if not path.is_file():
        raise CheckpointError(f"{run_dir.name}: {META} is missing.")
    try:
        meta = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{run_dir.name}: {META} is not valid JSON ({error}).") from error
    if not isinstance(meta, dict) or not isinstance(meta.get("config"), dict):
        raise CheckpointError(f"{run_dir.name}: {META} has no config.")
    try:
        TrainConfig.from_dict(meta["config"])
    except (ConfigError, TypeError) as error:
        raise CheckpointError(f"{run_dir.name}: {META} has an invalid config ({error}).") from error
    return meta


def load_model(run_dir: Path, device: str | torch.device = "cpu") -> tuple[torch.nn.Module, dict[str, Any]]:
    """The run's model in eval mode on `device`, with its checkpoint."""
    checkpoint = load_checkpoint(run_dir)
    config = TrainConfig.from_dict(checkpoint["config"])
    model = build(config.design)
    model.load_state_dict(checkpoint["model"])
    return place(model, device).eval(), checkpoint


@dataclass(frozen=True)
class RunInfo:
    name: str
    path: Path
    meta: dict[str, Any]  # {} when damaged
    damaged: str | None = None  # the reason, when the run cannot be used

    @property
    def config(self) -> TrainConfig | None:
        return TrainConfig.from_dict(self.meta["config"]) if self.meta else None


def inspect_run(run_dir: Path) -> RunInfo:
    """Metadata plus a weights-only check; any problem becomes `damaged`, never an exception."""
    try:
        meta = read_meta(run_dir)
        checkpoint = load_checkpoint(run_dir)
        weights_model, meta_model = checkpoint["config"].get("model"), meta["config"].get("model")
        if weights_model != meta_model:
            raise CheckpointError(f"{run_dir.name}: {WEIGHTS} holds a {weights_model} but {META} says {meta_model}.")
        _same_design(run_dir, checkpoint["config"], meta["config"])  # two custom designs share the label "custom"
    except CheckpointError as error:
        return RunInfo(run_dir.name, run_dir, {}, damaged=str(error))
    return RunInfo(run_dir.name, run_dir, agreeing_meta(meta, checkpoint["history"]))


def _same_design(run_dir: Path, weights_config: dict[str, Any], meta_config: dict[str, Any]) -> None:
    try:
        held = TrainConfig.from_dict(weights_config).design
    except (ConfigError, TypeError) as error:
        raise CheckpointError(f"{run_dir.name}: {WEIGHTS} has an invalid config ({error}).") from error
    said = TrainConfig.from_dict(meta_config).design  # read_meta checked it
    if held != said:
        raise CheckpointError(f"{run_dir.name}: {WEIGHTS} holds the design {format_design(held)} but {META} says {format_design(said)}.")


def agreeing_meta(meta: dict[str, Any], history: list[dict[str, Any]]) -> dict[str, Any]:
    """run.json's fields with model.pt's history and the metrics it implies: a kill between the two
    writes leaves run.json one epoch behind, and a hand-edited one may lack fields the pages read."""
    last = history[-1] if history else {}
    saved = meta.get("metrics") if isinstance(meta.get("metrics"), dict) else {}
    metrics = {
        **saved,
        "epochs_done": len(history),
        "test_accuracy": last.get("test_accuracy"),
        "test_loss": last.get("test_loss"),
        "final_cost": last.get("cost"),
        "train_seconds": sum(epoch.get("seconds", 0.0) for epoch in history),
    }
    text = {key: str(meta.get(key, "")) for key in ("message", "created", "updated")}
    return {**meta, **text, "history": history, "metrics": metrics, "status": live_status(meta)}


def live_status(meta: dict[str, Any]) -> str:
    """A run still marked 'running' whose process is gone was interrupted (killed, crashed)."""
    status = str(meta.get("status", "finished"))
    if status == "running" and not process_alive(meta.get("pid")):
        return "interrupted"
    return status


def process_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def list_runs(root: Path) -> list[RunInfo]:
    """Every run folder under `root`, newest first; hidden temp folders and stray files are skipped."""
    if not root.is_dir():
        return []
    runs = []
    for entry in root.iterdir():
        if entry.name.startswith(".") or not entry.is_dir() or entry.is_symlink():
            continue
        if not NAME_PATTERN.match(entry.name):
            continue
        runs.append(inspect_run(entry))
    return sorted(runs, key=lambda run: (run.meta.get("updated", ""), run.name), reverse=True)


def delete_run(root: Path, name: str) -> None:
    """Remove one run folder inside `root`, and nothing else."""
    run_dir = run_path(root, name)
    if not run_dir.is_dir():
        raise CheckpointError(f"There is no run named {name}.")
    shutil.rmtree(run_dir)

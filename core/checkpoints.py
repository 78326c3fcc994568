"""Run folders: save atomically, list, load weights-only, report damaged runs.

A run folder `<checkpoint dir>/<name>/` holds
    model.pt   {"model", "optimizer", "schedule", "config", "history", "rng"}: plain parts
    run.json   config, per-epoch history, final metrics, status, dates, library versions
Both are rewritten after every epoch through a temp file and os.replace, so no
reader ever sees half a file. model.pt is the truth: its history belongs to its weights.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from core.config import ConfigError, TrainConfig
from core.data import PROJECT_ROOT
from core.models import build_model, memory_format_for

WEIGHTS = "model.pt"
META = "run.json"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
MAX_WEIGHTS_BYTES = 200 * 1024 * 1024  # our largest run is ~17 MB; refuse anything absurd before reading


class CheckpointError(RuntimeError):
    """A run is missing, damaged or not allowed; the message names the problem."""


def checkpoint_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The runs folder: the argument, else $MNIST_CHECKPOINT_DIR, else `checkpoints/` in the project."""
    chosen = explicit or os.environ.get("MNIST_CHECKPOINT_DIR") or PROJECT_ROOT / "checkpoints"
    return Path(chosen).expanduser()


def run_path(root: Path, name_or_path: str | os.PathLike) -> Path:
    """The run folder for a name or a path, refused unless it is a real folder directly inside `root`."""
    root = root.resolve()
    given = Path(name_or_path)
    candidate = given if given.is_absolute() or len(given.parts) > 1 else root / given
    if candidate.is_symlink():
        raise CheckpointError(f"{name_or_path} is a symbolic link; runs must be real folders in {root}.")
    resolved = candidate.resolve()
    if resolved.parent != root or not NAME_PATTERN.match(resolved.name):
        raise CheckpointError(f"{name_or_path} is not a run folder inside {root}.")
    return resolved


def new_run_name(root: Path, config: TrainConfig, when: str) -> str:
    """`<model>-<when>`, with a counter if that name is taken."""
    base = f"{config.model}-{when}"
    name, n = base, 1
    while (root / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _atomic_write(path: Path, write: Any) -> None:
    """Write through a hidden temp file beside `path`, fsync, then os.replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(run_dir: Path, checkpoint: dict[str, Any], meta: dict[str, Any]) -> None:
    """Write weights then metadata, each atomically; creates the folder on the first save."""
    run_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write(run_dir / WEIGHTS, lambda handle: torch.save(checkpoint, handle))
    save_meta(run_dir, meta)


def save_meta(run_dir: Path, meta: dict[str, Any]) -> None:
    """Rewrite run.json alone, e.g. to mark a stop; the weights stay those of the last epoch."""
    _atomic_write(run_dir / META, lambda handle: handle.write(json.dumps(meta, indent=1).encode()))


def read_meta(run_dir: Path) -> dict[str, Any]:
    path = run_dir / META
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


def load_checkpoint(run_dir: Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """model.pt loaded weights-only and checked against its own config's architecture."""
    path = run_dir / WEIGHTS
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
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CheckpointError(f"{name}: {WEIGHTS} could not be loaded safely ({first_line[:200]}).") from error
    if not isinstance(checkpoint, dict) or not {"model", "config", "history"} <= checkpoint.keys():
        raise CheckpointError(f"{name}: {WEIGHTS} is not one of our checkpoints (missing model/config/history).")
    try:
        config = TrainConfig.from_dict(checkpoint["config"])
        build_model(config.model, config.dropout).load_state_dict(checkpoint["model"])
    except (ConfigError, TypeError, KeyError, RuntimeError) as error:
        first_line = str(error).strip().splitlines()[0]
        raise CheckpointError(f"{name}: the weights do not fit model '{checkpoint['config'].get('model')}' ({first_line[:200]}).") from error
    return checkpoint


def load_model(run_dir: Path, device: str | torch.device = "cpu") -> tuple[torch.nn.Module, dict[str, Any]]:
    """The run's model in eval mode on `device`, with its checkpoint."""
    checkpoint = load_checkpoint(run_dir)
    config = TrainConfig.from_dict(checkpoint["config"])
    model = build_model(config.model, config.dropout)
    model.load_state_dict(checkpoint["model"])
    return model.to(device, memory_format=memory_format_for(device)).eval(), checkpoint


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
        if checkpoint["config"].get("model") != meta["config"].get("model"):
            raise CheckpointError(f"{run_dir.name}: {WEIGHTS} and {META} name different models.")
        meta = {**meta, "status": live_status(meta)}
        return RunInfo(run_dir.name, run_dir, meta)
    except CheckpointError as error:
        return RunInfo(run_dir.name, run_dir, {}, damaged=str(error))


def live_status(meta: dict[str, Any]) -> str:
    """A run still marked 'running' whose process is gone was interrupted (killed, crashed)."""
    status = meta.get("status", "finished")
    if status == "running" and not _process_alive(meta.get("pid")):
        return "interrupted"
    return status


def _process_alive(pid: Any) -> bool:
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

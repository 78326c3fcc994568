"""Train a run and save it after every epoch: the one loop the CLI and the UI's job share.

    trainer, run_dir = new_run(config, data, root)      # or resume_run(run_dir, data, epochs)
    for event in fit(trainer, run_dir, stop): ...
"""
from __future__ import annotations

import os
import platform
import threading
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any, Iterator

import torch

from core.runs import checkpoints, telemetry_file
from core.training.config import TrainConfig
from core.data.loading import Dataset
from core.runs.epochs import epoch_path, save_epochs, snapshot
from core.evaluate import lecture_accuracy
from core.training.events import EpochEnd, Event, Stopped, Telemetry
from core.training.trainer import Trainer


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_run(
    config: TrainConfig, data: Dataset, root: Path, device: str = "auto", name: str | None = None
) -> tuple[Trainer, Path]:
    """A fresh trainer and the folder its run will be saved in (created at the first epoch)."""
    trainer = Trainer(config, data, device)
    return trainer, checkpoints.run_path(root, name or fresh_run_name(root, config))


def fresh_run_name(root: Path, config: TrainConfig) -> str:
    """`<model>-<local time>`, with a counter if a run in `root` already has that name."""
    return checkpoints.new_run_name(root, config, datetime.now().strftime("%Y%m%d-%H%M%S"))


def resume_run(run_dir: Path, data: Dataset, epochs: int, device: str = "auto") -> Trainer:
    """A trainer that continues a saved run up to `epochs` in total."""
    checkpoint = checkpoints.load_checkpoint(run_dir)
    planned = TrainConfig.from_dict(checkpoint["config"])
    config = planned.with_changes(epochs=epochs)
    if epochs <= len(checkpoint["history"]):
        raise ValueError(f"{run_dir.name} already has {len(checkpoint['history'])} epochs; ask for more than that.")
    if planned.schedule == "onecycle" and epochs != planned.epochs:
        # the cycle's length is its epoch count: another count would jump the rate mid-cycle
        raise ValueError(
            f"{run_dir.name} follows a one-cycle schedule planned for {planned.epochs} epochs; resume it with "
            f"{planned.epochs} epochs, or start a new run to train longer."
        )
    return Trainer(config, data, device, checkpoint=checkpoint)


def fit(
    trainer: Trainer, run_dir: Path, stop: threading.Event | None = None, labels: dict[str, Any] | None = None
) -> Iterator[Event]:
    """Run the trainer, saving weights and run.json after each epoch and marking how it ended.

    Every epoch's weights are kept too (core.runs.epochs), epoch 0 being the weights before training.
    `labels` are extra top-level run.json fields, e.g. {"sweep": {"study": ..., "trial": 3}}."""
    try:
        yield from _fit(trainer, run_dir, stop, labels)
    finally:  # a run stopped or failed before its first epoch frees its name (checkpoints.new_run_name)
        checkpoints.release_name(run_dir.parent, run_dir.name)


def _fit(trainer: Trainer, run_dir: Path, stop: threading.Event | None, labels: dict[str, Any] | None) -> Iterator[Event]:
    created = _created(run_dir)
    unsaved = _unsaved_start(trainer, run_dir)  # {epoch: weights} written with the next save
    recorded: list[dict[str, Any]] = []  # this epoch's Telemetry records, appended with its save
    if trainer.recorder is not None:
        trainer.recorder.adopt(telemetry_file.header_of(run_dir))

    def write_extras(folder: Path) -> None:
        save_epochs(folder, unsaved)
        if recorded:
            telemetry_file.append(folder, trainer.recorder.header(), recorded)

    for event in trainer.run(stop):
        if isinstance(event, Telemetry):
            recorded.append(event.record)
        elif isinstance(event, EpochEnd):
            done = event.epoch == trainer.config.epochs
            status = "finished" if done else "running"
            extra = {"lecture_accuracy": lecture_accuracy(trainer.model, trainer.data.test)} if done else {}
            unsaved[event.epoch] = snapshot(trainer.model)
            meta = run_meta(trainer, run_dir, status, "", created, extra)
            checkpoints.save(run_dir, trainer.checkpoint(), {**meta, **(labels or {})}, first=write_extras)
            unsaved, recorded[:] = {}, []
        elif isinstance(event, Stopped) and trainer.epochs_done > 0:
            if recorded:  # the stopped epoch's records too: they show where it went wrong
                telemetry_file.append(run_dir, trainer.recorder.header(), recorded)
            # the model in memory is part-way through an epoch: keep the saved weights, mark the run
            meta = run_meta(trainer, run_dir, event.reason, event.message, created)
            checkpoints.save_meta(run_dir, {**meta, **(labels or {})})
        yield event


def _unsaved_start(trainer: Trainer, run_dir: Path) -> dict[int, dict[str, torch.Tensor]]:
    """The weights the trainer starts from, when no epoch file holds them yet: epoch 0 of a new
    run, or the last epoch of a resumed run trained before epochs were kept."""
    if epoch_path(run_dir, trainer.epochs_done).is_file():
        return {}
    return {trainer.epochs_done: snapshot(trainer.model)}


def _created(run_dir: Path) -> str:
    try:
        return checkpoints.read_meta(run_dir).get("created", now())
    except checkpoints.CheckpointError:
        return now()


def run_meta(
    trainer: Trainer, run_dir: Path, status: str, message: str, created: str, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the Runs page lists, in plain JSON."""
    history = trainer.history
    last = history[-1] if history else {}
    return {
        "name": run_dir.name,
        "status": status,  # running | finished | stopped | diverged | pruned (core.sweep)
        "message": message,
        "config": trainer.config.to_dict(),
        "history": history,
        "metrics": {
            "epochs_done": len(history),
            "test_accuracy": last.get("test_accuracy"),
            "test_loss": last.get("test_loss"),
            "final_cost": last.get("cost"),
            "train_seconds": sum(epoch["seconds"] for epoch in history),
            **(extra or {}),
        },
        "device": str(trainer.device),
        "pid": os.getpid(),
        "created": created,
        "updated": now(),
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "torchvision": version("torchvision"),  # not imported: it takes over a second
        },
    }

"""One trial is one normal run: a run folder, scored each epoch on the validation split, reported to Optuna.

    objective = TrialRunner(settings, data, root, study_name, storage_label, stop)
    study.optimize(objective, n_trials=1, catch=(TrialFailed,))

The run.json of a trial names its study and trial number; a pruned trial's run is marked
"pruned", a diverged one "diverged" with the reason, which the trial records too.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import optuna

from core.runs import checkpoints
from core.training.config import TrainConfig
from core.training.design_text import format_design
from core.training.errors import ConfigError
from core.data.loading import Dataset
from core.training.events import EpochEnd, Event, Stopped
from core.training.fit import fit, new_run
from core.sweep import stale
from core.sweep.study import SweepSettings

TEST_ACCURACY, RUN, EPOCHS_DONE, DESIGN = "test_accuracy", "run", "epochs_done", "design"  # trial user attributes


class TrialFailed(RuntimeError):
    """The trial's training diverged or was stopped; the sweep goes on (Optuna records it failed)."""


@dataclass
class TrialRunner:
    settings: SweepSettings
    data: Dataset
    root: Path
    study_name: str
    storage_label: str  # where the study lives, password-free, for run.json
    stop: threading.Event | None = None
    device: str = "auto"
    on_event: Callable[[int, Event], None] | None = None  # (trial number, event), e.g. for a progress view

    def config(self, trial: optuna.Trial) -> TrainConfig:
        """The trial's settings: the study's fixed ones and base design plus what Optuna samples."""
        return self.settings.space.apply(self.settings.base_config(), self.settings.space.suggest(trial))

    def __call__(self, trial: optuna.Trial) -> float:
        stale.claim(trial)
        try:
            config = self.config(trial)
            trial.set_user_attr(DESIGN, format_design(config.design))
            name = checkpoints.unique_name(self.root, f"{self.study_name}-trial-{trial.number:03d}")
            trainer, run_dir = new_run(config, self.data, self.root, self.device, name=name)
        except ConfigError as error:  # e.g. a sampled design too big for this machine's memory (core.training.capacity)
            trial.set_user_attr(stale.FAILURE, str(error))
            raise TrialFailed(str(error)) from error
        labels = {"sweep": {"study": self.study_name, "trial": trial.number, "storage": self.storage_label}}
        score = None
        for event in fit(trainer, run_dir, self.stop, labels):
            if self.on_event is not None:
                self.on_event(trial.number, event)
            if isinstance(event, EpochEnd):
                score = event.validation_accuracy
                if event.epoch == 1:
                    trial.set_user_attr(RUN, run_dir.name)  # the folder exists from the first epoch on
                trial.set_user_attr(TEST_ACCURACY, event.test_accuracy)  # shown, never optimised
                trial.set_user_attr(EPOCHS_DONE, event.epoch)
                trial.report(score, event.epoch)
                if event.epoch < config.epochs and trial.should_prune():
                    _mark(run_dir, "pruned", f"Pruned by the study's {self.settings.pruner} pruner after epoch {event.epoch}.")
                    raise optuna.TrialPruned(f"validation accuracy {score:.4f} at epoch {event.epoch}")
            elif isinstance(event, Stopped):
                trial.set_user_attr(stale.FAILURE, event.message)
                raise TrialFailed(event.message)
        assert score is not None  # fit ends with an epoch or a Stopped
        return score


def _mark(run_dir: Path, status: str, message: str) -> None:
    """Rewrite the run's status in run.json; its weights stay those of its last epoch."""
    meta = checkpoints.read_meta(run_dir)
    checkpoints.save_meta(run_dir, {**meta, "status": status, "message": message})

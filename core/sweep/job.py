"""A sweep as the app's one background job: this process becomes one more worker of the study.

    registry.start_sweep(SweepRequest("my-study", 20, SweepSettings(...)), data_dir, root)

It runs in core.training.jobs' thread, reports progress through `update(**JobSnapshot fields)`, and stops
after the current batch when asked; the trial cut short is recorded failed, "Stopped by request".
Workers started with `python -m core.sweep --study <same name>` join it.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import optuna

from core.data.loading import DatasetError, load_dataset
from core.training.events import BatchEnd, EpochEnd, Event
from core.sweep.report import best_line
from core.sweep.storage import StorageError, journal_path, open_storage, safe_url
from core.sweep.study import SweepSettings, open_study
from core.sweep.trial import TrialRunner
from core.sweep.worker import counts, work


@dataclass(frozen=True)
class SweepRequest:
    study: str
    trials: int  # the study's total of finished trials
    settings: SweepSettings
    storage: str | None = None  # None: the journal file in the runs folder


def run_sweep(
    request: SweepRequest, data_dir: str | Path | None, root: Path, stop: threading.Event, update: Callable[..., Any]
) -> None:
    """The job thread's body; every outcome ends in update(status=...) with a message."""
    try:
        storage = open_storage(request.storage, root)
        study, settings = open_study(storage, request.study, request.settings, given=set(_fields(request.settings)))
        data = load_dataset(settings.dataset, data_dir, allow_download=False)  # the study's, when it already existed
        label = safe_url(request.storage) if request.storage else str(journal_path(root))

        def on_event(trial: int, event: Event) -> None:
            if isinstance(event, BatchEnd):
                update(trial=trial, epoch=event.epoch, batch=event.batch, batches=event.batches)
            elif isinstance(event, EpochEnd):
                update(trial=trial, history=({"epoch": event.epoch, "test_accuracy": event.test_accuracy},))

        runner = TrialRunner(settings, data, root, request.study, label, stop=stop, on_event=on_event)
        update(status="running", trials_done=counts(study)[0])
        done = work(study, runner, request.trials, stop=stop, on_trial=lambda _trial: update(trials_done=counts(study)[0]))
        status = "stopped" if stop.is_set() and done < request.trials else "finished"
        update(status=status, trials_done=done, trial=None, message=best_line(study, root), eta=0.0)
    except (DatasetError, StorageError, ValueError) as error:  # SettingsMismatch is a ValueError
        update(status="failed", message=str(error), trial=None)
    except Exception as error:  # a bug, but the page must still say the job ended
        update(status="failed", message=f"The sweep failed: {type(error).__name__}: {error}", trial=None)


def _fields(settings: SweepSettings) -> dict[str, Any]:
    """The page asks for every setting explicitly, so a differing stored study is reported, never joined silently."""
    return settings.to_dict()


def load_study(name: str, root: Path, storage: str | None = None) -> optuna.Study | None:
    """The study for reading (the page's table and figures), or None if it does not exist yet.

    Reading never blocks workers: a journal file is read without its lock (writers append whole
    lines), and PostgreSQL readers never wait for writers."""
    try:
        return optuna.load_study(study_name=name, storage=open_storage(storage, root))
    except KeyError:
        return None

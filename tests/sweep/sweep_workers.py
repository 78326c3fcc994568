"""Helpers for the sweep tests: worker processes running `python -m core.sweep`, and a study's trials."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import optuna
from optuna.trial import TrialState

PROJECT = Path(__file__).resolve().parents[2]
# well under a second per trial on the tiny data, on a quiet machine: 2 epochs of 1 batch
QUICK = ["--epochs", "2", "--max-batches", "1", "--vary", "lr,optimizer"]


def start_worker(study: str, trials: int, data_dir: Path, runs: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "core.sweep", "--study", study, "--trials", str(trials),
               "--data-dir", str(data_dir), "--checkpoint-dir", str(runs), *extra]
    return subprocess.Popen(
        command, cwd=PROJECT, env={**os.environ, "OMP_NUM_THREADS": "1", **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(worker: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a worker, failing the test if it hangs."""
    out, err = worker.communicate(timeout=timeout)
    return worker.returncode, out, err


def load(study: str, storage: str | optuna.storages.BaseStorage) -> optuna.Study:
    return optuna.load_study(study_name=study, storage=storage)


def states(study: optuna.Study) -> dict[str, int]:
    """How many trials are in each state, e.g. {"COMPLETE": 5, "PRUNED": 1}."""
    counts: dict[str, int] = {}
    for trial in study.get_trials(deepcopy=False):
        counts[trial.state.name] = counts.get(trial.state.name, 0) + 1
    return counts


def wait_until(condition: Callable[[], object], timeout: float = 180, what: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def running_trial(study_name: str, storage_factory: Callable[[], optuna.storages.BaseStorage]) -> optuna.trial.FrozenTrial | None:
    """The first RUNNING trial that has finished an epoch (so it has a run folder), or None."""
    try:
        study = load(study_name, storage_factory())
    except KeyError:  # the worker has not created the study yet
        return None
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        if trial.intermediate_values:
            return trial
    return None

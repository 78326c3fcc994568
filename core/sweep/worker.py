"""A worker: run trials of one study until the study has its number of finished trials.

    finished = work(study, runner, target=20, timeout=None, stop=None, on_trial=print)

Any number of workers, on any number of machines, run this same loop on one study. Before each
trial a worker fails dead workers' trials (core.sweep.stale), then starts a trial only while the
finished ones plus those running elsewhere fall short of the target: so adding workers finishes
sooner instead of running more, and only trials started at the same instant can overshoot.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

import optuna
from optuna.trial import FrozenTrial, TrialState

from core.sweep.stale import fail_stale_trials
from core.sweep.trial import TrialFailed, TrialRunner

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)  # a trial that gave its answer; failed ones are redone
POLL_S = 1.0  # while the last trials run elsewhere, how often to look whether one died


def counts(study: optuna.Study) -> tuple[int, int]:
    """(finished, running) trials of the study."""
    trials = study.get_trials(deepcopy=False, states=(*FINISHED, TrialState.RUNNING))
    running = sum(trial.state == TrialState.RUNNING for trial in trials)
    return len(trials) - running, running


def work(
    study: optuna.Study,
    runner: TrialRunner,
    target: int,
    timeout: float | None = None,
    stop: threading.Event | None = None,
    on_trial: Callable[[FrozenTrial], None] | None = None,
) -> int:
    """Run trials until `target` have finished (or `timeout` s pass, or `stop` is set); returns how many finished."""
    deadline = None if timeout is None else time.monotonic() + timeout
    callbacks = [lambda _study, trial: on_trial(trial)] if on_trial else []
    while not (stop is not None and stop.is_set()) and (deadline is None or time.monotonic() < deadline):
        fail_stale_trials(study)
        finished, running = counts(study)
        if finished >= target:
            break
        if finished + running >= target:  # the last trials are running elsewhere; wait in case one dies
            time.sleep(POLL_S)
            continue
        study.optimize(runner, n_trials=1, catch=(TrialFailed,), callbacks=callbacks)
    return counts(study)[0]

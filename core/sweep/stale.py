"""Trials whose worker died: failed, so the study never waits on them forever.

PostgreSQL: Optuna's heartbeat (core.sweep.storage) marks them, through `optuna.storages.fail_stale_trials`.
A journal file has no heartbeat, so each trial records its worker's host and process id, and a
RUNNING trial whose process is gone from this host is failed here. Journal files are for one
machine; a trial from another host is left alone, as we cannot see its processes.
"""
from __future__ import annotations

import os
import socket
import warnings

import optuna
from optuna.storages.journal import JournalStorage
from optuna.trial import TrialState

from core.runs.checkpoints import process_alive

HOST, PID = "worker_host", "worker_pid"  # trial user attributes
FAILURE = "failure"  # trial user attribute: why it failed, one sentence


def claim(trial: optuna.Trial) -> None:
    """Record which process runs `trial`, for the journal's stale check."""
    trial.set_user_attr(HOST, socket.gethostname())
    trial.set_user_attr(PID, os.getpid())


def fail_stale_trials(study: optuna.Study) -> list[int]:
    """Fail the trials of dead workers; returns their numbers.

    PostgreSQL also queues each one again once (its heartbeat callback); a journal file does not, as
    two workers could both queue it, and the worker loop starts fresh trials until the count is met."""
    with warnings.catch_warnings():  # fail_stale_trials is marked experimental; it is Optuna's documented fix
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        before = {t.number for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))}
        optuna.storages.fail_stale_trials(study)  # heartbeat storages (PostgreSQL); a no-op for the others
    storage = study._storage  # optuna's own fail_stale_trials reads it the same way
    if not isinstance(storage, JournalStorage):
        states = (TrialState.FAIL,)
        return sorted(before & {t.number for t in study.get_trials(deepcopy=False, states=states)})
    failed = []
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        attrs = trial.user_attrs
        if attrs.get(HOST) != socket.gethostname() or process_alive(attrs.get(PID)):
            continue
        message = f"Its worker (process {attrs.get(PID)} on {attrs.get(HOST)}) died mid-trial."
        try:
            storage.set_trial_user_attr(trial._trial_id, FAILURE, message)
            if storage.set_trial_state_values(trial._trial_id, state=TrialState.FAIL):
                failed.append(trial.number)
        except optuna.exceptions.UpdateFinishedTrialError:
            pass  # another worker failed it first
    return failed

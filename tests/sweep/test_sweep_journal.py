"""Sweeps on the default journal file: worker processes share one study; a killed worker's trial is failed."""
from __future__ import annotations

import json
import signal

from optuna.trial import TrialState

from core.data.loading import load_mnist
from core.sweep.stale import FAILURE, PID
from core.sweep.storage import open_storage
from core.sweep.study import SweepSettings, open_study
from core.sweep.trial import RUN, TrialRunner
from core.sweep.worker import work
from tests.sweep.sweep_workers import QUICK, finish, load, running_trial, start_worker, states, wait_until


def test_two_workers_on_one_journal_file_finish_the_study_total(tiny_mnist_dir, tmp_path):
    runs, trials = tmp_path / "runs", 6
    workers = [start_worker("pair", trials, tiny_mnist_dir, runs, *QUICK) for _ in range(2)]
    results = [finish(worker) for worker in workers]
    assert all(code == 0 for code, _, _ in results), results
    study = load("pair", open_storage(None, runs))
    counts = states(study)
    finished = counts.get("COMPLETE", 0) + counts.get("PRUNED", 0)
    assert trials <= finished <= trials + 1, counts  # one extra at most, from two trials started at once
    assert counts.get("RUNNING", 0) == 0 and counts.get("FAIL", 0) == 0, counts
    # both workers did part of the work, and each printed one line per trial it finished, then the best
    lines = [[line for line in out.splitlines() if line.startswith("trial ")] for _, out, _ in results]
    assert all(lines) and sum(map(len, lines)) == finished
    assert all(out.splitlines()[-1].startswith("Best: trial ") for _, out, _ in results)
    # every trial is a normal run whose run.json names the study and the trial
    for trial in study.trials:
        meta = json.loads((runs / trial.user_attrs[RUN] / "run.json").read_text())
        assert meta["sweep"]["study"] == "pair" and meta["sweep"]["trial"] == trial.number
        assert meta["config"]["validation"] is True
        assert meta["status"] == ("pruned" if trial.state == TrialState.PRUNED else "finished")


def test_a_killed_workers_trial_is_failed_and_the_study_still_completes(tiny_mnist_dir, tmp_path):
    runs = tmp_path / "runs"
    victim = start_worker("killed", 2, tiny_mnist_dir, runs, "--epochs", "6", "--max-batches", "1", "--vary", "lr")
    storage = lambda: open_storage(None, runs)
    trial = wait_until(lambda: running_trial("killed", storage), what="the first trial's first epoch")
    victim.send_signal(signal.SIGKILL)
    victim.wait()  # reaped, so its process id is gone
    assert trial.user_attrs[PID] == victim.pid

    # a worker started after the kill, here in this process, finishes the study
    study, settings = open_study(storage(), "killed", SweepSettings(), given=set())
    assert settings.epochs == 6 and settings.space.vary == ("lr",)  # joined by name: the stored settings
    runner = TrialRunner(settings, load_mnist(tiny_mnist_dir), runs, "killed", "journal")
    assert work(study, runner, target=2) == 2
    dead = study.trials[trial.number]
    assert dead.state == TrialState.FAIL
    assert str(victim.pid) in dead.user_attrs[FAILURE]
    assert sum(t.state == TrialState.COMPLETE for t in study.trials) == 2
    assert not [t for t in study.trials if t.state == TrialState.RUNNING]

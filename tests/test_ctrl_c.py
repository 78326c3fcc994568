"""Ctrl-C on the training and sweep CLIs: a real SIGINT sent to a real child process.

The first Ctrl-C stops after the current batch and the run is marked "stopped", as the Train page's
Stop marks it; a second one ends at once. Both exit 130 and never say "Learning Finished!".
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
from optuna.trial import TrialState

from core.runs import checkpoints
from core.sweep.stale import FAILURE

PROJECT = Path(__file__).resolve().parents[1]
# 512 tiny training images in 2 batches of 256: each batch takes a good fraction of a second on
# 2 cores, so a signal sent when epoch 1 is printed lands inside epoch 2's first batch
SLOW_BATCHES = ["--batch-size", "256", "--epochs", "3"]


def start(module: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", module, *args], cwd=PROJECT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def read_until(child: subprocess.Popen, marker: str, seen: list[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            raise AssertionError(f"the process ended before printing {marker!r}:\n{''.join(seen)}")
        seen.append(line)
        if marker in line:
            return
    raise AssertionError(f"no {marker!r} within {timeout} s:\n{''.join(seen)}")


def finish(child: subprocess.Popen, seen: list[str]) -> str:
    rest, _ = child.communicate(timeout=120)
    return "".join(seen) + rest


def only_run(runs: Path) -> Path:
    (run_dir,) = [entry for entry in runs.iterdir() if not entry.name.startswith(".")]
    return run_dir


def train_into_epoch_2(runs: Path, data_dir: Path) -> tuple[subprocess.Popen, list[str]]:
    """core.train started on slow batches, read until epoch 1's line: the run is in epoch 2."""
    child = start("core.train", "--data-dir", str(data_dir), "--checkpoint-dir", str(runs), "--device", "cpu", *SLOW_BATCHES)
    seen: list[str] = []
    read_until(child, "[Epoch:    1]", seen)
    return child, seen


def test_ctrl_c_in_epoch_2_stops_after_the_batch_marks_the_run_stopped_and_exits_130(tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    child, seen = train_into_epoch_2(runs, tiny_mnist_dir)
    child.send_signal(signal.SIGINT)
    output = finish(child, seen)

    assert child.returncode == 130, output
    assert "Stopped by request during epoch 2; epoch 1 is saved." in output
    assert "Learning Finished!" not in output and "Traceback" not in output
    meta = json.loads((only_run(runs) / "run.json").read_text())
    assert (meta["status"], meta["message"]) == ("stopped", "Stopped by request during epoch 2.")
    assert meta["metrics"]["epochs_done"] == 1


def test_a_second_ctrl_c_ends_at_once_and_keeps_the_last_saved_epoch(tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    child, seen = train_into_epoch_2(runs, tiny_mnist_dir)
    child.send_signal(signal.SIGINT)
    read_until(child, "press Ctrl-C again", seen)  # the first one is handled, mid-batch
    child.send_signal(signal.SIGINT)
    output = finish(child, seen)

    assert child.returncode == 130, output
    assert "Stopped at once by a second Ctrl-C; epoch 1 is saved." in output
    assert "Learning Finished!" not in output and "Traceback" not in output
    run_dir = only_run(runs)
    meta = checkpoints.read_meta(run_dir)
    assert meta["status"] == "stopped" and meta["metrics"]["epochs_done"] == 1
    _, checkpoint = checkpoints.load_model(run_dir)  # the saved epoch still loads
    assert len(checkpoint["history"]) == 1


def test_ctrl_c_during_a_sweep_fails_the_cut_short_trial_and_exits_130(tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    child = start("core.sweep", "--study", "halt", "--trials", "3", "--epochs", "3", "--vary", "lr,optimizer",
                  "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs))
    first_epoch = runs / "halt-trial-000" / "run.json"
    deadline = time.monotonic() + 120
    while not first_epoch.is_file():  # trial 0 has saved epoch 1 and trains epoch 2 (about a second)
        assert child.poll() is None and time.monotonic() < deadline, child.communicate()[0]
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)
    output = finish(child, [])

    assert child.returncode == 130, output
    assert "Trial 0: Stopped by request during epoch 2, marked failed and epoch 1 is saved; " \
           "0 finished trials are saved in the study." in output
    assert "Traceback" not in output
    meta = json.loads(first_epoch.read_text())
    assert (meta["status"], meta["message"]) == ("stopped", "Stopped by request during epoch 2.")
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(runs / "optuna-journal.log")))
    (trial,) = optuna.load_study(study_name="halt", storage=storage).trials  # no trial started after the stop
    assert trial.state == TrialState.FAIL and trial.user_attrs[FAILURE] == "Stopped by request during epoch 2."


def test_a_second_ctrl_c_ends_a_sweep_at_once_and_keeps_the_trials_last_saved_epoch(tmp_path, tiny_mnist_dir):
    from core.sweep.space import SearchSpace
    from core.sweep.storage import open_storage
    from core.sweep.study import SweepSettings, open_study
    from core.sweep.trial import RUN

    runs = tmp_path / "runs"
    settings = SweepSettings(space=SearchSpace(vary=("lr", "batch_size")), epochs=4)
    study, _ = open_study(open_storage(None, runs), "abrupt", settings, given={"space", "epochs"})
    study.enqueue_trial({"lr": 0.003, "batch_size": 256})  # one slow batch per epoch, as in SLOW_BATCHES
    child = start("core.sweep", "--study", "abrupt", "--trials", "2", "--epochs", "4", "--vary", "lr,batch_size",
                  "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs))
    first_epoch = runs / "abrupt-trial-000" / "run.json"
    seen: list[str] = []
    read_until(child, "Study abrupt", seen)
    deadline = time.monotonic() + 120
    # epoch 1 is saved and the study knows the trial's run: a signal from now on lands in a later epoch
    while not optuna.load_study(study_name="abrupt", storage=open_storage(None, runs)).trials[0].user_attrs.get(RUN):
        assert child.poll() is None and time.monotonic() < deadline, child.communicate()[0]
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)
    read_until(child, "press Ctrl-C again", seen)
    child.send_signal(signal.SIGINT)
    output = finish(child, seen)

    assert child.returncode == 130, output
    assert "Stopped at once by a second Ctrl-C; trial 0 is failed and epoch" in output, output
    assert "0 finished trials are saved in the study." in output and "Traceback" not in output, output
    meta = checkpoints.read_meta(first_epoch.parent)
    assert meta["status"] == "stopped" and meta["message"] == "Stopped at once by a second Ctrl-C."
    _, checkpoint = checkpoints.load_model(first_epoch.parent)  # its last saved epoch still loads
    assert len(checkpoint["history"]) == meta["metrics"]["epochs_done"] >= 1
    (trial,) = optuna.load_study(study_name="abrupt", storage=open_storage(None, runs)).trials
    assert trial.state == TrialState.FAIL

"""kill -9 of a CLI training run: mid-epoch, and at the worst moments of a save. The run still loads,
its weights and history agree, temp files are never runs, and --resume carries on from there."""
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.runs import checkpoints
from core.data.loading import PROJECT_ROOT

QUICK = ["--batch-size", "32", "--max-batches", "2"]


def train_args(tiny_mnist_dir: Path, runs: Path, *flags: str) -> list[str]:
    return ["-m", "core.train", *flags, "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs), "--device", "cpu"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


def assert_consistent(runs: Path) -> checkpoints.RunInfo:
    """Exactly one usable run, whose listed history is its weights' history."""
    [run] = checkpoints.list_runs(runs)
    assert run.damaged is None
    _, checkpoint = checkpoints.load_model(run.path)
    assert run.meta["history"] == checkpoint["history"]
    assert run.meta["metrics"]["epochs_done"] == len(checkpoint["history"]) >= 1
    assert run.meta["metrics"]["test_accuracy"] == checkpoint["history"][-1]["test_accuracy"]
    return run


def resume_one_more(tiny_mnist_dir: Path, runs: Path, run: checkpoints.RunInfo) -> None:
    done = run.meta["metrics"]["epochs_done"]
    result = cli(*train_args(tiny_mnist_dir, runs, "--resume", run.name, "--epochs", str(done + 1)))
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("[Epoch:")][0].startswith(f"[Epoch: {done + 1:>4}]")
    resumed = assert_consistent(runs)
    assert [epoch["epoch"] for epoch in resumed.meta["history"]] == list(range(1, done + 2))
    assert resumed.meta["status"] == "finished"


def test_kill_9_in_the_middle_of_an_epoch(tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    # batches of 2: 256 steps an epoch, slow enough to be killed inside one
    process = subprocess.Popen(
        [sys.executable, *train_args(tiny_mnist_dir, runs, "--batch-size", "2", "--epochs", "500")],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)][::2]  # "Training ...", "design: ...", then epoch 1, printed after its save
        assert lines[1].startswith("[Epoch:    1]"), lines
        epoch_seconds = float(lines[1].split("(")[1].split(" s")[0])
        time.sleep(min(0.4 * epoch_seconds, 2.0))  # well inside epoch 2
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    run = assert_consistent(runs)
    assert run.meta["status"] == "interrupted"  # run.json still says "running", but its process is gone
    assert json.loads((run.path / "run.json").read_text())["status"] == "running"
    resume_one_more(tiny_mnist_dir, runs, run)


# os.replace (or os.rename) replaced by one that kill -9s the process on its n-th call for `target`
DYING_SAVE = """
import os, signal, sys
from core.train import main
target, call = sys.argv[1], int(sys.argv[2])
seen = []
def dying(real):
    def rename(source, destination):
        if os.path.basename(str(destination)).startswith(target):
            seen.append(destination)
            if len(seen) == call:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(source, destination)
    return rename
os.replace, os.rename = dying(os.replace), dying(os.rename)
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.parametrize(
    "target, call, epochs_kept",
    [
        ("model.pt", 2, 1),  # epoch 2's weights fully written to a temp file, never renamed
        ("run.json", 2, 2),  # epoch 2's weights in place, run.json still saying epoch 1
    ],
)
def test_kill_9_in_the_middle_of_a_save(target, call, epochs_kept, tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    args = train_args(tiny_mnist_dir, runs, *QUICK, "--epochs", "5")[2:]
    result = subprocess.run([sys.executable, "-c", DYING_SAVE, target, str(call), *args],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == -signal.SIGKILL, result.stderr
    [run_dir] = runs.iterdir()
    if target == "model.pt":
        assert [path.name for path in run_dir.iterdir() if path.name.endswith(".tmp")], "the temp file should be left"
    else:
        assert json.loads((run_dir / "run.json").read_text())["metrics"]["epochs_done"] == epochs_kept - 1
    run = assert_consistent(runs)
    assert run.meta["metrics"]["epochs_done"] == epochs_kept
    resume_one_more(tiny_mnist_dir, runs, run)


def test_kill_9_while_the_first_epoch_is_saved_leaves_no_run(tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    args = train_args(tiny_mnist_dir, runs, *QUICK, "--epochs", "2")[2:]
    name_prefix = "cnn-"  # the staging folder is renamed to the run's name, `cnn-<date>`
    result = subprocess.run([sys.executable, "-c", DYING_SAVE, name_prefix, "1", *args],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == -signal.SIGKILL, result.stderr
    # the run's hidden name claim stays too (core.runs.checkpoints.new_run_name)
    [leftover] = [path for path in runs.iterdir() if not path.name.endswith(".claimed")]
    assert leftover.name.startswith(".cnn-") and leftover.name.endswith(".tmp") and (leftover / "model.pt").is_file()
    assert checkpoints.list_runs(runs) == []
    again = cli(*train_args(tiny_mnist_dir, runs, *QUICK, "--epochs", "1"))
    assert again.returncode == 0, again.stderr
    assert [run.name for run in checkpoints.list_runs(runs)] == [again.stdout.splitlines()[-1].split("/")[-1]]


def test_temp_files_and_folders_are_never_listed_as_runs(tmp_path, tiny_mnist):
    from tests.app.conftest import make_run

    runs = tmp_path / "runs"
    run_dir = make_run(runs, tiny_mnist, "real-run")
    (run_dir / ".model.pt.k2j3.tmp").write_bytes(b"half a checkpoint")
    (run_dir / ".run.json.x9.tmp").write_text('{"config"')
    (runs / ".cnn-20260101-000000.abcd.tmp").mkdir()
    (runs / ".cnn-20260101-000000.abcd.tmp" / "model.pt").write_bytes(b"")
    (runs / "notes.tmp").write_text("a stray file, not a folder")
    assert [run.name for run in checkpoints.list_runs(runs)] == ["real-run"]
    assert checkpoints.list_runs(runs)[0].damaged is None

"""Bad hyperparameters and divergence through the command line: one sentence, exit code, nothing written."""
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from core.runs import checkpoints
from core.training.config import ConfigError, TrainConfig
from core.data.loading import PROJECT_ROOT

# (flags, a word the one line must contain), one per kind of mistake the issue names
BAD_FLAGS = [
    (["--lr", "0"], "lr"), (["--lr", "-0.5"], "lr"), (["--lr", "nan"], "lr"), (["--lr", "inf"], "lr"),
    (["--lr", "-inf"], "lr"), (["--lr", "1e999"], "lr"), (["--lr", "11"], "lr"),
    (["--epochs", "0"], "epochs"), (["--epochs", "-1"], "epochs"), (["--epochs", "1.5"], "epochs"),
    (["--batch-size", "0"], "batch-size"), (["--batch-size", "-64"], "batch-size"),
    (["--batch-size", "1000"], "batch_size 1000"),  # larger than the tiny set's 512 training images
    (["--batch-size", "60001"], "batch_size"),  # larger than MNIST's 60,000: refused before loading
    (["--model", "resnet"], "model"), (["--optimizer", "rmsprop"], "optimizer"),
    (["--lr", "fast"], "not a number"), (["--lr", ""], "not a number"), (["--epochs", "ten"], "whole number"),
    (["--batch-size", "1e3"], "whole number"), (["--seed", "x"], "seed"), (["--dropout", "nan"], "dropout"),
    (["--dropout", "1"], "dropout"), (["--max-batches", "0"], "max-batches"),
]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("flags, word", BAD_FLAGS)
def test_each_bad_flag_exits_2_with_one_line_naming_it_and_writes_nothing(flags, word, tmp_path, tiny_mnist_dir, capsys):
    from core.train import main

    runs = tmp_path / "runs"
    with pytest.raises(SystemExit) as exit_info:
        main([*flags, "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 2, captured.err
    [line] = captured.err.strip().splitlines()
    assert word in line and "Traceback" not in line and captured.out == ""
    assert not runs.exists()


@pytest.mark.parametrize("flags", [["--lr", "nan"], ["--batch-size", "1000"], ["--model", "resnet"]])
def test_a_real_process_prints_one_line_and_leaves_the_runs_folder_empty(flags, tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    runs.mkdir()
    result = cli("-m", "core.train", *flags, "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert list(runs.iterdir()) == []


@pytest.mark.parametrize(
    "field, value",
    [("lr", 0.0), ("lr", -1e-3), ("lr", math.nan), ("lr", math.inf), ("lr", -math.inf), ("epochs", 0),
     ("epochs", -5), ("batch_size", 0), ("batch_size", 60_001), ("model", "resnet"), ("lr", "0.1"),
     ("epochs", "3"), ("batch_size", 64.0), ("lr", None), ("lr", True)],
)
def test_the_config_refuses_each_in_one_sentence_naming_the_field(field, value):
    with pytest.raises(ConfigError) as error:
        TrainConfig(**{field: value})
    sentence = str(error.value)
    assert sentence.startswith(field) and sentence.endswith(".") and "\n" not in sentence


def test_a_batch_larger_than_the_loaded_training_set_is_refused_before_any_training(tiny_mnist, runs_dir):
    from core.training.fit import new_run

    with pytest.raises(ValueError, match="larger than the 512 training images"):
        new_run(TrainConfig(batch_size=513), tiny_mnist, runs_dir, device="cpu")
    assert not runs_dir.exists()


# lr 10 with SGD: the deeper CNN's cost on the tiny set overflows to NaN/inf after two 2-batch epochs
DIVERGING = ["--model", "deep_cnn", "--optimizer", "sgd", "--lr", "10", "--batch-size", "64", "--max-batches", "2"]


def test_lr_10_sgd_diverges_stops_itself_and_keeps_the_last_good_epoch(tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    common = ["--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs)]
    result = cli("-m", "core.train", *DIVERGING, "--epochs", "10", *common)
    assert result.returncode == 3, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Training diverged") and "lr 10, sgd" in line and "10x smaller" in line
    [run_dir] = runs.iterdir()
    meta = json.loads((run_dir / "run.json").read_text())
    done = meta["metrics"]["epochs_done"]
    assert meta["status"] == "diverged" and meta["message"] == line and 1 <= done < 10
    assert f"epoch {done + 1}, batch" in line and f"Epoch {done}, the last good one, is kept." in line

    [run] = checkpoints.list_runs(runs)
    assert run.damaged is None and run.meta["status"] == "diverged"
    _, checkpoint = checkpoints.load_model(run_dir)
    assert len(checkpoint["history"]) == done and all(math.isfinite(e["cost"]) for e in checkpoint["history"])
    scored = cli("-m", "core.evaluate", run_dir.name, *common)
    assert scored.returncode == 0 and scored.stdout.startswith("Accuracy: "), scored.stderr


def test_a_run_that_diverges_in_its_first_epoch_says_nothing_was_kept(tiny_mnist, runs_dir):
    from core.training.events import Stopped
    from core.training.fit import fit, new_run

    config = TrainConfig(model="deep_cnn", optimizer="sgd", lr=10.0, epochs=3, batch_size=64)
    trainer, run_dir = new_run(config, tiny_mnist, runs_dir, device="cpu")
    [stopped] = [event for event in fit(trainer, run_dir) if isinstance(event, Stopped)]
    assert stopped.reason == "diverged" and stopped.epochs_done == 0
    assert "kept" not in stopped.message and "nothing was saved" in stopped.message
    assert not run_dir.exists() and checkpoints.list_runs(runs_dir) == []


def test_the_dashboards_job_reports_divergence_and_the_run_is_marked(tiny_mnist_dir, runs_dir):
    from core.training.jobs import JobRegistry
    from tests.training.test_jobs import ended, wait_for

    registry = JobRegistry()
    config = TrainConfig(model="deep_cnn", optimizer="sgd", lr=10.0, epochs=10, batch_size=64, max_batches=2)
    registry.start(config, tiny_mnist_dir, runs_dir, device="cpu")
    final = wait_for(registry, ended, timeout=120)
    assert final.status == "diverged" and final.message.startswith("Training diverged")
    [run] = checkpoints.list_runs(runs_dir)
    assert run.damaged is None and run.meta["status"] == "diverged" and run.meta["message"] == final.message
    assert run.meta["metrics"]["epochs_done"] == len(final.history) >= 1

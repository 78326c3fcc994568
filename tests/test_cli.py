"""The command lines: the lecture's printout, a saved run, and one-line errors with exit code 2."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.data.loading import PROJECT_ROOT
from core.training.config import TrainConfig


def cli(*args):
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--lr", "0"], ["--lr", "-1"], ["--lr", "nan"], ["--lr", "inf"], ["--lr", "abc"],
        ["--epochs", "0"], ["--epochs", "-2"], ["--epochs", "two"],
        ["--batch-size", "0"], ["--batch-size", "60001"], ["--model", "resnet"], ["--seed", "x"],
        ["--resume", "../no-such-folder"], ["--dataset", "cifar"],
        ["--design", "c8-maxx,fc10"], ["--design", "c8-max,fc7"], ["--design", "c8,fc10", "--model", "cnn"],
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(args, tmp_path, tiny_mnist_dir, capsys):
    from core.train import main

    runs = tmp_path / "runs"
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs)])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 1 and captured.out == ""
    assert not runs.exists()


def test_a_bad_argument_in_a_real_process_prints_no_traceback(tmp_path):
    result = cli("-m", "core.train", "--lr", "-1", "--checkpoint-dir", str(tmp_path / "runs"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "lr" in result.stderr and not (tmp_path / "runs").exists()


def test_train_prints_the_lectures_lines_then_evaluate_scores_the_run(tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    common = ["--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs)]
    result = cli("-m", "core.train", "--epochs", "2", "--batch-size", "64", "--max-batches", "4", *common)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "design: c32-max,c64-max,fc10"  # the text form, usable with --arch
    assert lines[2].startswith("[Epoch:    1] cost = ") and lines[3].startswith("[Epoch:    2] cost = ")
    assert "Learning Finished!" in lines
    accuracy = [line for line in lines if line.startswith("Accuracy: ")][0]
    run_dir = Path(lines[-1].removeprefix("Run saved in "))
    assert run_dir.parent == runs.resolve() and (run_dir / "model.pt").is_file()

    scored = cli("-m", "core.evaluate", run_dir.name, *common)
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.splitlines()[0] == accuracy


def test_each_cli_takes_the_run_path_that_train_printed(tmp_path, tiny_mnist_dir):
    """The printed folder works as typed, with no --checkpoint-dir repeated (issue 13)."""
    data = ["--data-dir", str(tiny_mnist_dir)]
    trained = cli("-m", "core.train", "--epochs", "1", "--max-batches", "2", *data, "--checkpoint-dir", str(tmp_path / "ck"))
    assert trained.returncode == 0, trained.stderr
    printed = trained.stdout.splitlines()[-1].removeprefix("Run saved in ")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    scored = subprocess.run([sys.executable, "-m", "core.evaluate", printed, *data], cwd=elsewhere,
                            capture_output=True, text=True, timeout=120, env={**os.environ, "MNIST_CHECKPOINT_DIR": str(elsewhere), "PYTHONPATH": str(PROJECT_ROOT)})
    assert scored.returncode == 0, scored.stderr
    assert "Accuracy: " in scored.stdout and "Scored on the MNIST test set" in scored.stdout
    resumed = subprocess.run([sys.executable, "-m", "core.train", "--resume", printed, "--epochs", "2", "--max-batches", "2", *data],
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "MNIST_CHECKPOINT_DIR": str(elsewhere)})
    assert resumed.returncode == 0, resumed.stderr
    assert "[Epoch:    2]" in resumed.stdout and resumed.stdout.splitlines()[-1] == f"Run saved in {printed}"
    inspected = subprocess.run([sys.executable, "-m", "core.inspect", printed, "--test-index", "0", "--out", str(tmp_path / "out"),
                                *data], cwd=elsewhere, capture_output=True, text=True, timeout=300,
                               env={**os.environ, "MNIST_CHECKPOINT_DIR": str(elsewhere), "PYTHONPATH": str(PROJECT_ROOT)})
    assert inspected.returncode == 0, inspected.stderr
    assert (tmp_path / "out" / "inspect.json").is_file()
    assert not any(elsewhere.iterdir())


def test_a_custom_design_trains_from_the_command_line_and_every_cli_reads_its_run(tmp_path, tiny_mnist_dir):
    design = "c8k5-bn-max,c16-tanh-avg,gap,fc24-d0.25,fc10"
    common = ["--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(tmp_path / "runs")]
    trained = cli("-m", "core.train", "--design", design, "--epochs", "1", "--max-batches", "2", *common)
    assert trained.returncode == 0, trained.stderr
    assert "Training custom on MNIST" in trained.stdout
    run_dir = Path(trained.stdout.splitlines()[-1].removeprefix("Run saved in "))
    assert json.loads((run_dir / "run.json").read_text())["config"]["design"] == TrainConfig(design=design).design.to_dict()
    scored = cli("-m", "core.evaluate", str(run_dir), *common)
    assert scored.returncode == 0 and "Accuracy: " in scored.stdout, scored.stderr
    out = tmp_path / "out"
    inspected = cli("-m", "core.inspect", str(run_dir), "--test-index", "0", "--out", str(out), *common)
    assert inspected.returncode == 0, inspected.stderr
    assert {"maps-layer1.0.png", "maps-layer1.png", "maps-layer2.0.png", "maps-layer2.png", "filters.png"} <= {path.name for path in out.iterdir()}


def test_evaluate_reports_a_missing_run_in_one_line(tmp_path):
    result = cli("-m", "core.evaluate", "no-such-run", "--checkpoint-dir", str(tmp_path))
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert "no-such-run" in result.stderr


def test_missing_dataset_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import sys, torchvision.datasets.mnist as m;"
         "m.download_and_extract_archive = lambda *a, **k: (_ for _ in ()).throw(RuntimeError('offline'));"
         "from core.train import main; sys.exit(main(sys.argv[1:]))",
         "--data-dir", str(tmp_path / "nothing"), "--checkpoint-dir", str(tmp_path / "runs")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and "train-images-idx3-ubyte" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "runs").exists()

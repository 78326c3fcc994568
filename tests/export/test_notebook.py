"""The notebook passes nbformat.validate, its code cells joined are the script, and the CLI writes all four files."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from core.export.code import CELL_JOIN, script_text
from core.export.notebook import run_notebook
from core.training.config import TrainConfig
from tests.app.conftest import make_run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("config", [TrainConfig(), TrainConfig(model="deep_cnn", augment="strong", validation=True, schedule="onecycle")])
def test_the_notebook_is_valid_and_its_code_cells_are_the_script(config, tmp_path):
    path = tmp_path / "run.ipynb"
    nbformat.write(run_notebook(config, "run"), path)
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert CELL_JOIN.join(code) + "\n" == script_text(config, "run")
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)


def test_the_cli_writes_notebook_script_onnx_and_report(tmp_path, tiny_mnist, tiny_mnist_dir):
    make_run(tmp_path / "runs", tiny_mnist, "run")
    out = {kind: tmp_path / f"run.{ending}" for kind, ending in (("notebook", "ipynb"), ("script", "py"), ("onnx", "onnx"), ("report", "html"))}
    flags = [item for kind, path in out.items() for item in (f"--{kind}", str(path))]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MNIST_DATA_DIR": str(tiny_mnist_dir)}
    done = subprocess.run([sys.executable, "-m", "core.export", "run", "--checkpoint-dir", str(tmp_path / "runs"), *flags],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert all(path.stat().st_size > 0 for path in out.values()) and "onnxruntime agrees on 100.0000%" in done.stdout
    missing = subprocess.run([sys.executable, "-m", "core.export", "nope", "--script", "x.py", "--checkpoint-dir", str(tmp_path / "runs")],
                             capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert missing.returncode == 1 and len(missing.stderr.strip().splitlines()) == 1

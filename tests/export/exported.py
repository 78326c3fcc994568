"""Helpers for the export tests: run an exported script as a user would, and read its epoch costs."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

EPOCH_LINE = re.compile(r"\[Epoch:\s+(\d+)\] cost = ([0-9.eE+-]+)")


def run_script(script: Path, data_dir: Path, dataset_var: str = "MNIST_DATA_DIR", timeout: float = 120) -> str:
    """The script's output, run by the venv's python in isolated mode (-I: no PYTHONPATH, not the
    project's folder on sys.path) from the script's own folder, one thread like the tests."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MNIST", "FASHION", "PYTHON"))}
    env.update({dataset_var: str(data_dir), "OMP_NUM_THREADS": "2"})
    done = subprocess.run([sys.executable, "-I", str(script)], cwd=script.parent, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def epoch_costs(output: str) -> list[float]:
    return [float(cost) for _, cost in EPOCH_LINE.findall(output)]


def relative(a: float, b: float) -> float:
    return abs(a - b) / abs(b)

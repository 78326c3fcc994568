"""The first start stays light: Home, and the Lecture page after it, import none of the heavy libraries the
later pages use (Optuna, openTSNE, captum, ONNX, nbformat) and hold no network, checked in a fresh process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.app.conftest import ROOT

HEAVY = ("optuna", "openTSNE", "captum", "onnxruntime", "onnx", "nbformat")
PROBE = """
import gc, json, sys
from streamlit.testing.v1 import AppTest
import torch

HEAVY = {heavy!r}

def state(at):
    return {{"exception": [str(e.value) for e in at.exception], "heavy": [m for m in HEAVY if m in sys.modules],
            "networks": sum(isinstance(o, torch.nn.Module) for o in gc.get_objects())}}

at = AppTest.from_file({app!r}, default_timeout=60).run()
home = state(at)
at.switch_page("pages/0_Lecture.py").run()
print(json.dumps({{"home": home, "lecture": state(at)}}))
"""


def test_home_then_the_lecture_page_import_nothing_heavy(tmp_path: Path, tiny_mnist_dir: Path):
    runs = tmp_path / "runs"
    runs.mkdir()
    env = {**os.environ, "MNIST_DATA_DIR": str(tiny_mnist_dir), "MNIST_CHECKPOINT_DIR": str(runs),
           "FASHION_MNIST_DATA_DIR": str(tmp_path / "none"), "PYTHONPATH": str(ROOT)}
    probe = PROBE.format(heavy=HEAVY, app=str(ROOT / "app.py"))
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    for page in ("home", "lecture"):
        assert found[page]["exception"] == [], found
        assert found[page]["heavy"] == [], found
        assert found[page]["networks"] == 0, found  # no model loaded; the Lecture page's print(model) is not kept

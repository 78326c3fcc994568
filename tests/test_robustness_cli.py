"""python -m core.robustness: one line per eps in the issue's format; bad input exits 2 with one line."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from core import robustness as cli
from core.data.loading import load_mnist
from core.explain import robustness
from tests.explain.inside_run import trained_run


def test_one_line_per_eps(tiny_mnist_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(robustness, "IMAGES", 50)
    run_dir = trained_run(tiny_mnist_dir, tmp_path)
    assert cli.main([str(run_dir), "--data-dir", str(tiny_mnist_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[:6]] == [f"eps={eps:.2f}" for eps in robustness.EPSILONS]
    assert all(re.fullmatch(r"eps=\d\.\d\d  fgsm=\d\.\d{4}  pgd=\d\.\d{4}", line) for line in lines[:6])
    cached = robustness.cached_robustness(run_dir, load_mnist(tiny_mnist_dir, allow_download=False).test)
    assert lines[3] == f"eps=0.10  fgsm={cached.accuracy['fgsm'][3]:.4f}  pgd={cached.accuracy['pgd'][3]:.4f}"


@pytest.mark.parametrize("arguments", [["no-such-run"], [], ["run", "--bogus"]])
def test_bad_input_exits_2_with_one_line(tmp_path, arguments):
    done = subprocess.run([sys.executable, "-m", "core.robustness", *arguments, "--checkpoint-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""


def test_a_damaged_run_exits_2_with_one_line(tiny_mnist_dir, tmp_path):
    run_dir = trained_run(tiny_mnist_dir, tmp_path)
    (run_dir / "model.pt").write_bytes(b"garbage")
    done = subprocess.run([sys.executable, "-m", "core.robustness", str(run_dir), "--data-dir", str(tiny_mnist_dir)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr

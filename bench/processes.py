"""Whole processes, timed from start to exit, with their peak memory.

A learner waits for the whole command, imports and data loading included, so
this is the number that matters to them. Peak memory is the process's maximum
resident set size, as the kernel reports it when the child exits.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from core.data.loading import FILES, find_files


@dataclass(frozen=True)
class Process:
    label: str
    seconds: float
    peak_mib: float
    accuracy: float | None  # the test accuracy it printed, when it printed one
    output: str


def run_process(label: str, args: list[str], cwd: Path) -> Process:
    """Run `python args...` to the end; its wall time, peak RSS and printed `Accuracy:`."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # rusage of this child alone, unlike getrusage(RUSAGE_CHILDREN)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{label} exited {child.returncode}:\n{output[-2000:]}")
    found = re.search(r"^Accuracy:\s*([0-9.]+)", output, re.MULTILINE)
    return Process(label, seconds, usage.ru_maxrss / 1024, float(found.group(1)) if found else None, output)


def torchvision_root(data_dir: Path, root: Path) -> Path:
    """`root/MNIST/raw/` with the four extracted IDX files, as the lecture's dsets.MNIST wants them."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for key, path in (find_files(data_dir) or {}).items():
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as source:
            (raw / FILES[key]).write_bytes(source.read())
    return root


def lecture_epoch(root: Path, cwd: Path, max_batches: int | None) -> Process:
    """One lecture-loop epoch of the basic CNN, then its test accuracy: the notebook as a process."""
    args = ["-m", "bench.training.lecture_loop", "--root", str(root), "--model", "cnn", "--epochs", "1"]
    return run_process("lecture loop, 1 epoch", args + (["--max-batches", str(max_batches)] if max_batches else []), cwd)


def core_train(label: str, extra: list[str], data_dir: Path, runs: Path, cwd: Path) -> Process:
    """`python -m core.train ...` into `runs`."""
    args = ["-m", "core.train", "--data-dir", str(data_dir), "--checkpoint-dir", str(runs), *extra]
    return run_process(label, args, cwd)


def epoch_seconds(runs: Path) -> float:
    """Training seconds per epoch of the newest run in `runs`, from its run.json."""
    newest = max(runs.iterdir(), key=lambda path: path.stat().st_mtime)
    history = json.loads((newest / "run.json").read_text())["history"]
    return sum(epoch["seconds"] for epoch in history) / len(history)

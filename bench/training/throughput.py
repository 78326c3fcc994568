"""Training throughput, ours against the lecture loop's, taking turns.

Both train the same model at the lecture's settings (batch 100, Adam) from the
same data, each in its own process (bench/training/worker.py). Each round times `batches`
steps of the lecture loop, then `batches` steps of our Trainer (its full `run()`
path, events included), so that a busy neighbour or a clock change hits both
alike. The first round of each is a warm-up and is not counted.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
from dataclasses import dataclass

import torch
from torch.utils.flop_counter import FlopCounterMode

from core.training.config import TrainConfig
from core.data.loading import PROJECT_ROOT
from core.training.models import build_model


@dataclass(frozen=True)
class Throughput:
    model: str
    lecture: float  # images/s, median over rounds
    ours: float
    train_flops_per_image: float  # forward + backward

    @property
    def ratio(self) -> float:
        return self.ours / self.lecture


def train_flops_per_image(model_name: str, batch_size: int = 100) -> float:
    """FLOPs of one training step (forward and backward), counted by torch, per image."""
    model = build_model(model_name)
    images = torch.rand(batch_size, 1, 28, 28)
    labels = torch.randint(0, 10, (batch_size,))
    with FlopCounterMode(display=False) as counter:
        torch.nn.functional.cross_entropy(model(images), labels).backward()
    return counter.get_total_flops() / batch_size


class Side:
    """A bench.training.worker process: `race()` trains its next batches and returns the seconds taken."""

    def __init__(self, side: str, model: str, root: str, data_dir: str, batches: int) -> None:
        command = [sys.executable, "-m", "bench.training.worker", side, model, "--root", root, "--data-dir", data_dir,
                   "--batches", str(batches)]
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._answer()  # "ready": imports, data and model are set up

    def _answer(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"bench.training.worker {self.process.args[3]} exited with code {self.process.wait()}")
        return line

    def race(self) -> float:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return float(self._answer())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def compare(model: str, data_dir: str, torchvision_root: str, batches: int, rounds: int) -> Throughput:
    """Median images/s of each over `rounds` alternating rounds (plus one warm-up each)."""
    batch_size = TrainConfig().batch_size
    sides: list[Side] = []
    try:
        for side in ("lecture", "ours"):
            sides.append(Side(side, model, torchvision_root, data_dir, batches))
        # (lecture seconds, our seconds) per round; the first round warms up and is dropped
        times = [(sides[0].race(), sides[1].race()) for _ in range(rounds + 1)][1:]
    finally:
        for side in sides:
            side.close()
    return Throughput(
        model=model,
        lecture=statistics.median(batches * batch_size / seconds for seconds, _ in times),
        ours=statistics.median(batches * batch_size / seconds for _, seconds in times),
        train_flops_per_image=train_flops_per_image(model),
    )

"""Does a named model built from its design train as fast as the hand-written class it replaced?

    python -m bench.training.design_speed [--batches 60] [--rounds 5]

Raced in one process, taking turns: each round trains `batches` steps of the old class
(tests/training/legacy_models.py) then `batches` of the design-built network, at each model's
preset settings (cnn: batch 100; fast_cnn: batch 128), on random images (speed does not depend
on the pixels). A first round of each warms up and is not counted. Prints images/s (median)
and the ratio for `cnn` and `fast_cnn`.
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from core.training.models import build_model, place
from tests.training.legacy_models import LEGACY

BATCH_SIZES = {"cnn": 100, "fast_cnn": 128}


class Stepper:
    """One network, its Adam and a fixed batch: `time(batches)` trains that many steps, returning seconds."""

    def __init__(self, model: torch.nn.Module, batch_size: int) -> None:
        self.model = place(model, "cpu").train()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001)
        self.images = torch.rand(batch_size, 1, 28, 28)
        self.labels = torch.randint(0, 10, (batch_size,))

    def time(self, batches: int) -> float:
        started = time.perf_counter()
        for _ in range(batches):
            self.optimizer.zero_grad()
            F.cross_entropy(self.model(self.images), self.labels).backward()
            self.optimizer.step()
        return time.perf_counter() - started


def race(name: str, batches: int, rounds: int) -> dict[str, float]:
    """Median images/s of the old class and of the design-built network, over alternating rounds."""
    torch.manual_seed(0)
    size = BATCH_SIZES[name]
    old, new = Stepper(LEGACY[name](), size), Stepper(build_model(name), size)
    times = [(old.time(batches), new.time(batches)) for _ in range(rounds + 1)][1:]
    images = batches * size
    result = {"class": statistics.median(images / a for a, _ in times), "design": statistics.median(images / b for _, b in times)}
    return {**result, "ratio": result["design"] / result["class"],
            "spread": (max(images / b for _, b in times) - min(images / b for _, b in times)) / result["design"]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.training.design_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print("| model | class images/s | design images/s | design / class | round-to-round spread |")
    print("|---|---|---|---|---|")
    for name in BATCH_SIZES:
        r = race(name, args.batches, args.rounds)
        print(f"| {name} | {r['class']:,.0f} | {r['design']:,.0f} | {r['ratio']:.3f} | {r['spread']:.1%} |", flush=True)


if __name__ == "__main__":
    main()

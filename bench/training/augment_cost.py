"""What augmentation adds to a training epoch: the fast preset with and without it, taking turns.

    .venv/bin/python -m bench.training.augment_cost [--data-dir DIR] [--batches 50] [--rounds 5]

Two Trainers of the `fast` preset, one with `augment="none"` and one with each level,
run their full `run()` path in the same process; each round times `batches` steps of
one, then of the other, so a busy neighbour slows both alike. The first round is a
warm-up. The ratio of median step times is what an epoch grows by (the epoch's
scoring of the test set, the same for both, is left out, so this overstates it).
"""
from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable

from bench.training.worker import trainer_steps
from core.training.augment import LEVELS
from core.data.loading import Dataset, load_mnist
from core.training.presets import PRESETS


def stepper(level: str, data: Dataset) -> Callable[[int], None]:
    """Each call trains `count` more batches of an endless fast-preset run with this augmentation."""
    return trainer_steps(PRESETS["fast"].with_changes(augment=level, epochs=1000), data, device="cpu")


def _seconds(steps: Callable[[int], None], batches: int) -> float:
    started = time.perf_counter()
    steps(batches)
    return time.perf_counter() - started


def epoch_growth(data: Dataset, batches: int, rounds: int) -> dict[str, float]:
    """level -> median (seconds with it) / (seconds without), over alternating rounds."""
    plain = stepper("none", data)
    growth = {}
    for level in (name for name in LEVELS if name != "none"):
        augmented = stepper(level, data)
        times = [(_seconds(plain, batches), _seconds(augmented, batches)) for _ in range(rounds + 1)][1:]
        growth[level] = statistics.median(with_it / without for without, with_it in times)
    return growth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.training.augment_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="MNIST folder (default: $MNIST_DATA_DIR, else data/)")
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    for level, ratio in epoch_growth(load_mnist(args.data_dir), args.batches, args.rounds).items():
        print(f"fast preset, augment={level}: {ratio:.2f}x the step time without (target <= 1.30)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The Train page's time per epoch (core.training.epoch_time) against real training of three designs.

    PYTHONPATH=. .venv/bin/python -m bench.training.epoch_estimate [--batches 40] [--rounds 3] [--device auto] [--fresh] [--data-dir DIR]

Each design trains `batches` real batches through core.training.trainer (the page's own path:
Trainer.run, channels_last, Adam); the seconds between batch events after a warm-up, scaled to a
full epoch's batches, are its real epoch (the median over `rounds` rounds, the designs taking turns,
so a busy neighbour slows all alike). The estimate is the cached speed fit (or a fresh one with
--fresh). Without --data-dir the images are random at MNIST's size: the time depends on the sizes,
not the pixels. It prints one row per design and whether each is within ±30% of the real (median)
epoch; beside it, the epoch from the batches' 20th percentile, as the fit takes its steps: on a
machine others are busy on, that one checks the model and the median shows what a user waits.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from core.data.loading import Dataset, Split, load_mnist
from core.training.config import TRAIN_SET_SIZE, TrainConfig
from core.training.design_text import format_design, parse
from core.training.epoch_time import QUANTILE, Speed, load_speed, measure_speed
from core.training.events import BatchEnd
from core.training.trainer import Trainer, resolve_device

DESIGNS = (  # (design, batch size): the lecture's CNN, the fast CNN, and a custom one with GAP and a hidden layer
    ("c32-max,c64-max,fc10", 100),
    ("c16-max-bn,c32-max-bn,c64-max-bn,fc10,torch-init", 128),
    ("c24k5-avg,c48-max-bn,gap,fc64-d0.2,fc10", 64),
)
WARMUP = 5  # batches not counted: the first steps allocate and tune
TOLERANCE = 0.30


@dataclass(frozen=True)
class Check:
    design: str
    batch_size: int
    real_seconds: float  # one epoch, from the median measured batch
    quiet_seconds: float  # one epoch, from the 20th-percentile batch, as the fit takes its steps (a busy machine's best)
    estimated_seconds: float

    @property
    def ratio(self) -> float:
        return self.estimated_seconds / self.real_seconds

    @property
    def within(self) -> bool:
        return abs(self.ratio - 1) <= TOLERANCE


def random_dataset(train: int = TRAIN_SET_SIZE, test: int = 256) -> Dataset:
    """MNIST's shapes with random pixels and labels."""
    split = lambda count: Split(torch.rand(count, 1, 28, 28), torch.randint(0, 10, (count,)))
    return Dataset(split(train), split(test), Path("random"))


def real_epoch_seconds(text: str, batch_size: int, data: Dataset, batches: int, device: str) -> tuple[float, float]:
    """Seconds between batch events after WARMUP (their median, and their QUANTILE), times the epoch's batches."""
    config = TrainConfig(model="custom", design=text, batch_size=batch_size, epochs=1, max_batches=WARMUP + batches)
    trainer = Trainer(config, data, device)
    stamps = []
    for event in trainer.run():
        if isinstance(event, BatchEnd):
            stamps.append(time.perf_counter())
    steps = [after - before for before, after in zip(stamps[WARMUP:], stamps[WARMUP + 1:])]
    batches_per_epoch = len(data.train) // batch_size
    return statistics.median(steps) * batches_per_epoch, float(np.quantile(steps, QUANTILE)) * batches_per_epoch


def check(speed: Speed, data: Dataset, batches: int, device: str, rounds: int = 3) -> list[Check]:
    reals = [[real_epoch_seconds(text, size, data, batches, device) for text, size in DESIGNS] for _ in range(rounds)]
    checks = []
    for number, (text, batch_size) in enumerate(DESIGNS):
        real = statistics.median(times[number][0] for times in reals)
        quiet = statistics.median(times[number][1] for times in reals)
        estimate = speed.epoch_seconds(parse(text), batch_size, train_size=len(data.train))
        checks.append(Check(format_design(parse(text)), batch_size, real, quiet, estimate))
    return checks


def measure(batches: int, rounds: int, device: str = "auto", fresh: bool = False) -> list[dict]:
    """bench.run's entry: every check as plain numbers, on random images at MNIST's size."""
    chosen = resolve_device(device)
    speed = (None if fresh else load_speed(chosen)) or measure_speed(chosen)
    return [
        {"design": row.design, "batch_size": row.batch_size, "real_s": row.real_seconds, "quiet_s": row.quiet_seconds,
         "estimate_s": row.estimated_seconds, "ratio": row.ratio}
        for row in check(speed, random_dataset(), batches, str(chosen), rounds)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.training.epoch_estimate", description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=40, help="timed batches per design and round (after a warm-up of 5)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--fresh", action="store_true", help="measure the speed again instead of reading the cache")
    parser.add_argument("--data-dir", help="real MNIST instead of random images")
    args = parser.parse_args(argv)
    device = resolve_device(args.device)
    started = time.perf_counter()
    speed = (None if args.fresh else load_speed(device)) or measure_speed(device)
    print(f"speed fit ({time.perf_counter() - started:.1f} s): a={speed.per_flop:.3e} s/FLOP, b={speed.per_value:.3e} s/value, "
          f"c={speed.per_step * 1000:.2f} ms/step on {speed.machine}")
    data = load_mnist(args.data_dir, allow_download=False) if args.data_dir else random_dataset()
    checks = check(speed, data, args.batches, str(device), args.rounds)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'design':52s} {'batch':>5s} {'real s/epoch':>12s} {'quiet':>7s} {'estimate':>9s} {'ratio':>6s} {'to quiet':>8s}")
    for row in checks:
        print(f"{row.design:52s} {row.batch_size:5d} {row.real_seconds:12.2f} {row.quiet_seconds:7.2f} "
              f"{row.estimated_seconds:9.2f} {row.ratio:6.2f} {row.estimated_seconds / row.quiet_seconds:8.2f}"
              f"{'' if row.within else '  outside ±30%'}")
    return 0 if all(row.within for row in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())

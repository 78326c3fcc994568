"""What recording the internals costs: the same preset trained with and without the recorder, raced.

    python -m bench.training.telemetry_overhead [--batches 24] [--rounds 20]

For `cnn` (the lecture-cnn preset) and `fast`: two trainers from the same seed, one recording at
its default rate (every batches_per_epoch // 50, so ~50 records an epoch), one not. They take turns
inside one epoch, `batches` batches each per round, in one process on real MNIST ($MNIST_DATA_DIR);
the first round warms up and is not counted. Prints the median seconds per round, the overhead
(the median of the rounds' ratios, so load that drifts between rounds cancels), and the telemetry
file's size per epoch.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Iterator

import torch

from core.data.loading import load_mnist
from core.training.events import BatchEnd, Telemetry
from core.training.presets import PRESETS
from core.training.trainer import Trainer

NAMES = {"cnn": "lecture-cnn", "fast": "fast"}


def chunk_seconds(stream: Iterator, batches: int, sizes: list[int]) -> float:
    """Wall seconds for the next `batches` batches of `stream`, recording included; notes each record's size."""
    started, done = time.perf_counter(), 0
    while done < batches:
        event = next(stream)
        done += isinstance(event, BatchEnd)
        if isinstance(event, Telemetry):
            sizes.append(len(json.dumps(event.record)) + 1)
    return time.perf_counter() - started


def timed(owner: object, method: str) -> list[float]:
    """Wrap `owner.method` (on this instance only) so each call's seconds land in the returned list."""
    seconds: list[float] = []
    original = getattr(owner, method)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        result = original(*args, **kwargs)
        seconds.append(time.perf_counter() - started)
        return result

    setattr(owner, method, wrapper)
    return seconds


def race(name: str, data, batches: int, rounds: int) -> dict[str, float]:
    """Median of the per-round ratio recorded / plain: load that drifts between rounds cancels out."""
    config = PRESETS[NAMES[name]].with_changes(epochs=3, schedule="constant")  # rounds may cross an epoch end
    recorded, plain = Trainer(config, data, "cpu"), Trainer(config, data, "cpu")
    plain.recorder = None
    every = recorded.recorder.every
    record_s, step_s = timed(recorded.recorder, "record"), timed(plain, "_step")
    streams, sizes, times = (recorded.run(), plain.run()), [], []
    for _ in range(rounds + 1):
        times.append(tuple(chunk_seconds(stream, batches, sizes) for stream in streams))
    times = times[1:]  # warm-up round
    header = len(json.dumps(recorded.recorder.header())) + 1
    return {"recorded": statistics.median(t[0] for t in times), "plain": statistics.median(t[1] for t in times),
            "overhead": statistics.median(r / p for r, p in times) - 1, "every": every,
            # the same, from each call's own clock: a record's cost over the `every` steps it stands for
            "per_call": statistics.median(record_s) / (every * statistics.median(step_s)),
            "record_ms": statistics.median(record_s) * 1000, "step_ms": statistics.median(step_s) * 1000,
            "epoch_bytes": statistics.mean(sizes) * (recorded.batches // every), "header_bytes": header}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.training.telemetry_overhead", description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    data = load_mnist(os.environ.get("MNIST_DATA_DIR"), allow_download=False)
    print(f"| preset | record every | plain s / {args.batches} batches | recorded s | overhead (median ratio) "
          "| one record / one step | overhead per call | file per epoch |")
    print("|---|---|---|---|---|---|---|---|")
    for name in NAMES:
        r = race(name, data, args.batches, args.rounds)
        print(f"| {name} | {r['every']} | {r['plain']:.2f} | {r['recorded']:.2f} | {r['overhead']:+.1%} "
              f"| {r['record_ms']:.1f} ms / {r['step_ms']:.1f} ms | {r['per_call']:+.1%} "
              f"| {r['epoch_bytes'] / 2**20:.2f} MB (+{r['header_bytes'] / 1024:.0f} KB header) |", flush=True)


if __name__ == "__main__":
    main()

"""What recording the internals costs: the same preset trained with and without the recorder, raced.

    python -m bench.telemetry_overhead [--batches 120] [--rounds 5]

For `cnn` (the lecture-cnn preset) and `fast`: two trainers from the same seed, one recording at
the full epoch's rate (every batches_per_epoch // 50, so ~50 records an epoch), one not. They take
turns, `batches` batches each per round, in one process on real MNIST ($MNIST_DATA_DIR); the first
round warms up and is not counted. Prints the median training seconds (scoring excluded), the
overhead, and the telemetry file's size per full epoch.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics

import torch

from core.data.loading import load_mnist
from core.training.events import EpochEnd, Telemetry
from core.training.presets import PRESETS
from core.training.telemetry import every_for
from core.training.trainer import Trainer

NAMES = {"cnn": "lecture-cnn", "fast": "fast"}


def race(name: str, data, batches: int, rounds: int) -> dict[str, float]:
    base = PRESETS[NAMES[name]]
    config = base.with_changes(epochs=rounds + 1, max_batches=batches, schedule="constant")
    full_epoch = len(data.train.labels) // base.batch_size
    recorded, plain = Trainer(config, data, "cpu"), Trainer(config, data, "cpu")
    recorded.recorder.every, plain.recorder = every_for(full_epoch), None
    streams = {"recorded": recorded.run(), "plain": plain.run()}
    seconds: dict[str, list[float]] = {"recorded": [], "plain": []}
    record_bytes: list[int] = []
    for _ in range(rounds + 1):
        for key, stream in streams.items():
            for event in stream:
                if isinstance(event, Telemetry):
                    record_bytes.append(len(json.dumps(event.record)) + 1)
                if isinstance(event, EpochEnd):
                    seconds[key].append(event.seconds)
                    break
    recorded_s, plain_s = (statistics.median(seconds[k][1:]) for k in ("recorded", "plain"))
    header = len(json.dumps(recorded.recorder.header())) + 1
    per_epoch = statistics.mean(record_bytes) * (full_epoch // every_for(full_epoch))
    return {"recorded": recorded_s, "plain": plain_s, "overhead": recorded_s / plain_s - 1,
            "every": every_for(full_epoch), "epoch_bytes": per_epoch, "header_bytes": header}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.telemetry_overhead", description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    data = load_mnist(os.environ.get("MNIST_DATA_DIR"), allow_download=False)
    print(f"| preset | record every | plain s / {args.batches} batches | recorded s | overhead | file per epoch |")
    print("|---|---|---|---|---|---|")
    for name in NAMES:
        r = race(name, data, args.batches, args.rounds)
        print(f"| {name} | {r['every']} | {r['plain']:.2f} | {r['recorded']:.2f} | {r['overhead']:+.1%} "
              f"| {r['epoch_bytes'] / 2**20:.2f} MB (+{r['header_bytes'] / 1024:.0f} KB header) |", flush=True)


if __name__ == "__main__":
    main()

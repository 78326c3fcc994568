"""How long the learning-rate finder takes: the range test for `cnn` (Adam, batch 100) on real MNIST.

    python -m bench.training.lr_find_speed [--repeats 3]

Times find_lr alone (the data already loaded, as the app's job has it cached after the first load),
median of `repeats`, and prints the suggestion each time (the same: the finder is seeded).
"""
from __future__ import annotations

import argparse
import os
import statistics

import torch

from core.data.loading import load_mnist
from core.training.config import TrainConfig
from core.training.lr_find import find_lr


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.training.lr_find_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    data = load_mnist(os.environ.get("MNIST_DATA_DIR"), allow_download=False)
    results = [find_lr(TrainConfig(), data) for _ in range(args.repeats)]
    for result in results:
        print(f"{len(result.lrs)} batches in {result.seconds:.1f} s, suggested lr {result.suggestion:.3g}")
    print(f"median: {statistics.median(r.seconds for r in results):.1f} s for cnn (target <= 20 s)")


if __name__ == "__main__":
    main()

"""One side of the throughput race, in its own process, training on command.

    python -m bench.training.worker lecture|ours MODEL --root TORCHVISION_ROOT --data-dir DIR --batches K

Each line on stdin ("go") trains K more batches; the worker answers with the seconds
they took. A separate process per side keeps the lecture loop exactly as the notebook
runs it: `lecture` never imports `core`, so none of our process settings
(core/__init__.py) reach it. Pipes make the two sides take turns.
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import Callable


def lecture_steps(model: str, root: str) -> Callable[[int], None]:
    from bench.training.lecture_loop import LectureLoop

    loop = LectureLoop(root, model)
    return loop.batches


def our_steps(model: str, data_dir: str) -> Callable[[int], None]:
    """Our Trainer's full run() path; each call trains `count` batches of an endless run."""
    from core.training.config import TrainConfig
    from core.data.loading import load_mnist

    return trainer_steps(TrainConfig(model=model, epochs=1000), load_mnist(data_dir))


def trainer_steps(config, data, device: str = "auto") -> Callable[[int], None]:
    """Each call trains `count` more batches of an endless run of `config` (it must never finish an epoch)."""
    from core.data.loading import Dataset, Split
    from core.training.events import BatchEnd
    from core.training.trainer import Trainer

    # the race never finishes an epoch, so the per-epoch scoring (of 10 images here) stays out of the timing
    quick = Dataset(train=data.train, test=Split(data.test.images[:10], data.test.labels[:10]), source=data.source,
                    spec=data.spec)
    events = Trainer(config, quick, device).run()

    def steps(count: int) -> None:
        done = 0
        for event in events:
            done += isinstance(event, BatchEnd)
            if done == count:
                return

    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.training.worker")
    parser.add_argument("side", choices=["lecture", "ours"])
    parser.add_argument("model")
    parser.add_argument("--root", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--batches", type=int, required=True)
    args = parser.parse_args(argv)
    steps = lecture_steps(args.model, args.root) if args.side == "lecture" else our_steps(args.model, args.data_dir)
    print("ready", flush=True)
    for _ in sys.stdin:
        started = time.perf_counter()
        steps(args.batches)
        print(time.perf_counter() - started, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

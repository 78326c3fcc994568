"""Training throughput, ours against the lecture loop's, in one process, alternating.

Both train the same model at the lecture's settings (batch 100, Adam) from the
same data. Each round times `batches` steps of the lecture loop, then `batches`
steps of our Trainer (its full `run()` path, events included), so that a busy
neighbour or a clock change hits both alike. The first round of each is a
warm-up and is not counted.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import torch
from torch.utils.flop_counter import FlopCounterMode

from bench.lecture_loop import LectureLoop
from core.config import TrainConfig
from core.data import Mnist, Split
from core.events import BatchEnd
from core.models import build_model
from core.trainer import Trainer


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


def _ours(config: TrainConfig, data: Mnist, batches: int, rounds: int):
    """A generator that, on each next(), trains `batches` steps and yields their images/s."""
    # every round is one short "epoch"; a 10-image test split keeps the per-epoch scoring out of the way
    quick = Mnist(train=data.train, test=Split(data.test.images[:10], data.test.labels[:10]), source=data.source)
    trainer = Trainer(config.with_changes(epochs=rounds, max_batches=batches), quick, device="auto")
    events = trainer.run()
    for _ in range(rounds):
        started = time.perf_counter()
        for event in events:
            if isinstance(event, BatchEnd) and event.batch == batches:
                break
        yield batches * config.batch_size / (time.perf_counter() - started)
        next(events)  # the round's EpochEnd: scores the 10 images, outside the timing


def compare(model: str, data: Mnist, torchvision_root: str, batches: int, rounds: int) -> Throughput:
    """Median images/s of each over `rounds` alternating rounds (plus one warm-up each)."""
    config = TrainConfig(model=model)
    lecture = LectureLoop(torchvision_root, model, batch_size=config.batch_size, seed=config.seed)
    ours = _ours(config, data, batches, rounds + 1)
    lecture_rates, our_rates = [], []
    for round_ in range(rounds + 1):
        started = time.perf_counter()
        lecture.batches(batches)
        lecture_rate = batches * config.batch_size / (time.perf_counter() - started)
        our_rate = next(ours)
        if round_ > 0:
            lecture_rates.append(lecture_rate)
            our_rates.append(our_rate)
    return Throughput(
        model=model,
        lecture=statistics.median(lecture_rates),
        ours=statistics.median(our_rates),
        train_flops_per_image=train_flops_per_image(model),
    )

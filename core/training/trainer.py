"""The lecture's training loop, on in-memory tensors, reporting events as it goes.

    trainer = Trainer(TrainConfig(), load_mnist())
    for event in trainer.run(stop_flag):
        ...  # BatchEnd, EpochEnd, Stopped

Batches come in exactly the order the lecture's shuffled DataLoader gives, so
the cost curve is the lecture's, without the DataLoader's per-image overhead.
"""
from __future__ import annotations

import math
import random
import threading
import time
import warnings
from typing import Any, Iterator

import torch
import torch.nn.functional as F

from core.training.augment import Augmenter
from core.training.config import TrainConfig
from core.data.loading import Dataset, Split
from core.evaluate import score
from core.training.events import BatchEnd, EpochEnd, Event, Stopped
from core.training.capacity import check_fits
from core.training.models import place
from core.training.network import build
from core.training.optim import build_optimizer, build_schedule
from core.training.telemetry import Recorder
from core.data.validation import hold_out


def resolve_device(device: str = "auto") -> torch.device:
    """'auto' picks CUDA when available, else the CPU."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for, but no CUDA GPU is available; use 'auto' or 'cpu'.")
    return torch.device(device)


def seed_everything(seed: int) -> None:
    """As the lecture does: python's random, torch, and every CUDA device."""
    random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def lecture_batch_order(n: int) -> torch.Tensor:
    """One epoch's shuffled indices, drawn from the global RNG exactly as DataLoader(shuffle=True) does."""
    torch.empty((), dtype=torch.int64).random_()  # the DataLoader iterator's _base_seed, drawn and unused
    seed = int(torch.empty((), dtype=torch.int64).random_().item())  # RandomSampler's per-epoch seed
    generator = torch.Generator()
    generator.manual_seed(seed)
    return torch.randperm(n, generator=generator)


class Trainer:
    """Owns a model, its optimizer and its history; `run` trains up to `config.epochs`."""

    def __init__(
        self, config: TrainConfig, data: Dataset, device: str = "auto", checkpoint: dict[str, Any] | None = None
    ) -> None:
        self.config = config
        if data.spec.name != config.dataset:  # a bug in the caller, never a user's choice
            raise ValueError(f"The run asks for {config.dataset} but was given {data.spec.name}.")
        self.data = data
        self.device = resolve_device(device)
        check_fits(config.design, config.batch_size, self.device)  # a sentence now, not the OOM killer later
        seed_everything(config.seed)
        self.model = place(build(config.design), self.device)
        self.optimizer = build_optimizer(self.model, config)
        # (55000,1,28,28) when a validation split is held out, else all (60000,1,28,28)
        train, self.validation = hold_out(data.train) if config.validation else (data.train, None)
        train = self.with_handwriting(config, train)
        self.batches = self.batches_per_epoch(config, len(train))
        self.schedule = build_schedule(self.optimizer, config, self.batches)
        self.history: list[dict[str, Any]] = []
        # its own generator, so augmentation leaves the global RNG (batch order, init) untouched
        self.augmenter = Augmenter(config.augment, config.seed, self.device)
        if checkpoint is not None:
            self._restore(checkpoint)
        self.train_images = train.images.to(self.device)  # (N,1,28,28): 60,000, or 55,000 beside a validation split, + handwriting
        self.train_labels = train.labels.to(self.device)
        # what happens inside, every few batches (None turns it off, e.g. for a bench's baseline)
        self.recorder: Recorder | None = Recorder(self.model, self.train_images, self.train_labels, self.batches)

    @staticmethod
    def with_handwriting(config: TrainConfig, train: Split) -> Split:
        """The training images, plus the user's handwriting set when the config asks for it."""
        if not config.handwriting:
            return train
        from core.data import handwriting

        return handwriting.with_set(train, handwriting.as_split(handwriting.list_drawings(handwriting.set_dir())))

    @staticmethod
    def batches_per_epoch(config: TrainConfig, train_size: int) -> int:
        batches = train_size // config.batch_size  # drop_last=True, as the lecture
        if batches == 0:
            raise ValueError(f"batch_size {config.batch_size} is larger than the {train_size} training images.")
        return min(batches, config.max_batches or batches)

    @property
    def epochs_done(self) -> int:
        return len(self.history)

    def run(self, stop: threading.Event | None = None) -> Iterator[Event]:
        """Train the remaining epochs; a stop request is honoured between batches."""
        for epoch in range(self.epochs_done + 1, self.config.epochs + 1):
            order = lecture_batch_order(len(self.train_labels))
            self.model.train()
            total_cost, batch_costs = 0.0, []
            started = time.perf_counter()
            for batch in range(self.batches):
                if stop is not None and stop.is_set():
                    yield Stopped(self.epochs_done, "stopped", f"Stopped by request during epoch {epoch}.")
                    return
                index = order[batch * self.config.batch_size : (batch + 1) * self.config.batch_size]
                recorded = self.recorder is not None and self.recorder.due(batch + 1)
                if recorded:
                    self.recorder.before_step(self.model)
                cost = self._step(self.augmenter(self.train_images[index]), self.train_labels[index])
                if not math.isfinite(cost):
                    yield Stopped(self.epochs_done, "diverged", _diverged_message(epoch, batch + 1, self.config))
                    return
                total_cost += cost
                batch_costs.append(cost)
                if recorded:
                    yield self.recorder.record(self.model, epoch, batch + 1, self.batches, cost)
                yield BatchEnd(epoch, batch + 1, self.batches, cost)
            seconds = time.perf_counter() - started
            test_loss, test_accuracy = score(self.model, self.data.test)
            validation_loss, validation_accuracy = score(self.model, self.validation) if self.validation else (None, None)
            event = EpochEnd(
                epoch=epoch,
                epochs=self.config.epochs,
                cost=total_cost / self.batches,
                test_loss=test_loss,
                test_accuracy=test_accuracy,
                seconds=seconds,
                images_per_second=self.batches * self.config.batch_size / seconds,
                lr=self.optimizer.param_groups[0]["lr"],
                validation_loss=validation_loss,
                validation_accuracy=validation_accuracy,
            )
            self.history.append({**event.to_dict(), "batch_costs": [round(c, 6) for c in batch_costs]})
            yield event

    def _step(self, images: torch.Tensor, labels: torch.Tensor) -> float:
        self.optimizer.zero_grad()
        cost = F.cross_entropy(self.model(images), labels)
        cost.backward()
        self.optimizer.step()
        if self.schedule is not None:
            self.schedule.step()
        return cost.item()

    def checkpoint(self) -> dict[str, Any]:
        """Plain parts only (tensors, dicts, lists, numbers), so loading needs no pickled classes."""
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "schedule": self.schedule.state_dict() if self.schedule is not None else None,
            "config": self.config.to_dict(),
            "history": self.history,
            "rng": {
                "torch": torch.get_rng_state(),
                "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
                "python": list(random.getstate()[1]),
                "augment": self.augmenter.state(),
            },
        }

    def _restore(self, checkpoint: dict[str, Any]) -> None:
        self.model.load_state_dict(checkpoint["model"])
        self.optimizer.load_state_dict(checkpoint["optimizer"])
        self.history = list(checkpoint["history"])
        if self.schedule is not None:
            with warnings.catch_warnings():  # fast-forwarding without optimizer steps is intended
                warnings.simplefilter("ignore")
                for _ in range(self.epochs_done * self.batches):
                    self.schedule.step()
        rng = checkpoint.get("rng") or {}
        if "torch" in rng:
            torch.set_rng_state(rng["torch"])
        if rng.get("cuda") and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(rng["cuda"])
        if "augment" in rng:
            self.augmenter.restore(rng["augment"])
        if rng.get("python"):
            random.setstate((3, tuple(rng["python"]), None))


def _diverged_message(epoch: int, batch: int, config: TrainConfig) -> str:
    # epochs before `epoch` are complete and were saved by core.training.fit; the weights in memory are not
    kept = f"Epoch {epoch - 1}, the last good one, is kept." if epoch > 1 else (
        "No epoch had finished, so nothing was saved."
    )
    return (
        f"Training diverged: the cost became NaN or infinite at epoch {epoch}, batch {batch} "
        f"(lr {config.lr:g}, {config.optimizer}). Try a learning rate 10x smaller. {kept}"
    )

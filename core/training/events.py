"""What the trainer reports as it goes; the CLI prints these and the pages draw them."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Union


@dataclass(frozen=True)
class BatchEnd:
    epoch: int  # 1-based
    batch: int  # 1-based, within the epoch
    batches: int  # batches per epoch
    cost: float


@dataclass(frozen=True)
class EpochEnd:
    epoch: int  # 1-based
    epochs: int  # the run's target
    cost: float  # the lecture's average cost over the epoch's batches
    test_loss: float
    test_accuracy: float  # a fraction, on the correctly scaled test set
    seconds: float  # training time of this epoch, scoring excluded
    images_per_second: float
    lr: float  # learning rate at the end of the epoch
    validation_loss: float | None = None  # on the held-out split, when the config holds one out
    validation_accuracy: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Stopped:
    """Training ended early; epochs up to `epochs_done` are complete and saved."""

    epochs_done: int
    reason: str  # "stopped" or "diverged"
    message: str


@dataclass(frozen=True)
class Telemetry:
    """Inside the network after a recorded batch (core.training.telemetry), yielded before its BatchEnd."""

    epoch: int  # 1-based
    batch: int  # 1-based, within the epoch
    batches: int  # batches per epoch
    record: dict[str, Any]  # plain numbers and lists: norms, update ratios, activations, histograms, filters


Event = Union[BatchEnd, EpochEnd, Stopped, Telemetry]

"""TrainConfig: every setting of a training run, in one frozen dataclass.

The defaults are the lecture's ("Lec 10-2: MNIST CNN"): the basic CNN, Adam at
lr 0.001, 15 epochs, batches of 100, seed 777, cross-entropy cost.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from core.training.design import Design, DesignError
from core.training.errors import ConfigError

OPTIMIZERS = ("adam", "sgd", "adamw")
SCHEDULES = ("constant", "onecycle")
TRAIN_SET_SIZE = 60_000


@dataclass(frozen=True)
class TrainConfig:
    model: str = "cnn"  # a name in core.training.models.MODELS, or "custom": a label for the design
    design: Design | None = None  # the network (core.training.design); None: the named model's, with `dropout`
    dataset: str = "mnist"  # a name in core.data.datasets.DATASETS
    lr: float = 0.001  # learning rate (the peak rate under a one-cycle schedule)
    epochs: int = 15
    batch_size: int = 100
    seed: int = 777
    optimizer: str = "adam"  # adam | sgd (with momentum) | adamw
    momentum: float = 0.9  # SGD only
    weight_decay: float = 0.0  # AdamW's default is 0.01; 0 keeps Adam the lecture's
    dropout: float = 0.5  # the named models' hidden-layer dropout (deep_cnn's); a custom design holds its own
    schedule: str = "constant"  # constant | onecycle
    max_batches: int | None = None  # cap batches per epoch, for quick tries
    validation: bool = False  # hold out 5,000 training images (core.data.validation) and score them each epoch
    handwriting: bool = False  # also train on the user's handwriting set (core.data.handwriting), repeated
    augment: str = "none"  # none | light | strong: random turns, slants, wobble, thickness per image (core/training/augment.py)

    def __post_init__(self) -> None:
        from core.training.augment import LEVELS
        from core.data.datasets import DATASETS

        if self.dataset not in DATASETS:
            raise ConfigError(f"dataset must be one of {', '.join(DATASETS)}; got {self.dataset!r}.")
        _check_number("lr", self.lr, low=0.0, low_open=True, high=10.0)
        _check_int("epochs", self.epochs, low=1, high=1000)
        _check_int("batch_size", self.batch_size, low=1, high=TRAIN_SET_SIZE)
        _check_int("seed", self.seed, low=0, high=2**63 - 1)
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {self.optimizer!r}.")
        _check_number("momentum", self.momentum, low=0.0, high=1.0, high_open=True)
        _check_number("weight_decay", self.weight_decay, low=0.0, high=1.0)
        _check_number("dropout", self.dropout, low=0.0, high=1.0, high_open=True)
        if self.schedule not in SCHEDULES:
            raise ConfigError(f"schedule must be one of {', '.join(SCHEDULES)}; got {self.schedule!r}.")
        if not isinstance(self.handwriting, bool):
            raise ConfigError(f"handwriting must be true or false; got {self.handwriting!r}.")
        if self.max_batches is not None:
            _check_int("max_batches", self.max_batches, low=1, high=TRAIN_SET_SIZE)
        if not isinstance(self.validation, bool):
            raise ConfigError(f"validation must be true or false; got {self.validation!r}.")
        if self.augment not in LEVELS:
            raise ConfigError(f"augment must be one of {', '.join(LEVELS)}; got {self.augment!r}.")
        self._settle_design(len(DATASETS[self.dataset].classes))

    def _settle_design(self, classes: int) -> None:
        """Fills in the named model's design, or reads a saved one, and labels it by name when it is one."""
        from core.training.design_text import parse
        from core.training.models import CUSTOM, MODELS, named_design

        if self.model != CUSTOM and self.model not in MODELS:
            raise ConfigError(f"model must be one of {', '.join(MODELS)} or {CUSTOM}; got {self.model!r}.")
        design = self.design
        if design is None:
            if self.model == CUSTOM:
                raise DesignError("a custom model needs a design: give one, e.g. c32-max,c64-max,fc10.")
            design = named_design(self.model, self.dropout)
        elif isinstance(design, str):
            design = parse(design)
        elif not isinstance(design, Design):
            design = Design.from_dict(design)
        if design.classes != classes:
            raise DesignError(f"the classifier has {design.classes} outputs, but {self.dataset} has {classes} classes; end the design with fc{classes}.")
        object.__setattr__(self, "design", design)
        if self.model == CUSTOM or named_design(self.model, self.dropout) != design:
            name = next((name for name in MODELS if named_design(name, self.dropout) == design), CUSTOM)
            object.__setattr__(self, "model", name)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        return {**asdict(self), "design": self.design.to_dict()}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "TrainConfig":
        """Build from saved fields; unknown keys are ignored so old runs still load."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})

    def with_changes(self, **changes: Any) -> "TrainConfig":
        """A validated copy with some fields changed. A new named model (or its dropout) brings its
        own design; a new design is labelled with the named model it equals, else "custom"."""
        named = changes.get("model", self.model) != "custom"
        if "design" not in changes and named and ("model" in changes or "dropout" in changes):
            changes["design"] = None
        return replace(self, **changes)


def _check_int(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be a whole number from {low} to {high}; got {value!r}.")
    if not low <= value <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}; got {value}.")


def _check_number(
    name: str, value: Any, low: float, high: float, low_open: bool = False, high_open: bool = False
) -> None:
    allowed = f"{'>' if low_open else '>='} {low:g} and {'<' if high_open else '<='} {high:g}"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{name} must be a finite number {allowed}; got {value!r}.")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        raise ConfigError(f"{name} must be a number {allowed}; got {value:g}.")

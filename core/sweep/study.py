"""A study's settings, kept in the study itself, so every worker trains the same way.

    settings = SweepSettings(space=SearchSpace.parse("lr"), epochs=3)
    study, settings = open_study(storage, "my-study", settings, given={"space", "epochs"})

A worker that names an existing study adopts its stored settings; one that asks for different
ones explicitly gets SettingsMismatch, a message saying which differ, instead of a mixed study.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import optuna

from core.data.datasets import DATASETS
from core.sweep.space import SearchSpace
from core.training.config import TrainConfig
from core.training.design_text import format_design

BASE_DESIGN = "c32-max,c64-max,fc10"  # the lecture's basic CNN: every study's base before designs were stored

ATTR = "mnist_sweep"  # the study user attribute holding SweepSettings
PRUNERS = ("median", "hyperband", "none")
STUDY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")  # it prefixes run folder names


class SettingsMismatch(ValueError):
    """The study exists with other settings; the message names them."""


@dataclass(frozen=True)
class SweepSettings:
    space: SearchSpace = field(default_factory=SearchSpace)
    epochs: int = 3  # per trial; the pruner may stop a trial sooner
    max_batches: int | None = None  # per epoch, for quick tries
    pruner: str = "median"  # median | hyperband | none
    seed: int = 777  # every trial's training seed, so trials differ only in their settings
    dataset: str = "mnist"  # a name in core.data.datasets; studies stored before it existed trained on MNIST
    design: str = BASE_DESIGN  # the base config's design (core.training.design_text), which the design knobs vary

    def __post_init__(self) -> None:
        if self.pruner not in PRUNERS:
            raise ValueError(f"--pruner must be one of {', '.join(PRUNERS)}; got {self.pruner!r}.")
        if self.dataset not in DATASETS:
            raise ValueError(f"--dataset must be one of {', '.join(DATASETS)}; got {self.dataset!r}.")
        if not 1 <= self.epochs <= 1000:
            raise ValueError(f"--epochs must be from 1 to 1000; got {self.epochs}.")
        # a ConfigError (a ValueError) names the layer; stored in its canonical text, so equal designs compare equal
        object.__setattr__(self, "design", format_design(self.base_config().design))

    def base_config(self) -> TrainConfig:
        """Every trial's starting point, before the sampled settings: validated on the held-out split."""
        return TrainConfig(epochs=self.epochs, max_batches=self.max_batches, seed=self.seed, validation=True,
                           dataset=self.dataset, model="custom", design=self.design)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "space": self.space.to_dict()}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "SweepSettings":
        return cls(**{**values, "space": SearchSpace.from_dict(values["space"])})

    def comparable(self) -> dict[str, Any]:
        """What must agree between workers of one study."""
        return {**self.to_dict(), "space": self.space.relevant()}


def check_study_name(name: str) -> str:
    if not STUDY_NAME.match(name):
        raise ValueError(f"--study must be 1-60 letters, digits, '.', '_' or '-', starting with a letter or digit; got {name!r}.")
    return name


def build_pruner(name: str, epochs: int) -> optuna.pruners.BasePruner:
    """Median: stop a trial whose epoch score is below the median of earlier trials at that epoch."""
    if name == "median":
        # steps are epochs (1, 2, ...): it may prune from the first epoch on, once 2 trials have finished;
        # a trial's last epoch is never pruned (core.sweep.trial), as nothing would be saved by it
        return optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1)
    if name == "hyperband":
        return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=epochs)
    return optuna.pruners.NopPruner()


def open_study(
    storage: optuna.storages.BaseStorage, name: str, wanted: SweepSettings, given: set[str], sampler_seed: int | None = None
) -> tuple[optuna.Study, SweepSettings]:
    """Create or join study `name`; settings not in `given` are taken from an existing study."""
    study = optuna.create_study(
        study_name=name, storage=storage, direction="maximize", load_if_exists=True,
        sampler=optuna.samplers.TPESampler(seed=sampler_seed),
    )
    stored = study.user_attrs.get(ATTR)
    if stored is None:
        study.set_user_attr(ATTR, wanted.to_dict())  # two workers creating at once write the same thing
        settings = wanted
    else:
        existing = SweepSettings.from_dict(stored)
        adopted = {key: getattr(wanted, key) for key in given}
        settings = replace(existing, **adopted)
        if settings.comparable() != existing.comparable():
            raise SettingsMismatch(_mismatch(name, existing, settings))
    study.pruner = build_pruner(settings.pruner, settings.epochs)
    return study, settings


def _mismatch(name: str, existing: SweepSettings, asked: SweepSettings) -> str:
    have, want = existing.comparable(), asked.comparable()
    differ = [key for key in have if have[key] != want[key]]
    described = {"space": (existing.space.describe(), asked.space.describe())}
    parts = [
        f"{key}: the study has {described[key][0] if key in described else have[key]}, "
        f"you asked for {described[key][1] if key in described else want[key]}"
        for key in differ
    ]
    return (
        f"study {name!r} already exists with a different search space or settings ({'; '.join(parts)}). "
        f"Leave those options out to join it as it is, or choose a new --study name."
    )

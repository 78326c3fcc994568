"""What a sweep varies, and over which range: a search space that Optuna samples from.

    space = SearchSpace.parse("lr,batch_size")        # the CLI's --vary, default ranges
    changes = space.suggest(trial)                    # {"lr": 0.0031, "batch_size": 64}

Stored in the study (as plain JSON), so every worker samples the same space and a second
worker can join by name alone.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import optuna

from core.training.config import OPTIMIZERS
from core.training.models import MODELS

VARIABLES = ("lr", "batch_size", "optimizer", "dropout", "model")


@dataclass(frozen=True)
class SearchSpace:
    vary: tuple[str, ...] = ("lr", "batch_size", "optimizer")  # names from VARIABLES, in that order
    lr: tuple[float, float] = (1e-4, 1e-1)  # sampled on a log scale
    batch_sizes: tuple[int, ...] = (32, 64, 100, 128, 256)
    optimizers: tuple[str, ...] = OPTIMIZERS
    dropout: tuple[float, float] = (0.0, 0.7)
    models: tuple[str, ...] = field(default_factory=lambda: ("cnn", "deep_cnn"))

    def __post_init__(self) -> None:
        unknown = [name for name in self.vary if name not in VARIABLES]
        if unknown or not self.vary:
            raise ValueError(f"--vary takes one or more of {','.join(VARIABLES)}; got {','.join(self.vary) or 'nothing'}.")
        object.__setattr__(self, "vary", tuple(name for name in VARIABLES if name in self.vary))
        low, high = self.lr
        if not 0 < low < high <= 10:
            raise ValueError(f"the lr range must satisfy 0 < low < high <= 10; got {low:g} to {high:g}.")
        if not 0 <= self.dropout[0] <= self.dropout[1] < 1:
            raise ValueError(f"the dropout range must lie in [0, 1); got {self.dropout[0]:g} to {self.dropout[1]:g}.")
        for name, chosen, allowed in (
            ("batch sizes", self.batch_sizes, None), ("optimizers", self.optimizers, OPTIMIZERS), ("models", self.models, tuple(MODELS))
        ):
            if not chosen:
                raise ValueError(f"choose at least one of the {name}.")
            if allowed is not None and any(choice not in allowed for choice in chosen):
                raise ValueError(f"{name} must be among {', '.join(allowed)}; got {', '.join(map(str, chosen))}.")
        if any(isinstance(size, bool) or not isinstance(size, int) or size < 1 for size in self.batch_sizes):
            raise ValueError(f"batch sizes must be whole numbers of at least 1; got {self.batch_sizes}.")

    @classmethod
    def parse(cls, vary: str) -> "SearchSpace":
        """From the CLI's comma list, with the default ranges."""
        return cls(vary=tuple(name.strip() for name in vary.split(",") if name.strip()))

    def suggest(self, trial: optuna.Trial) -> dict[str, Any]:
        """TrainConfig changes for one trial, sampled by Optuna."""
        changes: dict[str, Any] = {}
        if "lr" in self.vary:
            changes["lr"] = trial.suggest_float("lr", *self.lr, log=True)
        if "batch_size" in self.vary:
            changes["batch_size"] = trial.suggest_categorical("batch_size", list(self.batch_sizes))
        if "optimizer" in self.vary:
            changes["optimizer"] = trial.suggest_categorical("optimizer", list(self.optimizers))
        if "dropout" in self.vary:
            changes["dropout"] = trial.suggest_float("dropout", *self.dropout)
        if "model" in self.vary:
            changes["model"] = trial.suggest_categorical("model", list(self.models))
        return changes

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (lists, not tuples), as stored in the study."""
        return {name: list(value) for name, value in asdict(self).items()}

    def relevant(self) -> dict[str, Any]:
        """Only what shapes the sampled settings: what varies and those variables' ranges."""
        ranges = {"lr": "lr", "batch_size": "batch_sizes", "optimizer": "optimizers", "dropout": "dropout", "model": "models"}
        everything = self.to_dict()
        return {"vary": everything["vary"], **{ranges[name]: everything[ranges[name]] for name in self.vary}}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "SearchSpace":
        known = {f.name for f in fields(cls)}
        return cls(**{name: tuple(value) for name, value in values.items() if name in known})

    def describe(self) -> str:
        """One line, e.g. 'lr 0.0001-0.1 (log), batch_size {32, 64}'."""
        parts = {
            "lr": f"lr {self.lr[0]:g}-{self.lr[1]:g} (log)",
            "batch_size": f"batch_size {{{', '.join(map(str, self.batch_sizes))}}}",
            "optimizer": f"optimizer {{{', '.join(self.optimizers)}}}",
            "dropout": f"dropout {self.dropout[0]:g}-{self.dropout[1]:g}",
            "model": f"model {{{', '.join(self.models)}}}",
        }
        return ", ".join(parts[name] for name in self.vary)

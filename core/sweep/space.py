"""What a sweep varies, and over which range: a search space that Optuna samples from.

    space = SearchSpace.parse("lr,batch_size")        # the CLI's --vary, default ranges
    changes = space.suggest(trial)                    # {"lr": 0.0031, "batch_size": 64}
    config = space.apply(base_config, changes)        # the trial's TrainConfig

Besides TrainConfig's settings it can vary the design (core.sweep.design_space): depth, width,
kernel, batch_norm and hidden_units, applied to the study's base design.

Stored in the study (as plain JSON), so every worker samples the same space and a second
worker can join by name alone; a space stored before a field existed gets its default.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import optuna

from core.sweep.design_space import KNOBS, vary_design
from core.training.config import OPTIMIZERS, TrainConfig
from core.training.design import KERNELS, MAX_BLOCKS, MAX_UNITS
from core.training.models import MODELS

VARIABLES = ("lr", "batch_size", "optimizer", "dropout", "model", *KNOBS)
RANGES = {  # variable -> the field holding its range
    "lr": "lr", "batch_size": "batch_sizes", "optimizer": "optimizers", "dropout": "dropout", "model": "models",
    "depth": "depth", "width": "widths", "kernel": "kernels", "batch_norm": "batch_norm", "hidden_units": "hidden_units",
}


@dataclass(frozen=True)
class SearchSpace:
    vary: tuple[str, ...] = ("lr", "batch_size", "optimizer")  # names from VARIABLES, in that order
    lr: tuple[float, float] = (1e-4, 1e-1)  # sampled on a log scale
    batch_sizes: tuple[int, ...] = (32, 64, 100, 128, 256)
    optimizers: tuple[str, ...] = OPTIMIZERS
    dropout: tuple[float, float] = (0.0, 0.7)
    models: tuple[str, ...] = field(default_factory=lambda: ("cnn", "deep_cnn"))
    depth: tuple[int, int] = (1, 4)  # conv blocks, from-to
    widths: tuple[float, ...] = (0.5, 1.0, 2.0)  # channel multipliers
    kernels: tuple[int, ...] = (3, 5)
    batch_norm: tuple[bool, ...] = (False, True)
    hidden_units: tuple[int, ...] = (0, 128, 625)  # 0: no hidden layer

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
        self._check_design_ranges()

    def _check_design_ranges(self) -> None:
        low, high = self.depth
        if not 1 <= low <= high <= MAX_BLOCKS:
            raise ValueError(f"the depth range must satisfy 1 <= low <= high <= {MAX_BLOCKS}; got {low} to {high}.")
        for name, chosen, fine in (
            ("widths", self.widths, lambda width: not isinstance(width, bool) and isinstance(width, (int, float)) and 0 < width <= 16),
            ("kernels", self.kernels, lambda kernel: kernel in KERNELS and not isinstance(kernel, bool)),
            ("batch norm", self.batch_norm, lambda value: isinstance(value, bool)),
            ("hidden units", self.hidden_units, lambda units: isinstance(units, int) and not isinstance(units, bool) and 0 <= units <= MAX_UNITS),
        ):
            if not chosen:
                raise ValueError(f"choose at least one of the {name}.")
            if not all(fine(choice) for choice in chosen):
                raise ValueError(f"{name} out of range: widths are multipliers in (0, 16], kernels 1, 3, 5 or 7, "
                                 f"batch norm true or false, hidden units 0-{MAX_UNITS}; got {', '.join(map(str, chosen))}.")

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
        if "depth" in self.vary:
            changes["depth"] = trial.suggest_int("depth", *self.depth)
        for name in ("width", "kernel", "batch_norm", "hidden_units"):
            if name in self.vary:
                changes[name] = trial.suggest_categorical(name, list(getattr(self, RANGES[name])))
        return changes

    def apply(self, base: TrainConfig, changes: dict[str, Any]) -> TrainConfig:
        """The trial's config: `base` with the sampled settings, then the design knobs applied to its
        design (the model's, when the model varies too); a sampled dropout also sets the hidden layers'."""
        knobs = {name: value for name, value in changes.items() if name in KNOBS}
        config = base.with_changes(**{name: value for name, value in changes.items() if name not in KNOBS})
        if not knobs and "dropout" not in changes:
            return config
        return config.with_changes(design=vary_design(config.design, knobs, changes.get("dropout")))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (lists, not tuples), as stored in the study."""
        return {name: list(value) for name, value in asdict(self).items()}

    def relevant(self) -> dict[str, Any]:
        """Only what shapes the sampled settings: what varies and those variables' ranges."""
        everything = self.to_dict()
        return {"vary": everything["vary"], **{RANGES[name]: everything[RANGES[name]] for name in self.vary}}

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
            "depth": f"depth {self.depth[0]}-{self.depth[1]}",
            "width": f"width x{{{', '.join(f'{width:g}' for width in self.widths)}}}",
            "kernel": f"kernel {{{', '.join(map(str, self.kernels))}}}",
            "batch_norm": f"batch_norm {{{', '.join('on' if value else 'off' for value in self.batch_norm)}}}",
            "hidden_units": f"hidden_units {{{', '.join(map(str, self.hidden_units))}}}",
        }
        return ", ".join(parts[name] for name in self.vary)

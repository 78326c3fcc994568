"""The Sweeps page's form: what varies, its ranges, trials and epochs, as session state -> a SweepRequest."""
from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

import streamlit as st

from core.training.config import OPTIMIZERS
from core.data.datasets import DATASETS
from core.training.models import MODELS
from core.sweep.job import SweepRequest
from core.sweep.space import VARIABLES, SearchSpace
from core.sweep.study import BASE_DESIGN, PRUNERS, SweepSettings, check_study_name
from core.training.design import KERNELS, MAX_BLOCKS
from ui.i18n import N_, _, titled

LR_CHOICES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
BATCH_CHOICES = (16, 32, 64, 100, 128, 256, 512)
WIDTH_CHOICES = (0.25, 0.5, 1.0, 1.5, 2.0, 4.0)
HIDDEN_CHOICES = (0, 32, 64, 128, 256, 625, 1024)
DEFAULTS: dict[str, Any] = {
    "sweep_study": None,  # filled with a dated name at first use
    "sweep_dataset": "mnist",
    "sweep_vary": ["lr", "batch_size", "optimizer"],
    "sweep_lr_low": 1e-4,
    "sweep_lr_high": 0.1,
    "sweep_batch_sizes": [32, 64, 100, 128, 256],
    "sweep_optimizers": list(OPTIMIZERS),
    "sweep_dropout": (0.0, 0.7),
    "sweep_models": ["cnn", "deep_cnn"],
    "sweep_design": BASE_DESIGN,
    "sweep_depth": (1, 4),
    "sweep_widths": [0.5, 1.0, 2.0],
    "sweep_kernels": [3, 5],
    "sweep_hidden_units": [0, 128, 625],
    "sweep_trials": 20,
    "sweep_epochs": 3,
    "sweep_max_batches": 0,
    "sweep_pruner": "median",
}
LABELS = {"lr": N_("learning rate"), "batch_size": N_("batch size"), "optimizer": N_("optimizer"), "dropout": N_("dropout"),
          "model": N_("model"), "depth": N_("depth (conv blocks)"), "width": N_("width (channels x)"), "kernel": N_("kernel size"),
          "batch_norm": N_("batch norm"), "hidden_units": N_("hidden units")}
PRUNER_LABELS = {"median": N_("median"), "hyperband": N_("hyperband"), "none": N_("none")}


def label(name: str) -> str:
    """What varying setting `name` is called on screen (the form's options, the trials table's headers)."""
    return _(LABELS[name]) if name in LABELS else name


def init_state(state: MutableMapping[str, Any]) -> None:
    for key, value in DEFAULTS.items():
        state.setdefault(key, value)
    if not state["sweep_study"]:
        state["sweep_study"] = f"sweep-{datetime.now():%Y%m%d-%H%M}"


def form() -> None:
    """Every widget keyed by its DEFAULTS name; ranges only for what varies."""
    state = st.session_state
    left, right = st.columns(2)
    left.text_input(_("Study name"), key="sweep_study", help=_("Workers that name the same study share its trials."))
    left.multiselect(_("What varies"), list(VARIABLES), key="sweep_vary", format_func=titled({name: LABELS.get(name, name) for name in VARIABLES}))
    # every range stays drawn (greyed out when its setting does not vary), so streamlit keeps its value
    fixed = {name: name not in state["sweep_vary"] for name in VARIABLES}
    low, high = left.columns(2)
    low.selectbox(_("Learning rate from"), LR_CHOICES, key="sweep_lr_low", disabled=fixed["lr"], format_func=lambda lr: f"{lr:g}")
    high.selectbox(_("to (log scale)"), LR_CHOICES, key="sweep_lr_high", disabled=fixed["lr"], format_func=lambda lr: f"{lr:g}")
    left.multiselect(_("Batch sizes"), BATCH_CHOICES, key="sweep_batch_sizes", disabled=fixed["batch_size"])
    left.multiselect(_("Optimizers"), list(OPTIMIZERS), key="sweep_optimizers", disabled=fixed["optimizer"])
    left.slider(_("Dropout range"), 0.0, 0.9, step=0.05, key="sweep_dropout", disabled=fixed["dropout"])
    left.multiselect(_("Models"), list(MODELS), key="sweep_models", disabled=fixed["model"], format_func=titled({name: info.title for name, info in MODELS.items()}))
    design_ranges(left, fixed)
    right.selectbox(_("Dataset"), list(DATASETS), key="sweep_dataset", format_func=lambda name: DATASETS[name].title,
                    help=_("What every trial trains on; 5,000 of its training images are held out to score them."))
    right.number_input(_("Trials (the study's total)"), 1, 500, step=1, key="sweep_trials")
    right.number_input(_("Epochs per trial"), 1, 50, step=1, key="sweep_epochs")
    right.number_input(_("Batches per epoch (0 = all)"), 0, 60_000, step=1, key="sweep_max_batches",
                       help=_("A cap for quick tries."))
    right.selectbox(_("Pruner"), list(PRUNERS), key="sweep_pruner", format_func=titled({name: PRUNER_LABELS.get(name, name) for name in PRUNERS}),
                    help=_("Stops trials that fall behind the median early."))


def design_ranges(column: Any, fixed: dict[str, bool]) -> None:
    """The base design and the ranges of the design knobs (core.sweep.design_space)."""
    column.text_input(_("Base design"), key="sweep_design",
                      help=_("What depth, width, kernel, batch norm and hidden units change, written as on the Train page, "
                             "e.g. `c32-max,c64-max,fc10`. When the model varies too, they change its design."))
    column.slider(_("Depth (conv blocks)"), 1, MAX_BLOCKS, key="sweep_depth", disabled=fixed["depth"],
                  help=_("Fewer keeps the first blocks; more adds blocks twice as wide as the last."))
    column.multiselect(_("Width multipliers"), WIDTH_CHOICES, key="sweep_widths", disabled=fixed["width"], format_func=lambda width: f"x{width:g}")
    column.multiselect(_("Kernel sizes"), KERNELS, key="sweep_kernels", disabled=fixed["kernel"])
    column.multiselect(_("Hidden units (0 = none)"), HIDDEN_CHOICES, key="sweep_hidden_units", disabled=fixed["hidden_units"])


def build_request(state: MutableMapping[str, Any]) -> SweepRequest:
    """The request the form describes; raises ValueError with a sentence when it is not valid."""
    space = SearchSpace(
        vary=tuple(state["sweep_vary"]), lr=(state["sweep_lr_low"], state["sweep_lr_high"]), batch_sizes=tuple(sorted(state["sweep_batch_sizes"])),
        optimizers=tuple(state["sweep_optimizers"]), dropout=tuple(state["sweep_dropout"]), models=tuple(state["sweep_models"]),
        depth=tuple(state["sweep_depth"]), widths=tuple(sorted(state["sweep_widths"])), kernels=tuple(sorted(state["sweep_kernels"])),
        hidden_units=tuple(sorted(state["sweep_hidden_units"])),
    )
    settings = SweepSettings(
        space=space, epochs=int(state["sweep_epochs"]), max_batches=int(state["sweep_max_batches"]) or None,
        pruner=state["sweep_pruner"], dataset=state["sweep_dataset"], design=str(state["sweep_design"]).strip(),
    )
    return SweepRequest(check_study_name(str(state["sweep_study"]).strip()), int(state["sweep_trials"]), settings)

"""The Train page's form as plain data: widget keys, choices, presets, and the one place a TrainConfig is built.

No streamlit here: functions take any mapping (st.session_state in the page, a dict in tests).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping
from typing import Any

from core.training.config import TrainConfig
from core.training.walk import LayerRow
from core.training.presets import PRESETS

# field -> widget key; fields not here (schedule, momentum, weight_decay, max_batches) come from the preset
WIDGETS = {
    "dataset": "train_dataset",
    "model": "train_model",
    "lr": "train_lr",
    "epochs": "train_epochs",
    "batch_size": "train_batch_size",
    "seed": "train_seed",
    "dropout": "train_dropout",
    "optimizer": "train_optimizer",
    "handwriting": "train_handwriting",
    "augment": "train_augment",
}
PRESET_KEY = "train_preset"
BASE_KEY = "train_base"  # the chosen preset's full config, as a dict
SAVED_KEY = "train_saved"  # the form's values, kept while another page is shown
DEFAULT_PRESET = "lecture-cnn"
# log-spaced 1-2-5 steps, 1e-5 .. 1e-1, so the lecture's 0.001 and the fast preset's 0.01 are both on it
LR_CHOICES = tuple(round(mantissa * 10.0**exponent, 10) for exponent in range(-5, -1) for mantissa in (1, 2, 5)) + (0.1,)
OPTIMIZER_TITLES = {"adam": "Adam", "sgd": "SGD with momentum", "adamw": "AdamW"}
EPOCH_RANGE = (1, 50)
# batch sizes people actually use: the lecture's 100, the fast preset's 128, powers of two around them
BATCH_CHOICES = (16, 32, 64, 100, 128, 256, 512, 1024)
DROPOUT_RANGE = (0.0, 0.9)


def nearest_lr(lr: float) -> float:
    """The choice on the log scale closest to `lr` (presets may use any rate)."""
    return min(LR_CHOICES, key=lambda choice: abs(math.log10(choice) - math.log10(lr)))


def nearest_batch_size(batch_size: int) -> int:
    """The batch-size choice closest to `batch_size` on a log scale (presets may use any size)."""
    return min(BATCH_CHOICES, key=lambda choice: abs(math.log(choice) - math.log(batch_size)))


def widget_values(config: TrainConfig) -> dict[str, Any]:
    """Widget key -> value that shows `config` in the form."""
    values = {WIDGETS[name]: getattr(config, name) for name in WIDGETS}
    values[WIDGETS["lr"]] = nearest_lr(config.lr)
    values[WIDGETS["batch_size"]] = nearest_batch_size(config.batch_size)
    values[WIDGETS["epochs"]] = min(max(config.epochs, EPOCH_RANGE[0]), EPOCH_RANGE[1])
    return values


def apply_preset(state: MutableMapping[str, Any], preset: str | None = None) -> None:
    """Fill every widget and the hidden fields from a preset (the selected one by default)."""
    config = PRESETS[preset or state[PRESET_KEY]]
    state.update(widget_values(config))
    state[BASE_KEY] = config.to_dict()


def init_state(state: MutableMapping[str, Any]) -> None:
    """First visit: the lecture's basic CNN; later visits restore what the user chose.

    Streamlit forgets a widget's value while its page is not shown, so the form is
    remembered under SAVED_KEY and put back before the widgets are drawn.
    """
    default = {PRESET_KEY: DEFAULT_PRESET, **widget_values(PRESETS[DEFAULT_PRESET])}
    for key, value in state.get(SAVED_KEY, default).items():
        state.setdefault(key, value)
    state.setdefault(BASE_KEY, PRESETS[state[PRESET_KEY]].to_dict())


def remember(state: MutableMapping[str, Any]) -> None:
    """Keep the form's values beyond this page (see init_state)."""
    state[SAVED_KEY] = {key: state[key] for key in (PRESET_KEY, *WIDGETS.values())}


def build_config(state: Mapping[str, Any]) -> TrainConfig:
    """The TrainConfig the form shows: widgets over the preset's hidden fields; raises ConfigError."""
    base = TrainConfig.from_dict(state[BASE_KEY])
    chosen = {name: state[key] for name, key in WIDGETS.items()}
    for name in ("epochs", "batch_size", "seed"):
        chosen[name] = int(chosen[name]) if isinstance(chosen[name], float) and chosen[name].is_integer() else chosen[name]
    return base.with_changes(**chosen)


def hidden_settings(config: TrainConfig) -> dict[str, Any]:
    """Settings the form does not show that differ from the defaults, e.g. the fast preset's schedule."""
    default = TrainConfig()
    shown = {*WIDGETS, "design"}  # the design has its own table
    return {name: value for name, value in config.to_dict().items() if name not in shown and value != getattr(default, name)}


def layer_table(rows: list[LayerRow]) -> list[dict[str, Any]]:
    """One row per layer for st.dataframe, in the design's order, the shape in the lecture's notation."""
    return [
        {
            "layer": row.lecture, "module": row.name, "parameters": row.parameters, "multiply-adds": row.macs,
            "receptive field": f"{row.receptive_field}×{row.receptive_field}" if row.receptive_field else "",
            "memory per image": f"{row.values * 4 / 1024:,.1f} KB",
        }
        for row in rows
    ]


def pooling_story(rows: list[LayerRow]) -> str:
    """One line on how pooling shrinks the picture, read from the real shapes, e.g. 28 → 14 → 7."""
    sizes = [28] + [row.shape[-1] for row in rows if row.kind.endswith("Pool") and row.kind != "GlobalAvgPool"]
    last_maps = [row for row in rows if len(row.shape) == 3][-1]
    line = f"Each 2×2 pool halves the picture: {' → '.join(map(str, sizes))} pixels a side" if len(sizes) > 1 else (
        "No pooling: the picture stays 28×28")
    channels, height, width = last_maps.shape
    if last_maps.kind == "GlobalAvgPool":
        line += f", then global average pooling keeps one number per channel: the first linear layer reads {channels:,}"
    else:
        line += f", so the first linear layer reads {channels} maps of {height}×{width} = {channels * height * width:,} numbers"
    return line + "."

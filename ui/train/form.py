"""The Train page's form as plain data: widget keys, choices, presets, and the one place a TrainConfig is built.

No streamlit here: functions take any mapping (st.session_state in the page, a dict in tests).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping
from typing import Any

from core.data.datasets import DATASETS
from core.training.config import ConfigError, TrainConfig
from core.training.capacity import check_fits
from core.training.design import DesignError
from core.training.models import CUSTOM, named_design
from core.training.trainer import resolve_device
from core.training.walk import BYTES_PER_VALUE, LayerRow
from core.training.presets import PRESETS
from ui.i18n import N_, _
from ui.train import design_form

# field -> widget key; fields not here (schedule, momentum, weight_decay, max_batches) come from the preset.
# The model is a label of the design (ui.train.design_form's widgets): choosing one fills the designer.
WIDGETS = {
    "dataset": "train_dataset",
    "model": "train_model",
    "lr": "train_lr",
    "epochs": "train_epochs",
    "batch_size": "train_batch_size",
    "seed": "train_seed",
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
OPTIMIZER_TITLES = {"adam": N_("Adam"), "sgd": N_("SGD with momentum"), "adamw": N_("AdamW")}
EPOCH_RANGE = (1, 50)
# batch sizes people actually use: the lecture's 100, the fast preset's 128, powers of two around them
BATCH_CHOICES = (16, 32, 64, 100, 128, 256, 512, 1024)


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
    """Fill every widget, the designer and the hidden fields from a preset (the selected one by default)."""
    config = PRESETS[preset or state[PRESET_KEY]]
    state.update(widget_values(config))
    state.update(design_form.design_values(config.design))
    state[BASE_KEY] = config.to_dict()


def apply_model(state: MutableMapping[str, Any]) -> None:
    """The Model box's choice fills the designer with that named design ("custom" leaves it as it is)."""
    if state[WIDGETS["model"]] != CUSTOM:
        state.update(design_form.design_values(named_design(state[WIDGETS["model"]])))


def sync_model(state: MutableMapping[str, Any]) -> None:
    """Before the widgets are drawn: the Model box shows the name of the design the sliders make, or custom."""
    try:
        state[WIDGETS["model"]] = build_config(state).model
    except ConfigError:  # a design that cannot work is no named one
        state[WIDGETS["model"]] = CUSTOM


def init_state(state: MutableMapping[str, Any]) -> None:
    """First visit: the lecture's basic CNN; later visits restore what the user chose.

    Streamlit forgets a widget's value while its page is not shown, so the form is
    remembered under SAVED_KEY and put back before the widgets are drawn.
    """
    preset = PRESETS[DEFAULT_PRESET]
    default = {PRESET_KEY: DEFAULT_PRESET, **widget_values(preset), **design_form.design_values(preset.design)}
    for key, value in {**default, **state.get(SAVED_KEY, {})}.items():
        state.setdefault(key, value)
    state.setdefault(BASE_KEY, PRESETS[state[PRESET_KEY]].to_dict())


def remember(state: MutableMapping[str, Any]) -> None:
    """Keep the form's values beyond this page (see init_state); a hidden block's keep their last values."""
    keys = (PRESET_KEY, *WIDGETS.values(), *design_form.design_keys())
    state[SAVED_KEY] = {**state.get(SAVED_KEY, {}), **{key: state[key] for key in keys if key in state}}


def build_config(state: Mapping[str, Any]) -> TrainConfig:
    """The TrainConfig the form shows: widgets and designer over the preset's hidden fields; raises
    ConfigError (DesignError for a design that cannot work). Its model is the design's name or custom."""
    base = TrainConfig.from_dict(state[BASE_KEY])
    chosen = {name: state[key] for name, key in WIDGETS.items() if name != "model"}
    for name in ("epochs", "batch_size", "seed"):
        chosen[name] = int(chosen[name]) if isinstance(chosen[name], float) and chosen[name].is_integer() else chosen[name]
    classes = len(DATASETS[chosen["dataset"]].classes) if chosen["dataset"] in DATASETS else 10
    design = design_form.design_from_state(state, classes)
    return base.with_changes(**chosen, design=design, dropout=design_form.dropout_of(design, base.dropout))


def checked_config(state: Mapping[str, Any], device: str = "auto") -> tuple[TrainConfig | None, str | None]:
    """(config, None) when it can start; (None, why) when the form or design cannot work; (config, why) when
    the design is sound but its training would not fit this machine's memory (core.training.capacity)."""
    try:
        config = build_config(state)
    except ConfigError as error:
        return None, sentence(error)
    try:
        check_fits(config.design, config.batch_size, resolve_device(device))
    except DesignError as error:
        return config, sentence(error)
    return config, None


def sentence(error: Exception) -> str:
    """An error's message as a sentence: 'block 5: ...' -> 'Block 5: ...'."""
    text = str(error)
    return text[:1].upper() + text[1:]


# the settings hidden_settings finds, and the values in words, as the Train page names them
HIDDEN_TITLES = {"schedule": N_("schedule"), "momentum": N_("momentum"), "weight_decay": N_("weight decay"),
                 "max_batches": N_("max batches per epoch"), "validation": N_("validation")}
HIDDEN_VALUES = {"onecycle": N_("onecycle"), "constant": N_("constant"), True: N_("on"), False: N_("off")}


def hidden_settings(config: TrainConfig) -> dict[str, Any]:
    """Settings the form does not show that differ from the defaults, e.g. the fast preset's schedule."""
    default = TrainConfig()
    shown = {*WIDGETS, "design", "dropout"}  # the designer shows the design, dropout included
    return {name: value for name, value in config.to_dict().items() if name not in shown and value != getattr(default, name)}


def hidden_text(hidden: Mapping[str, Any]) -> str:
    """hidden_settings in words, e.g. 'schedule onecycle, weight decay 0.01'."""
    def value_text(value: Any) -> str:
        return _(HIDDEN_VALUES[value]) if isinstance(value, (str, bool)) and value in HIDDEN_VALUES else str(value)

    return ", ".join(f"{_(HIDDEN_TITLES[name]) if name in HIDDEN_TITLES else name} {value_text(value)}"
                     for name, value in hidden.items())


# layer_table's columns -> their headers on the page
LAYER_COLUMNS = {"layer": N_("layer"), "module": N_("module"), "parameters": N_("parameters"),
                 "multiply-adds": N_("multiply-adds"), "receptive field": N_("receptive field"),
                 "memory per image": N_("memory per image")}


def layer_table(rows: list[LayerRow]) -> list[dict[str, Any]]:
    """One row per layer for st.dataframe, in the design's order, the shape in the lecture's notation."""
    return [
        {
            "layer": row.lecture, "module": row.name, "parameters": row.parameters, "multiply-adds": row.macs,
            "receptive field": f"{row.receptive_field}×{row.receptive_field}" if row.receptive_field else "",
            "memory per image": memory_text(row.values * BYTES_PER_VALUE),
        }
        for row in rows
    ]


def memory_text(count: int) -> str:
    """40 B, 24.5 KB, 3.1 MB: a layer's outputs for one image."""
    if count < 1024:
        return f"{count} B"
    return f"{count / 1024:,.1f} KB" if count < 2**20 else f"{count / 2**20:,.1f} MB"


def pooling_story(rows: list[LayerRow]) -> str:
    """One line on how pooling shrinks the picture, read from the real shapes, e.g. 28 → 14 → 7."""
    sizes = [28] + [row.shape[-1] for row in rows if row.kind.endswith("Pool") and row.kind != "GlobalAvgPool"]
    last_maps = [row for row in rows if len(row.shape) == 3][-1]
    channels, height, width = last_maps.shape
    pooled, gap = len(sizes) > 1, last_maps.kind == "GlobalAvgPool"
    # four whole sentences (pooled or not, then flatten or global average pooling), so each language orders its own
    if pooled and gap:
        line = _("Each 2×2 pool halves the picture: {sizes} pixels a side, then global average pooling keeps one number "
                 "per channel: the first linear layer reads {channels:,}.")
    elif pooled:
        line = _("Each 2×2 pool halves the picture: {sizes} pixels a side, so the first linear layer reads {channels} "
                 "maps of {height}×{width} = {numbers:,} numbers.")
    elif gap:
        line = _("No pooling: the picture stays 28×28, then global average pooling keeps one number per channel: "
                 "the first linear layer reads {channels:,}.")
    else:
        line = _("No pooling: the picture stays 28×28, so the first linear layer reads {channels} maps of "
                 "{height}×{width} = {numbers:,} numbers.")
    return line.format(sizes=" → ".join(map(str, sizes)), channels=channels, height=height, width=width,
                       numbers=channels * height * width)

"""The Lecture page's cached computations: exported code, the printed model, the pixel-scale curve."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.lecture import lecture_code
from core.training.config import TrainConfig
from core.training.design import Design
from core.training.design_text import format_design, parse
from ui import resources


@st.cache_data(show_spinner=False)
def code(model: str) -> dict[str, str]:
    """Each step's exported code for the lecture's settings of `model` ("cnn" or "deep_cnn")."""
    return lecture_code(TrainConfig(model=model))


@st.cache_data(show_spinner=False)
def printed_model(design_text: str) -> str:
    """`print(model)` of the design's network; built under a forked RNG so no one's random stream moves."""
    import torch

    from core.training.network import build

    with torch.random.fork_rng(devices=[]):
        return str(build(parse(design_text)))


def printed(design: Design) -> str:
    """`print(model)` for a design, cached by its text form."""
    return printed_model(format_design(design))


@st.cache_data(max_entries=16, show_spinner=False)  # the caller shows the spinner, in the page's language
def measured(run_dir: str, stamp: int) -> tuple[float, float]:
    """(accuracy measured correctly, the lecture's way: core.evaluate.lecture_accuracy), on the whole test set."""
    from core.evaluate import lecture_accuracy, predict

    model, test = resources.model(run_dir, stamp), resources.run_dataset(Path(run_dir)).test
    return predict(model, test).accuracy, lecture_accuracy(model, test)


@st.cache_data(max_entries=16, show_spinner=False)  # the caller shows the spinner, in the page's language
def scale_curve(run_dir: str, stamp: int) -> dict[str, list[float]]:
    """{"scale": [...], "accuracy": [...]} over core.pixel_scale.SCALES on the first CURVE_IMAGES test images."""
    from core.pixel_scale import SCALES, accuracy_by_scale, first

    model = resources.model(run_dir, stamp)
    curve = accuracy_by_scale(model, first(resources.run_dataset(Path(run_dir)).test), SCALES)
    return {"scale": [scale for scale, _ in curve], "accuracy": [accuracy for _, accuracy in curve]}


@st.cache_data(max_entries=64, show_spinner=False)
def accuracy_at(run_dir: str, stamp: int, scale: int) -> float:
    """Accuracy on the curve's images with the pixels multiplied by `scale`; read off the curve at its scales."""
    from core.pixel_scale import SCALES, accuracy_at as measure, first

    if scale in SCALES:
        curve = scale_curve(run_dir, stamp)
        return dict(zip(curve["scale"], curve["accuracy"]))[scale]
    return measure(resources.model(run_dir, stamp), first(resources.run_dataset(Path(run_dir)).test), scale)

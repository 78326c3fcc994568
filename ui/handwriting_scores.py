"""Every run scored on the user's handwriting set, computed once per (weights, set) and cached as plain arrays.

Keyed by run folder, weights stamp and the set's stamp (its drawings' unique names), so a
new drawing or a retrained run is scored afresh and anything else is instant.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import streamlit as st

from core.data import datasets, handwriting
from core.runs.checkpoints import CheckpointError, RunInfo
from core.evaluate import Predictions, predict
from ui import resources


@st.cache_data(max_entries=64, show_spinner=False)
def _table(run_dir: str, weights: int, folder: str, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    model = resources.model(run_dir, weights)
    return predict(model, handwriting.as_split(handwriting.list_drawings(Path(folder)))).to_numpy()


def reads_digits(run: RunInfo) -> bool:
    """Whether the run was trained on digits (older runs, saved before datasets, were MNIST)."""
    try:
        return datasets.get(run.meta.get("config", {}).get("dataset", "mnist")).digits
    except datasets.UnknownDataset:  # saved by a newer version of the app
        return False


def predictions(run_dir: Path, folder: Path) -> Predictions | None:
    """The run's predictions on every readable drawing of the set, in list_drawings order; None when the set is empty."""
    names = handwriting.stamp(folder)
    if not names:
        return None
    table = _table(str(run_dir), resources.weights_stamp(run_dir), str(folder), names)
    return Predictions.from_numpy(table) if len(table["targets"]) else None


def accuracies(runs: Sequence[RunInfo], folder: Path) -> dict[str, float | None]:
    """Run name -> accuracy on the set; None for damaged or non-digit runs, or an empty set."""
    scores: dict[str, float | None] = {}
    for run in runs:
        scores[run.name] = None
        if run.damaged is None and reads_digits(run):
            try:
                found = predictions(run.path, folder)
            except CheckpointError:
                continue
            scores[run.name] = None if found is None else found.accuracy
    return scores

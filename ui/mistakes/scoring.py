"""The test-set predictions of one checkpoint, computed once and cached as plain arrays.

Keyed by run folder, weights stamp, dataset and data folder, so paging or coming back is
instant and a retrained run is scored afresh.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

from core.evaluate import Predictions, predict
from ui import resources
from ui.i18n import _


@st.cache_data(max_entries=8, show_spinner=False)  # the spinner is drawn by predictions(), in the language in use
def _table(run_dir: str, stamp: int, dataset: str, data_folder: str) -> dict[str, np.ndarray]:
    model = resources.model(run_dir, stamp)
    return predict(model, resources.dataset(dataset, data_folder).test).to_numpy()


def predictions(run_dir: Path, dataset: str, data_folder: Path) -> Predictions:
    """Predictions for every test image of the run's dataset; raises CheckpointError or DatasetError with the fix."""
    with st.spinner(_("Scoring the test images…")):  # shown only if scoring takes a while (a cache miss)
        table = _table(str(run_dir), resources.weights_stamp(run_dir), dataset, str(data_folder))
    return Predictions.from_numpy(table)

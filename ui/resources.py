"""Cached, shared resources for the pages: the datasets, loaded models, folders, the chosen run.

st.cache_resource objects are shared by every session and never mutated;
st.cache_data holds per-checkpoint tables. Keys include file mtimes so a
retrained run is never served stale.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
import torch

from core.runs import checkpoints
from core.data.loading import Dataset, DatasetError, data_dir, find_files, load_dataset, missing_help
from ui.i18n import N_, Later


def runs_root() -> Path:
    return checkpoints.checkpoint_dir()


@st.cache_resource(show_spinner=Later(N_("Loading the dataset…")))
def dataset(name: str = "mnist", folder: str | None = None) -> Dataset:
    """A dataset, loaded once per server and folder; raises core.data.loading.DatasetError with the fix."""
    return load_dataset(name, folder, allow_download=False)


def run_dataset(run_dir: Path) -> Dataset:
    """The dataset a run was trained on (runs saved before datasets were MNIST); raises DatasetError
    with the fix when its files are not there (pages never start a download: Home offers one)."""
    name = checkpoints.read_meta(Path(run_dir))["config"].get("dataset", "mnist")
    folder = data_dir(dataset=name)
    if find_files(folder, name) is None:
        raise DatasetError(missing_help(folder, name))
    return dataset(name)


def weights_stamp(run_dir: Path) -> int:
    """Changes whenever the run's weights are rewritten (each epoch)."""
    try:
        return (run_dir / checkpoints.WEIGHTS).stat().st_mtime_ns
    except OSError:
        return 0


@st.cache_resource(max_entries=8, show_spinner=False)
def model(run_dir: str, stamp: int) -> torch.nn.Module:
    """A run's model in eval mode; shared read-only by all sessions (stamp keys the cache)."""
    loaded, _meta = checkpoints.load_model(Path(run_dir))
    return loaded


def chosen_run() -> str | None:
    """The run the Mistakes and Draw pages use, chosen on the Runs page (or the newest usable one)."""
    st.session_state.setdefault("chosen_run", None)
    return st.session_state["chosen_run"]


def choose_run(name: str | None) -> None:
    st.session_state["chosen_run"] = name


@st.cache_resource(show_spinner=False)
def job_registry() -> "JobRegistry":
    """The one training job registry, shared by every session and tab (it locks internally)."""
    from core.training.jobs import JobRegistry

    return JobRegistry()


@st.cache_resource(show_spinner=False)
def speed_probe() -> "SpeedProbe":
    """This machine's measured training speed, for the Train page's time per epoch (measured once, in the background)."""
    from core.training.epoch_time import SpeedProbe
    from core.training.trainer import resolve_device

    return SpeedProbe(resolve_device("auto"))

"""The Inside page's computations, cached per (run, epoch, image, class, layer): a slider move or a
rerun that changes nothing is instant, and a retrained or damaged epoch file is never served stale."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st
import torch

from core.runs.epochs import EpochFile
from core.explain.inspection import EpochProbabilities, Inspection, epoch_choices, inspect_image, model_at, probabilities_by_epoch
from ui.i18n import _


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
        return stat.st_mtime_ns, stat.st_size
    except OSError:
        return 0, 0


def epochs_stamp(run_dir: Path) -> tuple:
    """Changes whenever an epoch file or the run's weights or run.json change."""
    folder = run_dir / "epochs"
    files = sorted(folder.glob("*.pt")) if folder.is_dir() else []
    return tuple((path.name, *_stamp(path)) for path in files) + (_stamp(run_dir / "model.pt"), _stamp(run_dir / "run.json"))


@st.cache_data(max_entries=16, show_spinner=False)
def _choices(run_dir: str, stamp: tuple) -> list[EpochFile]:
    return epoch_choices(Path(run_dir))


def choices(run_dir: Path) -> list[EpochFile]:
    """Every epoch of the run with its problem; raises CheckpointError only if model.pt itself fails."""
    return _choices(str(run_dir), epochs_stamp(run_dir))


@st.cache_resource(max_entries=32, show_spinner=False)
def _model(run_dir: str, epoch: int, path: str, stamp: tuple) -> torch.nn.Module:
    return model_at(Path(run_dir), EpochFile(epoch, Path(path), None))  # shared read-only by all sessions


@st.cache_data(max_entries=64, show_spinner=False)  # the spinners are the callers', in the page's language
def _inspection(
    run_dir: str, epoch: int, path: str, stamp: tuple, pixels: bytes, target: int | None, layer: str | None
) -> Inspection:
    return inspect_image(_model(run_dir, epoch, path, stamp), _image(pixels), target, layer)


@st.cache_data(max_entries=32, show_spinner=False)
def _history(run_dir: str, stamp: tuple, pixels: bytes) -> EpochProbabilities:
    return probabilities_by_epoch(Path(run_dir), _image(pixels))


def _image(pixels: bytes) -> torch.Tensor:
    return torch.from_numpy(np.frombuffer(pixels, np.float32).copy()).reshape(1, 1, 28, 28)


def inspection(run_dir: Path, choice: EpochFile, image: torch.Tensor, target: int | None, layer: str | None) -> Inspection:
    """Feature maps, scores and attributions of `image` at one epoch; raises CheckpointError."""
    pixels = image.float().contiguous().numpy().tobytes()
    with st.spinner(_("Looking inside…")):
        return _inspection(str(run_dir), choice.epoch, str(choice.path), epochs_stamp(run_dir), pixels, target, layer)


def history(run_dir: Path, image: torch.Tensor) -> EpochProbabilities:
    """The image's probabilities at every loadable epoch, and why the others are missing."""
    with st.spinner(_("Reading every epoch…")):
        return _history(str(run_dir), epochs_stamp(run_dir), image.float().contiguous().numpy().tobytes())


def model(run_dir: Path, choice: EpochFile) -> torch.nn.Module:
    return _model(str(run_dir), choice.epoch, str(choice.path), epochs_stamp(run_dir))

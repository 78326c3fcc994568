"""Cached pieces of the Map page, shared by every session: features per checkpoint, layouts, the map jobs.

Keys hold the run folder, the epoch and the weights' stamp, so a retrained run is never served stale.
Models, features and layouts are never mutated after they are cached.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import torch

from core.map import maps
from core.map.embedding import embed
from core.map.map_jobs import MapJobs
from core.map.tsne import Placer
from ui import resources
from ui.i18n import N_, Later


@dataclass(frozen=True)
class Points:
    features: torch.Tensor  # (N,D)
    predicted: torch.Tensor  # (N,)
    probabilities: torch.Tensor  # (N,10)


def as_image(drawing) -> torch.Tensor:
    """The Draw page's (28,28) drawing in [0,1] as the (1,1,28,28) tensor the model takes."""
    return torch.as_tensor(drawing, dtype=torch.float32).reshape(1, 1, 28, 28)


@st.cache_resource(show_spinner=False)
def map_jobs() -> MapJobs:
    """The one registry of map jobs (core.map.map_jobs), apart from the training job's."""
    return MapJobs()


@st.cache_resource(max_entries=2, show_spinner=False)
def epoch_model(run_dir: str, epoch: int, stamp: int) -> torch.nn.Module:
    return maps.epoch_model(Path(run_dir), epoch)


@st.cache_resource(max_entries=4, show_spinner=Later(N_("Reading the 10,000 test images through the network…")))
def test_points(run_dir: str, epoch: int, stamp: int) -> Points:
    """Features and predictions of every test image at `epoch`."""
    features, logits = embed(epoch_model(run_dir, epoch, stamp), resources.run_dataset(Path(run_dir)).test.images)
    probabilities = logits.softmax(1)
    return Points(features, probabilities.argmax(1), probabilities)


@st.cache_resource(max_entries=1, show_spinner=Later(N_("Reading the 60,000 training images through the network (once per run)…")))
def train_features(run_dir: str, epoch: int, stamp: int) -> torch.Tensor:
    """(60000,D) features of the training images, for the nearest neighbours of a drawing."""
    features, _logits = embed(epoch_model(run_dir, epoch, stamp), resources.run_dataset(Path(run_dir)).train.images)
    return features


@st.cache_resource(max_entries=4, show_spinner=False)
def pca_layout(run_dir: str, epoch: int, last: int, stamp: int) -> maps.PcaLayout:
    """The PCA map of `epoch`, turned to match the last epoch's (Procrustes)."""
    final = None if epoch == last else pca_layout(run_dir, last, last, stamp).coords
    return maps.pca_layout(test_points(run_dir, epoch, stamp).features, final)


def tsne_map(run_dir: str, epoch: int, stamp: int) -> maps.TsneMap | None:
    """The cached t-SNE map of `epoch`, or None while it is not computed."""
    try:
        return _tsne_map(run_dir, epoch, stamp)
    except LookupError:
        return None


@st.cache_resource(max_entries=4, show_spinner=False)
def _tsne_map(run_dir: str, epoch: int, stamp: int) -> maps.TsneMap:
    found = maps.cached_tsne(Path(run_dir), epoch, resources.run_dataset(Path(run_dir)).test)
    if found is None:
        raise LookupError("not computed yet")  # raised, so the absence is not cached
    return found


@st.cache_resource(max_entries=4, show_spinner=Later(N_("Preparing to place drawings on the t-SNE map…")))
def placer(run_dir: str, epoch: int, stamp: int) -> Placer:
    found = _tsne_map(run_dir, epoch, stamp)
    return Placer(found.reference, found.coords)

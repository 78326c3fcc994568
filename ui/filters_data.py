"""The Filters page's cached pieces: the one job registry for filter views and robustness, and the views
of a (run, epoch, block) read from their cache file (computed only by a background job, never here)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.data.loading import Split
from core.explain import filter_views
from core.explain.explain_jobs import ExplainJobs, Job
from core.explain.filter_views import BlockViews


@st.cache_resource(show_spinner=False)
def explain_jobs() -> ExplainJobs:
    """The one registry of explanation jobs (filter views, robustness), apart from training's and the maps'."""
    return ExplainJobs()


def job_key(run_dir: Path, epoch: int, block: str, stamp: int) -> tuple:
    return ("filters", str(run_dir), epoch, block, stamp)


@st.cache_resource(max_entries=64, show_spinner=False)
def _cached(run_dir: str, epoch: int, block: str, stamp: int) -> BlockViews:
    from ui import resources

    found = filter_views.cached_views(Path(run_dir), epoch, block, resources.run_dataset(Path(run_dir)).test)
    if found is None:
        raise LookupError("not computed yet")  # raised, so the absence is not cached
    return found


def views(run_dir: Path, epoch: int, block: str, stamp: int) -> BlockViews | None:
    """The views from their cache file, or None while no job has written them."""
    try:
        return _cached(str(run_dir), epoch, block, stamp)
    except LookupError:
        return None


def request(run_dir: Path, epoch: int, block: str, stamp: int, test: Split) -> Job:
    """Queue the views' computation in the background (a no-op while it runs or once done)."""
    work = lambda progress, stop: filter_views.block_views(run_dir, epoch, block, test, progress, stop)  # noqa: E731
    return explain_jobs().request(job_key(run_dir, epoch, block, stamp), work)

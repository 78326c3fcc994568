"""Background jobs that compute t-SNE maps, one per (run, epoch), watched by any page or tab.

    jobs = MapJobs()                                   # the UI holds one in st.cache_resource
    jobs.request(run_dir, epoch, test)                 # starts a job unless one is running or done
    jobs.status(run_dir, epoch)                        # a frozen MapJob: status, progress, message

A registry of its own, not core.training.jobs': that one holds the single training job and refuses a
second, and a map must not wait for training (or training for a map). Map jobs take turns
among themselves (one computes at a time, the others wait), since each already uses both cores.
Threads never touch streamlit; the cache they write (core.map.map_cache) is atomic, so a job
killed with its process leaves no half-written file.
"""
from __future__ import annotations

from pathlib import Path

from core.data.loading import Split
from core.explain.explain_jobs import ExplainJobs, Job
from core.map.maps import tsne_map

MapJob = Job  # status, progress, message, seconds


class MapJobs:
    """The maps' registry: core.explain.explain_jobs' turn-taking jobs, keyed by (run, epoch).
    Every method is safe to call from any thread."""

    def __init__(self) -> None:
        self._jobs = ExplainJobs(waiting="Waiting for another map to finish", failed="The map could not be computed")

    def status(self, run_dir: Path, epoch: int) -> MapJob:
        return self._jobs.status((str(run_dir), epoch))

    def request(self, run_dir: Path, epoch: int, test: Split) -> MapJob:
        """Start computing the map of (run, epoch) unless a job for it is active or done; returns its state."""
        return self._jobs.request((str(run_dir), epoch), lambda progress, stop: tsne_map(Path(run_dir), epoch, test, progress, stop))

    def forget(self, run_dir: Path, epoch: int) -> None:
        """Drop a finished job's record, so the next request checks the cache again (e.g. after retraining)."""
        self._jobs.forget((str(run_dir), epoch))

    def stop(self, run_dir: Path, epoch: int) -> bool:
        """Ask an active job to stop at its next step; False when there is none."""
        return self._jobs.stop((str(run_dir), epoch))

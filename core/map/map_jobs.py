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

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from core.data.loading import Split
from core.map.maps import tsne_map
from core.map.tsne import Cancelled

ACTIVE = ("waiting", "running")


@dataclass(frozen=True)
class MapJob:
    status: str = "none"  # none | waiting | running | done | stopped | failed
    progress: float = 0.0  # share done, 0..1
    message: str = ""  # what it is doing, or why it failed
    seconds: float = 0.0  # how long it computed (done jobs)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class MapJobs:
    """Every method is safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._turn = threading.Lock()  # held by the job that is computing
        self._jobs: dict[tuple[str, int], MapJob] = {}
        self._stops: dict[tuple[str, int], threading.Event] = {}

    def status(self, run_dir: Path, epoch: int) -> MapJob:
        with self._lock:
            return self._jobs.get((str(run_dir), epoch), MapJob())

    def request(self, run_dir: Path, epoch: int, test: Split) -> MapJob:
        """Start computing the map of (run, epoch) unless a job for it is active or done; returns its state."""
        key = (str(run_dir), epoch)
        with self._lock:  # check and claim in one step: two tabs asking at once make one job
            current = self._jobs.get(key, MapJob())
            if current.active or current.status == "done":
                return current
            self._jobs[key] = MapJob("waiting", 0.0, "Waiting for another map to finish")
            self._stops[key] = threading.Event()
        threading.Thread(target=self._work, args=(key, Path(run_dir), epoch, test), name=f"map-job-{epoch}", daemon=True).start()
        return self.status(run_dir, epoch)

    def forget(self, run_dir: Path, epoch: int) -> None:
        """Drop a finished job's record, so the next request checks the cache again (e.g. after retraining)."""
        with self._lock:
            key = (str(run_dir), epoch)
            if key in self._jobs and not self._jobs[key].active:
                del self._jobs[key]

    def stop(self, run_dir: Path, epoch: int) -> bool:
        """Ask an active job to stop at its next step; False when there is none."""
        with self._lock:
            key = (str(run_dir), epoch)
            if not self._jobs.get(key, MapJob()).active:
                return False
            self._stops[key].set()
            return True

    def _set(self, key: tuple[str, int], **changes) -> None:
        with self._lock:
            self._jobs[key] = replace(self._jobs[key], **changes)

    def _work(self, key: tuple[str, int], run_dir: Path, epoch: int, test: Split) -> None:
        with self._turn:
            started = time.monotonic()
            self._set(key, status="running", message="Starting")
            try:
                tsne_map(run_dir, epoch, test, lambda share, text: self._set(key, progress=share, message=text), self._stops[key])
                self._set(key, status="done", progress=1.0, message="", seconds=time.monotonic() - started)
            except Cancelled as error:
                self._set(key, status="stopped", message=str(error))
            except Exception as error:  # a damaged epoch file, a bug: the page must still hear that the job ended
                self._set(key, status="failed", message=f"The map could not be computed: {error}")

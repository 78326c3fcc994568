"""Background jobs for long explanations (a block's filter views, a run's robustness), watched by any page or tab.

    jobs = ExplainJobs()                                  # the UI holds one in st.cache_resource
    jobs.request(key, work)                               # starts work(progress, stop) unless active or done
    jobs.status(key)                                      # a frozen Job: status, progress, message, seconds

Like core.map.map_jobs (which it follows), a registry of its own, apart from training's: an
explanation never waits for training. Jobs take turns (one computes at a time, the others wait),
since each already uses every core. Threads never touch streamlit; what they write is atomic.
`work(progress, stop)` calls progress(share 0..1, text) and returns when done; it may raise
Cancelled (stop was set) or anything else (the job is marked failed with the error's sentence).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

from core.map.tsne import Cancelled

ACTIVE = ("waiting", "running")
Progress = Callable[[float, str], None]
Work = Callable[[Progress, threading.Event], object]


@dataclass(frozen=True)
class Job:
    status: str = "none"  # none | waiting | running | done | stopped | failed
    progress: float = 0.0  # share done, 0..1
    message: str = ""  # what it is doing, or why it failed
    seconds: float = 0.0  # how long it computed (done jobs)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class ExplainJobs:
    """Every method is safe to call from any thread."""

    def __init__(self, waiting: str = "Waiting for another computation to finish", failed: str = "It could not be computed") -> None:
        self._waiting, self._failed = waiting, failed  # the words a page shows, e.g. core.map.map_jobs' own
        self._lock = threading.Lock()
        self._turn = threading.Lock()  # held by the job that is computing
        self._jobs: dict[Hashable, Job] = {}
        self._stops: dict[Hashable, threading.Event] = {}

    def status(self, key: Hashable) -> Job:
        with self._lock:
            return self._jobs.get(key, Job())

    def request(self, key: Hashable, work: Work) -> Job:
        """Start `work` for `key` unless a job for it is active or done; returns its state."""
        with self._lock:  # check and claim in one step: two tabs asking at once make one job
            current = self._jobs.get(key, Job())
            if current.active or current.status == "done":
                return current
            self._jobs[key] = Job("waiting", 0.0, self._waiting)
            self._stops[key] = threading.Event()
        threading.Thread(target=self._work, args=(key, work), name="explain-job", daemon=True).start()
        return self.status(key)

    def forget(self, key: Hashable) -> None:
        """Drop a finished job's record, so the next request computes (or reads the cache) again."""
        with self._lock:
            if key in self._jobs and not self._jobs[key].active:
                del self._jobs[key]

    def stop(self, key: Hashable) -> bool:
        """Ask an active job to stop at its next step; False when there is none."""
        with self._lock:
            if not self._jobs.get(key, Job()).active:
                return False
            self._stops[key].set()
            return True

    def _set(self, key: Hashable, **changes) -> None:
        with self._lock:
            self._jobs[key] = replace(self._jobs[key], **changes)

    def _work(self, key: Hashable, work: Work) -> None:
        with self._turn:
            started = time.monotonic()
            self._set(key, status="running", message="Starting")
            try:
                work(lambda share, text: self._set(key, progress=share, message=text), self._stops[key])
                self._set(key, status="done", progress=1.0, message="", seconds=time.monotonic() - started)
            except Cancelled as error:
                self._set(key, status="stopped", message=str(error))
            except Exception as error:  # a damaged epoch file, a bug: the page must still hear that the job ended
                self._set(key, status="failed", message=f"{self._failed}: {error}")

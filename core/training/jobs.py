"""The one background training job the UI starts, watches and stops.

    registry = JobRegistry()                      # the UI holds one in st.cache_resource
    registry.start(config, data_dir, root)        # raises JobBusy while a job is active
    registry.snapshot()                           # a frozen copy, safe to read from any thread
    registry.start_sweep(request, data_dir, root) # a sweep (core.sweep.job) holds the same one slot
    registry.stop()                               # ends the run after the current batch
    registry.pause(); registry.step(); registry.resume()   # hold between batches, one batch at a time
    registry.start_lr_find(config, data_dir)      # the learning-rate finder (core.training.lr_find)

The job runs in a daemon thread that never touches streamlit, so it keeps going
while pages rerun, reload or open in a second tab; every tab reads the same state.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.runs import checkpoints
from core.training.config import TrainConfig
from core.training.job_state import ACTIVE, ENDED, JobSnapshot  # noqa: F401 (callers import them from here)
from core.data.loading import DatasetError, load_dataset
from core.training.events import BatchEnd, EpochEnd, Event, Stopped, Telemetry
from core.training.fit import fit, fresh_run_name, new_run
from core.training.pause import PauseGate, step_change, weights_now
from core.training.readings import Watch

if TYPE_CHECKING:
    from core.sweep.job import SweepRequest

class JobBusy(RuntimeError):
    """A job is already active; the message names it."""


@dataclass
class _Job:
    snapshot: JobSnapshot
    stop: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None  # freezes `elapsed` once the job is over
    batch_costs: list[float] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    gate: PauseGate = field(default_factory=PauseGate)
    watch: Watch = field(default_factory=Watch)


class JobRegistry:
    """Holds at most one active job; every method is safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job: _Job | None = None
        self._count = 0

    def start(
        self, config: TrainConfig, data_dir: str | Path | None, root: Path, device: str = "auto"
    ) -> JobSnapshot:
        """Start training `config` in the background; returns the job as claimed ("loading"), raises JobBusy if one is active."""
        # named now, not once the data has loaded, so a Start refused meanwhile can say which run holds the slot
        name = fresh_run_name(Path(root), config)
        try:
            job = self._claim(JobSnapshot(status="loading", run_name=name, config=config, epochs=config.epochs))
        except JobBusy:
            checkpoints.release_name(Path(root), name)
            raise
        claimed = job.snapshot  # read before the thread starts: it may already be "running" by the next line
        thread = threading.Thread(
            target=self._work, args=(job, config, data_dir, Path(root), device), name=f"train-job-{claimed.job_id}", daemon=True
        )
        thread.start()
        return claimed

    def start_sweep(self, request: "SweepRequest", data_dir: str | Path | None, root: Path) -> JobSnapshot:
        """Start a sweep worker in the background (core.sweep.job); raises JobBusy if a job is active."""
        from core.sweep.job import run_sweep  # late: optuna loads only when a sweep starts

        job = self._claim(JobSnapshot(
            status="loading", kind="sweep", study=request.study, trials=request.trials, epochs=request.settings.epochs
        ))
        claimed = job.snapshot  # as in start: the thread may change it at once
        update = lambda **changes: self._update(job, **changes)  # noqa: E731
        thread = threading.Thread(
            target=run_sweep, args=(request, data_dir, Path(root), job.stop, update),
            name=f"sweep-job-{claimed.job_id}", daemon=True,
        )
        thread.start()
        return claimed

    def start_lr_find(self, config: TrainConfig, data_dir: str | Path | None, device: str = "auto") -> JobSnapshot:
        """Run the learning-rate finder (core.training.lr_find) in the one job slot; raises JobBusy."""
        from core.training.lr_find import run_job

        job = self._claim(JobSnapshot(status="loading", kind="lr_find", config=config, epochs=1))
        update = lambda **changes: self._update(job, **changes)  # noqa: E731
        threading.Thread(target=run_job, args=(config, data_dir, device, job.stop, update),
                         name=f"lr-find-job-{job.snapshot.job_id}", daemon=True).start()
        return job.snapshot

    def _claim(self, snapshot: JobSnapshot) -> _Job:
        with self._lock:  # check and claim in one step, so two Starts make one job
            if self._job is not None and self._job.snapshot.active:
                raise JobBusy(self._job.snapshot.busy_message)
            self._count += 1
            self._job = _Job(replace(snapshot, job_id=self._count))
            return self._job

    def stop(self) -> bool:
        """Ask the active job to stop after its current batch; False when none is active."""
        with self._lock:
            if self._job is None or not self._job.snapshot.active:
                return False
            self._job.stop.set()
            self._job.snapshot = replace(self._job.snapshot, stopping=True)
            return True

    def pause(self) -> bool:
        """Hold the running job after its current batch; False when no training job is active."""
        return self._gate(lambda gate: gate.pause(), paused=True)

    def resume(self) -> bool:
        return self._gate(lambda gate: gate.resume(), paused=False)

    def step(self) -> bool:
        """Train exactly one more batch of a paused job; False unless one is paused."""
        with self._lock:
            job = self._job
            return job is not None and job.snapshot.active and job.gate.step()

    def _gate(self, action, paused: bool) -> bool:
        with self._lock:
            job = self._job
            if job is None or not job.snapshot.active or job.snapshot.kind != "train":
                return False
            action(job.gate)
            job.snapshot = replace(job.snapshot, paused=paused)
            return True

    def snapshot(self) -> JobSnapshot:
        """The current job's state (status 'idle' before the first job)."""
        with self._lock:
            if self._job is None:
                return JobSnapshot()
            job = self._job
            elapsed = (job.ended or time.monotonic()) - job.started
            return replace(
                job.snapshot, batch_costs=tuple(job.batch_costs), records=tuple(job.records), elapsed=elapsed,
                readings=tuple(job.watch.current),
            )

    def _update(self, job: _Job, **changes: Any) -> None:
        with self._lock:
            job.snapshot = replace(job.snapshot, **changes)
            if job.snapshot.status in ENDED:
                job.ended = time.monotonic()

    def _work(self, job: _Job, config: TrainConfig, data_dir: str | Path | None, root: Path, device: str) -> None:
        try:
            data = load_dataset(config.dataset, data_dir, allow_download=False)
            trainer, run_dir = new_run(config, data, root, device, name=job.snapshot.run_name)
            self._update(
                job, status="running", run_name=run_dir.name, run_dir=run_dir,
                device=str(trainer.device), batches=trainer.batches,
                telemetry_header=trainer.recorder.header() if trainer.recorder else None,
            )
            ended, stepped_from = ("finished", ""), None
            for event in fit(trainer, run_dir, job.stop):
                ended = self._record(job, event) or ended
                if isinstance(event, BatchEnd):
                    stepped_from = self._hold(job, trainer, event, stepped_from)
            self._update(job, status=ended[0], message=ended[1], eta=0.0 if ended[0] == "finished" else None)
        except (DatasetError, ValueError) as error:  # a missing data set, a batch larger than it: the user can fix
            self._update(job, status="failed", message=str(error), eta=None)
        except Exception as error:  # a bug, but the page must still say the job ended
            self._update(job, status="failed", message=f"Training failed: {type(error).__name__}: {error}", eta=None)
        finally:  # a job that failed before training (data, design) frees the name start() claimed
            checkpoints.release_name(root, job.snapshot.run_name)

    def _hold(self, job: _Job, trainer: Any, event: BatchEnd, stepped_from: dict | None) -> dict | None:
        """Between batches: report what a single step changed, then wait while paused.
        Returns the weights before the next batch when that batch is a single step."""
        if stepped_from is not None:
            step = (event.epoch - 1) * event.batches + event.batch
            self._update(job, step_change=step_change(stepped_from, trainer.model, step))
        if job.gate.wait(job.stop):
            return weights_now(trainer.model)
        return None

    def _record(self, job: _Job, event: Event) -> tuple[str, str] | None:
        """Fold one training event into the job's state; returns (status, message) when training ended early."""
        job.watch.see(event)  # only this thread feeds it; snapshot() reads its `current` list whole
        if isinstance(event, Telemetry):
            with self._lock:
                job.records.append(event.record)
        elif isinstance(event, BatchEnd):
            with self._lock:
                job.batch_costs.append(event.cost)
                job.snapshot = replace(job.snapshot, epoch=event.epoch, batch=event.batch, eta=_eta(job, event))
        elif isinstance(event, EpochEnd):
            kept = {k: getattr(event, k) for k in ("epoch", "cost", "test_accuracy", "test_loss", "seconds", "lr")}
            with self._lock:
                job.snapshot = replace(job.snapshot, history=(*job.snapshot.history, kept))
        elif isinstance(event, Stopped):
            return event.reason, event.message
        return None


def _eta(job: _Job, event: BatchEnd) -> float:
    """Seconds left at the pace so far (scoring time included, as the user waits for it too)."""
    done = (event.epoch - 1) * event.batches + event.batch
    total = job.snapshot.epochs * event.batches
    return (time.monotonic() - job.started) / done * (total - done)

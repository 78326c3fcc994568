"""What a page sees of the background job: a frozen snapshot, safe to read from any thread."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.training.config import TrainConfig

ACTIVE = ("loading", "running")
ENDED = ("finished", "stopped", "diverged", "failed")


@dataclass(frozen=True)
class JobSnapshot:
    """What a page needs to draw a job; tuples throughout, so nothing in it can change."""

    status: str = "idle"  # idle | loading | running | finished | stopped | diverged | failed
    job_id: int = 0  # counts jobs started by this registry
    run_name: str | None = None
    run_dir: Path | None = None
    config: TrainConfig | None = None
    device: str = ""
    epoch: int = 0  # 1-based epoch in progress (or last finished)
    batch: int = 0  # 1-based batch within `epoch`
    batches: int = 0  # batches per epoch
    epochs: int = 0  # the run's target
    history: tuple[dict[str, Any], ...] = ()  # per finished epoch: epoch, cost, test_accuracy, test_loss, seconds
    batch_costs: tuple[float, ...] = ()  # every batch's cost so far, all epochs
    elapsed: float = 0.0  # seconds since start
    eta: float | None = None  # seconds left, estimated from the pace so far
    message: str = ""  # how it ended, or the error to show
    stopping: bool = False  # a stop was asked for and the current batch is finishing
    kind: str = "train"  # train | sweep | lr_find
    study: str | None = None  # a sweep's study name
    trials: int = 0  # a sweep's target of finished trials
    trials_done: int = 0  # a sweep's finished trials so far (all workers)
    trial: int | None = None  # the trial number this job is training now
    paused: bool = False  # held between batches (core.training.pause); Step lets one batch through
    telemetry_header: dict[str, Any] | None = None  # the recording's bins and probe digits
    records: tuple[dict[str, Any], ...] = ()  # every Telemetry record so far (core.training.telemetry)
    readings: tuple[Any, ...] = ()  # core.training.readings.Reading: what holds as of the last record
    step_change: Any = None  # core.training.pause.StepChange of the last stepped batch
    lr_result: Any = None  # a learning-rate finder job's core.training.lr_find.LrFindResult

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def title(self) -> str:
        """How messages name the job, e.g. 'cnn-20260101-120000 (cnn)'; the name is set at start."""
        if self.kind == "sweep":
            return f"study {self.study}"
        if self.kind == "lr_find":
            return f"the learning-rate finder ({self.config.model if self.config else '?'})"
        model = self.config.model if self.config else "?"
        return f"{self.run_name or 'a new run'} ({model})"

    @property
    def busy_message(self) -> str:
        what = {"sweep": "The sweep of", "lr_find": "The run of"}.get(self.kind, "Training")
        return f"{what} {self.title} is still running; stop it or wait for it to finish."

    @property
    def test_accuracy(self) -> float | None:
        return self.history[-1]["test_accuracy"] if self.history else None

"""How long one training epoch of a design takes on this machine, estimated before it runs.

    speed = load_speed("cpu") or measure_speed("cpu")   # measured once per machine, then read from disk
    speed.epoch_seconds(design, batch_size=100)          # e.g. 9.4

Model: one batch of B images takes  a x B x training FLOPs  +  b x B x activation values  +  c
seconds (core.training.walk's totals): the arithmetic, the memory traffic of every layer's output,
and a fixed cost per step (optimizer, Python, kernel launches). a, b and c are fitted by least
squares to a few seconds of real training steps of four small reference designs at two batch
sizes, and kept in a JSON file in the cache folder, keyed by CPU, thread count, torch version and
device, so a different machine or torch measures again. It counts the training steps only
(as EpochEnd.seconds does), not scoring the test set or augmenting images.
"""
from __future__ import annotations

import json
import platform
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from core.data.data_cache import cache_dir
from core.training.config import TRAIN_SET_SIZE
from core.training.design import Design
from core.training.design_text import parse
from core.training.models import place
from core.training.network import build
from core.training.walk import totals

# (design, batch size): small and large FLOPs per activation, two batch sizes to separate c
REFERENCES = (("c8,fc10", 100), ("c8,fc10", 16), ("c32-max,c64-max,fc10", 100), ("c16,c24-max-bn,fc32,fc10", 64))
WARMUP_STEPS, TIMED_STEPS, ROUNDS = 3, 6, 3
# a reference's step time is the 20th percentile of its steps, not the median: on a shared machine a
# neighbour's burst makes steps 10x slower, and a cached fit should not keep the minute it was measured in
QUANTILE = 0.2
CACHE_NAME = "epoch_time.json"


@dataclass(frozen=True)
class Speed:
    per_flop: float  # a: seconds per training FLOP
    per_value: float  # b: seconds per activation value (one image's layer outputs)
    per_step: float  # c: seconds per optimizer step, whatever its size
    machine: str  # what it was measured on (machine_key)
    measured_at: str

    def batch_seconds(self, design: Design, batch_size: int) -> float:
        total = totals(design)
        return batch_size * (self.per_flop * total.training_flops + self.per_value * total.activation_values) + self.per_step

    def epoch_seconds(self, design: Design, batch_size: int, train_size: int = TRAIN_SET_SIZE,
                      max_batches: int | None = None) -> float:
        """Seconds of training steps in one epoch (drop_last batches, as the trainer)."""
        batches = min(train_size // batch_size, max_batches or train_size)
        return batches * self.batch_seconds(design, batch_size)


def machine_key(device: torch.device | str = "cpu") -> str:
    """What the speed depends on: CPU model, torch's threads, torch's version, and the device."""
    device = torch.device(device)
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    return f"{_cpu_model()} | {torch.get_num_threads()} threads | torch {torch.__version__} | {where}"


def cache_file() -> Path:
    return cache_dir() / CACHE_NAME


def load_speed(device: torch.device | str = "cpu") -> Speed | None:
    """This machine's measured speed, or None when it was never measured (or the file is unreadable)."""
    try:
        entry = json.loads(cache_file().read_text())[machine_key(device)]
        return Speed(**entry)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def measure_speed(device: torch.device | str = "cpu", references=REFERENCES) -> Speed:
    """Time real training steps of the reference designs, fit a, b, c, and save them (a few seconds).

    The references take turns, ROUNDS rounds of TIMED_STEPS steps each, so a neighbour's burst
    lands on all of them rather than on one reference's whole measurement."""
    device = torch.device(device)
    steppers = [Stepper(parse(text), batch_size, device) for text, batch_size in references]
    times: list[list[float]] = [[] for _ in steppers]
    for _ in range(ROUNDS):
        for stepper, kept in zip(steppers, times):
            kept += stepper.time(TIMED_STEPS)
    rows = [[s.batch_size * s.totals.training_flops, s.batch_size * s.totals.activation_values, 1.0] for s in steppers]
    seconds = [float(np.quantile(kept, QUANTILE)) for kept in times]
    per_flop, per_value, per_step = fit_nonnegative(np.array(rows), np.array(seconds))
    speed = Speed(per_flop, per_value, per_step, machine_key(device), time.strftime("%Y-%m-%d %H:%M:%S"))
    _save(speed)
    return speed


class Stepper:
    """A design's network, its Adam and a bank of random images, stepping as core.training.trainer does."""

    def __init__(self, design: Design, batch_size: int, device: torch.device) -> None:
        self.batch_size, self.device, self.totals = batch_size, device, totals(design)
        self.model = place(build(design), device)
        self.optimizer = torch.optim.Adam(self.model.parameters())
        self.bank = torch.rand(max(1024, batch_size), 1, 28, 28, device=device)  # (N,1,28,28)
        self.labels = torch.randint(0, design.classes, (len(self.bank),), device=device)
        self.time(WARMUP_STEPS)  # the first steps allocate and tune

    def time(self, steps: int) -> list[float]:
        """Seconds of each of `steps` training steps."""
        times = []
        for _ in range(steps):
            index = torch.randint(0, len(self.bank), (self.batch_size,), device=self.device)
            started = time.perf_counter()
            self.optimizer.zero_grad()
            F.cross_entropy(self.model(self.bank[index]), self.labels[index]).backward()
            self.optimizer.step()
            if self.device.type == "cuda":
                torch.cuda.synchronize(self.device)
            times.append(time.perf_counter() - started)
        return times


def fit_nonnegative(rows: np.ndarray, seconds: np.ndarray) -> tuple[float, float, float]:
    """Least squares with every coefficient >= 0: a negative one is dropped and the rest refitted."""
    keep = [0, 1, 2]
    while True:
        solution = np.linalg.lstsq(rows[:, keep], seconds, rcond=None)[0]
        if (solution >= 0).all():
            break
        keep.pop(int(np.argmin(solution)))
    coefficients = [0.0, 0.0, 0.0]
    for column, value in zip(keep, solution):
        coefficients[column] = float(value)
    return coefficients[0], coefficients[1], coefficients[2]


class SpeedProbe:
    """Measures the speed once, in a background thread, so no page waits for it; thread-safe.

    Not a daemon thread (said outright: a thread started from the script thread would inherit its daemon
    flag): an interpreter that exits while torch runs in a daemon thread aborts ("terminate called")."""

    def __init__(self, device: torch.device | str = "cpu", references=REFERENCES) -> None:
        self.device, self.references = torch.device(device), references
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._speed = load_speed(self.device)
        self.error: str | None = None

    def speed(self) -> Speed | None:
        return self._speed

    @property
    def measuring(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Begin measuring unless known or already under way."""
        with self._lock:
            if self._speed is None and not self.measuring:
                self._thread = threading.Thread(target=self._measure, name="speed-probe", daemon=False)
                self._thread.start()

    def measure_again(self) -> None:
        """Forget the speed and measure anew, e.g. after a burst of other work spoilt the first measurement."""
        with self._lock:
            if self.measuring:
                return
            self._speed, self.error = None, None
        self.start()

    def wait(self, timeout: float | None = None) -> Speed | None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._speed

    def _measure(self) -> None:
        try:
            self._speed = measure_speed(self.device, self.references)
        except Exception as error:  # a failed probe only means no estimate; say why on the page
            self.error = f"{type(error).__name__}: {error}"


def _save(speed: Speed) -> None:
    path = cache_file()
    try:
        entries = json.loads(path.read_text())
    except (OSError, ValueError):
        entries = {}
    entries[speed.machine] = asdict(speed)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{threading.get_ident()}.tmp")
    partial.write_text(json.dumps(entries, indent=2) + "\n")
    partial.replace(path)  # atomic: a reader sees the old file or the new one


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()

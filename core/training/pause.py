"""Pause, step one batch, resume: a gate the job passes between batches, and what one step changed.

    gate = PauseGate()
    gate.pause(); gate.step(); gate.resume()      # from any thread
    stepping = gate.wait(stop)                    # the job, after each batch: blocks while paused

The trainer never knows: the job simply does not ask its event stream for the next batch while
paused, so a paused and stepped run computes exactly what an unpaused one does.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.training.telemetry import weight_layers


class PauseGate:
    """Thread-safe: pause, one step at a time, resume; a stop always gets through."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._paused = False
        self._steps = 0  # batches allowed through while paused

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        with self._changed:
            self._paused = True

    def resume(self) -> None:
        with self._changed:
            self._paused, self._steps = False, 0
            self._changed.notify_all()

    def step(self) -> bool:
        """Let one batch through; False unless paused."""
        with self._changed:
            if not self._paused:
                return False
            self._steps += 1
            self._changed.notify_all()
            return True

    def wait(self, stop: threading.Event) -> bool:
        """Block while paused (and not stopping); True when released for exactly one batch."""
        with self._changed:
            while self._paused and self._steps == 0 and not stop.is_set():
                self._changed.wait(timeout=0.05)  # a stop is an Event of its own: look at it often
            if self._paused and self._steps and not stop.is_set():
                self._steps -= 1
                return True
            return False


@dataclass(frozen=True)
class StepChange:
    """What one stepped batch changed: the first conv's filters before and after, each layer's update."""

    step: int  # the global batch number of the step
    filters_before: np.ndarray  # (C,k,k), read-only
    filters_after: np.ndarray
    update_ratio: tuple[tuple[str, float], ...]  # (layer, ||dw|| / ||w||) in design order


def weights_now(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: w.detach().clone() for name, w in weight_layers(model).items()}


def step_change(before: dict[str, torch.Tensor], model: nn.Module, step: int) -> StepChange:
    after = weights_now(model)
    ratios = tuple((n, float((after[n] - before[n]).norm() / after[n].norm().clamp_min(1e-12))) for n in after)
    first = next(iter(after))
    filters = [before[first][:, 0].cpu().numpy(), after[first][:, 0].cpu().numpy()]
    for array in filters:
        array.setflags(write=False)
    return StepChange(step, filters[0], filters[1], ratios)

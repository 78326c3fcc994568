"""Plain-language readings of the recorded internals: one sentence per signal out of its healthy range.

    readings = read(records, batch_costs)        # [Reading(kind, layer, sentence), ...]
    watch = Watch(); watch.see(event) -> the readings that fired for the first time (core.train prints them)

Healthy ranges are cs231n's and fastai's rules of thumb: an update-to-weight ratio near 1e-3,
less than half of a layer's units dead, gradients of the same order in every layer, a cost that falls.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from core.training.events import BatchEnd, Event, Telemetry

HIGH_UPDATE = 1e-2  # above this for RECENT records in a row: the learning rate is too high
RECENT = 10
WARM_UP = 5  # records skipped: the first steps of any run are large
DEAD_SHARE = 0.5
VANISHING = 1e-2  # first layer's gradient norm / last layer's
FLAT_AFTER = 300  # batches before "the cost has not fallen" may be said
FLAT_WINDOW = 50
FLAT_FALL = 0.05  # the last window must be at least 5% below the first


@dataclass(frozen=True)
class Reading:
    kind: str  # lr_too_high | dead_units | vanishing_gradients | cost_flat
    layer: str | None
    sentence: str


def read(records: Sequence[dict[str, Any]], batch_costs: Sequence[float]) -> list[Reading]:
    """Every reading that holds now, from the records so far and every batch's cost."""
    found = []
    if records:
        found += _update_too_high(records) + _dead_units(records[-1]) + _vanishing(records[-1])
    return found + _cost_flat(batch_costs)


def _update_too_high(records: Sequence[dict[str, Any]]) -> list[Reading]:
    """Every layer above HIGH_UPDATE for RECENT records in a row, after the first WARM_UP records.

    Every layer, not any: a one-cycle schedule's peak lifts the last layers above 1e-2 for a while
    (fast, at batch 70-130 of 469), and Adam's first steps are large on small initial weights."""
    if len(records) < WARM_UP + RECENT:
        return []
    recent = records[-RECENT:]
    layers = list(recent[-1]["weights"])
    lowest = {layer: min(r["weights"][layer]["update_ratio"] for r in recent if layer in r["weights"]) for layer in layers}
    layer = min(lowest, key=lowest.get)
    if lowest[layer] <= HIGH_UPDATE:
        return []
    latest = ", ".join(f"{name} {recent[-1]['weights'][name]['update_ratio']:.2g}" for name in layers)
    return [Reading("lr_too_high", None, (
        f"Learning rate too high: every layer's update-to-weight ratio has stayed above {HIGH_UPDATE:g} for the "
        f"last {RECENT} readings (now {latest}; healthy is about 1e-3); try a learning rate 10x smaller."))]


def _dead_units(record: dict[str, Any]) -> list[Reading]:
    return [Reading("dead_units", layer, (
        f"More than half of {layer}'s units are dead: {stats['dead']:.0%} gave 0 or less for every probe image, "
        "so they no longer learn; try a smaller learning rate, batch norm, or another activation."))
        for layer, stats in record["activations"].items() if stats["dead"] > DEAD_SHARE]


def _vanishing(record: dict[str, Any]) -> list[Reading]:
    layers = list(record["weights"])
    if len(layers) < 2:
        return []
    first, last = record["weights"][layers[0]]["grad_norm"], record["weights"][layers[-1]]["grad_norm"]
    if last <= 0 or first / last >= VANISHING:
        return []
    return [Reading("vanishing_gradients", layers[0], (
        f"Gradients vanish toward the input: {layers[0]}'s gradient norm ({first:.2g}) is "
        f"{last / max(first, 1e-30):,.0f}x smaller than {layers[-1]}'s ({last:.2g}), so the first layers barely "
        "learn; try ReLU instead of sigmoid or tanh, batch norm, or fewer blocks."))]


def _cost_flat(costs: Sequence[float]) -> list[Reading]:
    if len(costs) < FLAT_AFTER:
        return []
    first = sum(costs[:FLAT_WINDOW]) / FLAT_WINDOW
    last = sum(costs[-FLAT_WINDOW:]) / FLAT_WINDOW
    if last < first * (1 - FLAT_FALL):
        return []
    return [Reading("cost_flat", None, (
        f"The cost has not fallen after {len(costs)} batches (first {FLAT_WINDOW} average {first:.3f}, "
        f"last {FLAT_WINDOW} {last:.3f}); try another learning rate (Find a learning rate) or a simpler design."))]


class Watch:
    """Feeds on training events; `see` returns the readings that fire for the first time."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.costs: list[float] = []
        self.fired: set[tuple[str, str | None]] = set()
        self.current: list[Reading] = []  # what holds as of the last record

    def see(self, event: Event) -> list[Reading]:
        if isinstance(event, BatchEnd):
            self.costs.append(event.cost)
            return []
        if not isinstance(event, Telemetry):
            return []
        self.records.append(event.record)
        self.current = read(self.records, self.costs)
        new = [r for r in self.current if (r.kind, r.layer) not in self.fired]
        self.fired |= {(r.kind, r.layer) for r in new}
        return new

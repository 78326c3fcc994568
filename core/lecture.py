"""The lecture ("Lec 10-2: MNIST CNN") as data: its two networks, the numbers it printed, and
which cells of this project's plain PyTorch export show each of its steps.

    steps = lecture_code(LECTURES["cnn"].config)     # {"data": "...", "layers": "...", ...}
    rows = cost_comparison(LECTURES["cnn"], history)  # [(epoch, lecture cost or None, ours, difference)]

Only what the lecture printed is here: its notebook keeps the first epoch's cost of the basic CNN
and the two test accuracies (measured on raw 0-255 pixels, see core.pixel_scale).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.export.code import code_cells
from core.training.config import TrainConfig
from core.words import N_

RUN_NAME = "lecture"  # the name the exported code's header gives the run


@dataclass(frozen=True)
class Lecture:
    title: str  # what the page calls it
    config: TrainConfig  # the lecture's settings for this network
    costs: dict[int, float] = field(default_factory=dict)  # epoch -> the cost the lecture printed
    accuracy: float | None = None  # the test accuracy the lecture printed (raw 0-255 test pixels)


LECTURES = {
    "cnn": Lecture(N_("The lecture's CNN"), TrainConfig(), {1: 0.225650638}, 0.9866),
    "deep_cnn": Lecture(N_("For more deep: the deeper CNN"), TrainConfig(model="deep_cnn"), {}, 0.9913),
}

# step -> the export's cells that show it, in order (core.export.code.code_cells' titles)
STEP_CELLS = {
    "data": ("The dataset",),
    "layers": ("The network",),
    "model": ("Cost, optimizer and schedule",),
    "training": ("Parameters", "Training"),
    "testing": ("Testing",),
}


def lecture_code(config: TrainConfig) -> dict[str, str]:
    """Each step's code, cut from the exported script of `config` (the same text `python -m core.export` writes)."""
    cells = dict(code_cells(config, RUN_NAME))
    return {step: "\n\n".join(cells[title] for title in titles if title in cells) for step, titles in STEP_CELLS.items()}


def cost_comparison(lecture: Lecture, history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per epoch of either: the lecture's cost (None where it printed none), ours, ours minus the lecture's."""
    ours = {int(epoch["epoch"]): float(epoch["cost"]) for epoch in history}
    rows = []
    for epoch in sorted(set(ours) | set(lecture.costs)):
        theirs, mine = lecture.costs.get(epoch), ours.get(epoch)
        difference = None if theirs is None or mine is None else mine - theirs
        rows.append({"epoch": epoch, "lecture cost": theirs, "our cost": mine, "difference": difference})
    return rows

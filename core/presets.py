"""Named starting points for a run: the lecture's two networks, and a fast recipe."""
from __future__ import annotations

from core.config import TrainConfig

PRESETS: dict[str, TrainConfig] = {
    "lecture-cnn": TrainConfig(),
    "lecture-deep": TrainConfig(model="deep_cnn"),
    # A small batch-norm CNN under a one-cycle schedule: 99% in one epoch (numbers in bench/).
    "fast": TrainConfig(model="fast_cnn", lr=0.01, epochs=1, batch_size=128, schedule="onecycle"),
}
PRESET_TITLES = {
    "lecture-cnn": "Lecture: basic CNN",
    "lecture-deep": "Lecture: deeper CNN",
    "fast": "Fast: 99% in seconds",
}

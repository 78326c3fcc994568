"""Named starting points for a run: the lecture's two networks, a fast recipe, and both on Fashion-MNIST."""
from __future__ import annotations

from core.config import TrainConfig

PRESETS: dict[str, TrainConfig] = {
    "lecture-cnn": TrainConfig(),
    "lecture-deep": TrainConfig(model="deep_cnn"),
    # A small batch-norm CNN under a one-cycle schedule: 99% in one epoch (numbers in bench/).
    "fast": TrainConfig(model="fast_cnn", lr=0.01, epochs=1, batch_size=128, schedule="onecycle"),
    # the same lecture networks on clothing images: a harder test of what they learn
    "fashion-cnn": TrainConfig(dataset="fashion-mnist"),
    "fashion-deep": TrainConfig(dataset="fashion-mnist", model="deep_cnn"),
}
PRESET_TITLES = {
    "lecture-cnn": "Lecture: basic CNN",
    "lecture-deep": "Lecture: deeper CNN",
    "fast": "Fast: 99% in seconds",
    "fashion-cnn": "Fashion-MNIST: basic CNN",
    "fashion-deep": "Fashion-MNIST: deeper CNN",
}

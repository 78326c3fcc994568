"""Named starting points for a run: the lecture's two networks, a fast recipe, one for drawn digits,
the best, and the lecture's networks on Fashion-MNIST."""
from __future__ import annotations

from core.training.config import TrainConfig
from core.words import N_

PRESETS: dict[str, TrainConfig] = {
    "lecture-cnn": TrainConfig(),
    "lecture-deep": TrainConfig(model="deep_cnn"),
    # A small batch-norm CNN under a one-cycle schedule: 99% in one epoch (numbers in bench/).
    "fast": TrainConfig(model="fast_cnn", lr=0.01, epochs=1, batch_size=128, schedule="onecycle"),
    # the fast recipe on strongly augmented digits (slant, size, wobble, pen thickness), for drawings
    "robust": TrainConfig(model="fast_cnn", lr=0.01, epochs=3, batch_size=128, schedule="onecycle", augment="strong"),
    # the fast CNN at 2x width on lightly augmented digits: >= 99.6% within 10 minutes on 2 cores (README)
    "best": TrainConfig(model="wide_cnn", lr=0.01, epochs=12, batch_size=128, schedule="onecycle", augment="light"),
    # the same lecture networks on clothing images: a harder test of what they learn
    "fashion-cnn": TrainConfig(dataset="fashion-mnist"),
    "fashion-deep": TrainConfig(dataset="fashion-mnist", model="deep_cnn"),
}
PRESET_TITLES = {
    "lecture-cnn": N_("Lecture: basic CNN"),
    "lecture-deep": N_("Lecture: deeper CNN"),
    "fast": N_("Fast: 99% in seconds"),
    "robust": N_("Robust: for digits drawn by hand"),
    "best": N_("Best: 99.6% in minutes"),
    "fashion-cnn": N_("Fashion-MNIST: basic CNN"),
    "fashion-deep": N_("Fashion-MNIST: deeper CNN"),
}

"""Accuracy against the scale of the test pixels: why the lecture's test accuracy is wrong.

    curve = accuracy_by_scale(model, data.test, SCALES)   # [(1, 0.988), (2, ...), ..., (255, 0.986)]

The networks train on pixels in [0, 1] (ToTensor's scale). The lecture tests on raw 0-255 pixels,
which is the same images multiplied by 255. Scale x1 is the correct test; x255 is the lecture's.
"""
from __future__ import annotations

from collections.abc import Iterable

from torch import nn

from core.data.loading import Split
from core.evaluate import predict

SCALES = (1, 2, 4, 8, 16, 32, 64, 128, 255)  # doubling steps from the correct scale to the lecture's
LECTURE_SCALE = 255
CURVE_IMAGES = 1_000  # the curve's images (the first of the test set): 9 scales x 10,000 took 20 s on 2 busy cores


def first(split: Split, count: int = CURVE_IMAGES) -> Split:
    """The first `count` images of a split."""
    return Split(images=split.images[:count], labels=split.labels[:count])


def scaled(split: Split, scale: float) -> Split:
    """The split with every pixel multiplied by `scale`: x255 gives exactly the raw 0-255 pixels."""
    raw = (split.images * 255).round()  # (N,1,28,28) the file's integers, as the lecture reads them
    return Split(images=raw * (scale / LECTURE_SCALE), labels=split.labels)


def accuracy_at(model: nn.Module, split: Split, scale: float) -> float:
    """Test accuracy with the pixels multiplied by `scale` (1: measured correctly; 255: the lecture's way)."""
    return predict(model, scaled(split, scale)).accuracy


def accuracy_by_scale(model: nn.Module, split: Split, scales: Iterable[float] = SCALES) -> list[tuple[float, float]]:
    """(scale, accuracy) for each scale, in the order given."""
    return [(scale, accuracy_at(model, split, scale)) for scale in scales]

"""The two waits a learner feels outside training: scoring the test set, and one drawing's prediction.

Both go through the same functions the Mistakes and Draw pages call
(core.evaluate.predict, core.data.preprocess.canvas_to_tensor, core.evaluate.predict_digit),
on a model placed the way core.runs.checkpoints.load_model places it.
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import torch

from core.data.loading import Split
from core.evaluate import predict, predict_digit
from core.training.models import build_model, place
from core.data.preprocess import canvas_to_tensor


def placed_model(name: str) -> torch.nn.Module:
    """A model in eval mode and the CPU's fast layout, as a loaded checkpoint is."""
    return place(build_model(name), "cpu").eval()


def drawn_seven(size: int = 280, width: int = 18) -> np.ndarray:
    """(size,size,4) RGBA canvas: a white '7' on black, like the Draw page's canvas returns."""
    canvas = np.zeros((size, size, 4), dtype=np.uint8)
    canvas[..., 3] = 255
    top, left, right = size // 5, size // 4, 3 * size // 4
    canvas[top : top + width, left:right, :3] = 255  # the bar
    for row in range(top, 4 * size // 5):  # the diagonal, down to the left
        column = right - (row - top) * (right - left) // (3 * size // 5)
        canvas[row, max(column - width, 0) : column, :3] = 255
    return canvas


def scoring_seconds(name: str, test: Split, repeats: int) -> float:
    """Median seconds to predict the whole test split (probabilities, losses) with `name`."""
    model = placed_model(name)
    predict(model, Split(test.images[:250], test.labels[:250]))  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        predict(model, test)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def prediction_ms(model: torch.nn.Module, rgba: np.ndarray, repeats: int) -> float:
    """Median milliseconds from canvas pixels to the ten probabilities, after one warm-up."""
    predict_digit(model, canvas_to_tensor(rgba))
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        predict_digit(model, canvas_to_tensor(rgba))
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def drawing_milliseconds(name: str, repeats: int) -> float:
    """prediction_ms for a freshly built `name` and a drawn 7."""
    return prediction_ms(placed_model(name), drawn_seven(), repeats)

"""Draw on the Draw page's canvas with the mouse, and work out, without the server, what it should show.

The canvas (ui/draw/sketchpad.js, a Components v2 widget) lives in an open shadow root, which
Playwright's CSS locators pierce: `SURFACE` takes the mouse and holds the drawing the widget
sends to the server; its Undo and Clear buttons sit below it.
"""
from __future__ import annotations

import base64
import io
import math
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from playwright.sync_api import Page
from torch import nn

from core.runs.checkpoints import load_model
from core.evaluate import predict_digit
from core.data.preprocess import canvas_to_tensor

Point = tuple[float, float]
SIDE = 280
SURFACE = "canvas.sketchpad-surface"


def canvas_origin(page: Page, timeout: float = 90_000, surface: str = SURFACE) -> Point:
    """Top-left corner of the drawing surface, in page pixels."""
    found = page.locator(surface)
    found.wait_for(timeout=timeout)
    box = found.bounding_box()
    return box["x"], box["y"]


def line_through_centre(angle_degrees: float, length: float = 200, steps: int = 8) -> list[Point]:
    """Canvas points along a straight line through the centre at `angle_degrees`."""
    dx, dy = math.cos(math.radians(angle_degrees)), math.sin(math.radians(angle_degrees))
    return [(SIDE / 2 + dx * length * (t / steps - 0.5), SIDE / 2 + dy * length * (t / steps - 0.5)) for t in range(steps + 1)]


def seven() -> list[Point]:
    """A stroke shaped like a 7: across the top, then down to the left."""
    return [(70, 60), (130, 60), (210, 60), (180, 130), (150, 200), (130, 240)]


def stroke(page: Page, points: list[Point]) -> None:
    """Press at the first point, drag through the rest, release: one stroke, as a hand draws it."""
    left, top = canvas_origin(page)
    page.mouse.move(left + points[0][0], top + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(left + x, top + y, steps=3)
    page.mouse.up()


def strokes_together(pages: list[Page], strokes: list[list[Point]]) -> None:
    """One stroke per page, drawn step by step in all pages at once, so the servers' reruns overlap."""
    origins = [canvas_origin(page) for page in pages]
    for page, (left, top), points in zip(pages, origins, strokes):
        page.mouse.move(left + points[0][0], top + points[0][1])
        page.mouse.down()
    for step in range(1, max(map(len, strokes))):
        for page, (left, top), points in zip(pages, origins, strokes):
            x, y = points[min(step, len(points) - 1)]
            page.mouse.move(left + x, top + y)
    for page in pages:
        page.mouse.up()


def canvas_rgba(page: Page) -> np.ndarray:
    """(280,280,4) uint8: the drawing as the canvas holds it, i.e. what the component sends to the server."""
    data_url = page.locator(SURFACE).evaluate("canvas => canvas.toDataURL('image/png')")
    png = base64.b64decode(data_url.split(",", 1)[1])
    return np.array(Image.open(io.BytesIO(png)).convert("RGBA"))


def run_model(run_dir: Path) -> nn.Module:
    """The run's model, loaded here in the test process, apart from the server's."""
    return load_model(run_dir)[0]


def expected_probabilities(rgba: np.ndarray, model: nn.Module) -> torch.Tensor:
    """(10,) what core predicts for this drawing, computed here rather than by the server."""
    return predict_digit(model, canvas_to_tensor(rgba))


def shown_probabilities(page: Page) -> list[float] | None:
    """The ten bars of the page's probability chart, at full precision; None before there are any."""
    bars = page.locator(".st-key-draw_probabilities [data-probabilities]")
    if bars.count() == 0:
        return None
    return [float(value) for value in bars.first.get_attribute("data-probabilities").split(",")]


def shown_prediction(page: Page) -> str | None:
    metric = page.get_by_test_id("stMetricValue")
    return metric.first.inner_text() if metric.count() else None

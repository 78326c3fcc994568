"""Digits drawn as pen strokes, made from MNIST *test* digits: a generalisation benchmark.

    images, labels = stroke_digits(test_split, count=2000, seed=0)   # (N,1,28,28), (N,)

Each test digit is thinned to its centre line (scikit-image's skeletonize, on the digit
upsampled 4x so the line is smooth), then redrawn as a stroke of a random pen width,
slant, size, width, position and slow waviness on a 280x280 canvas exactly like the Draw page's: white ink on
opaque black RGBA. The canvas then goes through core.data.preprocess.canvas_to_tensor, the
Draw page's own preprocessing. What is left of MNIST is only the path of the pen: its
thickness profile, scanner blur and size normalisation are gone, as with a mouse.

This is a server-side stand-in for replaying strokes in the browser: same canvas size,
same colours, same preprocessing, but the canvas is drawn by Pillow, not by the
component's JavaScript (whose line joins and anti-aliasing differ a little).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from core.data.loading import Split
from core.data.preprocess import canvas_to_tensor

SIDE = 280  # the Draw page's canvas (ui/draw/canvas.py)
UPSAMPLE = 4  # skeletons of a 112x112 digit follow the pen far better than of the 28x28 one
INK = 0.35  # of the upsampled grey level: what counts as pen (MNIST's strokes fade out at their edges)
# 8-neighbour steps, each once: right, down, down-right, down-left
STEPS = ((0, 1), (1, 0), (1, 1), (1, -1))


@dataclass(frozen=True)
class Pen:
    """How one digit is redrawn."""

    width: float  # canvas pixels; the Draw page's slider runs 8..40, default 20
    slant: float  # degrees; positive leans the top to the right
    height: float  # canvas pixels the digit spans from top to bottom
    aspect: float  # width stretch: < 1 narrow, > 1 wide
    dx: float  # -1..1: where the digit sits across the room left on the canvas
    dy: float
    wobble: float  # canvas pixels: amplitude of a slow waviness along the path, as a mouse hand makes
    waves: tuple[float, ...]  # (fx, fy, phase) for x, then for y: the waviness's frequencies and phases


def centre_line(image: np.ndarray) -> np.ndarray:
    """(28,28) uint8 digit -> (112,112) bool one-pixel-wide centre line."""
    from skimage.morphology import skeletonize  # imported here: scikit-image is only needed to build the set

    grey = torch.from_numpy(image).float()[None, None] / 255
    big = F.interpolate(grey, scale_factor=UPSAMPLE, mode="bilinear", align_corners=False)[0, 0].numpy()
    return skeletonize(big > INK)


def segments(skeleton: np.ndarray) -> np.ndarray:
    """(M,2,2) pairs of touching skeleton pixels as ((x,y),(x,y)): the pen's path, in pieces."""
    padded = np.pad(skeleton, 1)  # so a neighbour beyond the edge reads False
    rows, cols = np.nonzero(skeleton)
    pairs = []
    for dr, dc in STEPS:
        touching = padded[rows + 1 + dr, cols + 1 + dc]
        r, c = rows[touching], cols[touching]
        pairs.append(np.stack([np.stack([c, r], 1), np.stack([c + dc, r + dr], 1)], 1))
    return np.concatenate(pairs).astype(np.float64)


def place(points: np.ndarray, pen: Pen) -> np.ndarray:
    """(...,2) skeleton (x,y) -> canvas (x,y): slanted about the centre, scaled to pen.height, positioned."""
    flat = points.reshape(-1, 2)
    low, high = flat.min(0), flat.max(0)
    centre = (low + high) / 2
    x, y = flat[:, 0] - centre[0], flat[:, 1] - centre[1]
    x = (x - np.tan(np.radians(pen.slant)) * y) * pen.aspect  # y down, so the top (y < 0) moves right
    size = max(high[1] - low[1], 1.0)
    scale = pen.height / size
    width = (x.max() - x.min()) * scale if len(x) else 0.0
    scale *= min(1.0, (SIDE - 2 * pen.width) / max(width, 1.0))  # a wide digit shrinks to fit
    x, y = x * scale, y * scale
    margin = pen.width / 2 + 2
    room_x = max(0.0, SIDE / 2 - margin - np.abs(x).max(initial=0))
    room_y = max(0.0, SIDE / 2 - margin - np.abs(y).max(initial=0))
    x, y = x + _wave(x, y, pen.waves[:3], pen.wobble), y + _wave(x, y, pen.waves[3:], pen.wobble)
    placed = np.stack([x + SIDE / 2 + pen.dx * room_x, y + SIDE / 2 + pen.dy * room_y], 1)
    return placed.reshape(points.shape)


def _wave(x: np.ndarray, y: np.ndarray, wave: tuple[float, ...], amplitude: float) -> np.ndarray:
    """A slow sinusoidal displacement across the canvas: 0.5-2 periods over its width."""
    fx, fy, phase = wave
    return amplitude * np.sin(2 * np.pi * (fx * x + fy * y) / SIDE + phase)


def render(pieces: np.ndarray, pen: Pen) -> np.ndarray:
    """(M,2,2) skeleton pieces -> (280,280,4) uint8 RGBA: round-capped white strokes on opaque black."""
    canvas = Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 255))
    draw = ImageDraw.Draw(canvas)
    radius = pen.width / 2
    for (x0, y0), (x1, y1) in place(pieces, pen):
        draw.line((x0, y0, x1, y1), fill=(255, 255, 255, 255), width=round(pen.width))
        draw.ellipse((x1 - radius, y1 - radius, x1 + radius, y1 + radius), fill=(255, 255, 255, 255))
    return np.asarray(canvas)


def random_pen(rng: np.random.Generator) -> Pen:
    """Pens across what people use on the Draw page: thin to thick, upright to slanted, small to large."""
    return Pen(
        width=float(rng.uniform(8, 40)),
        slant=float(rng.uniform(-25, 25)),
        height=float(rng.uniform(90, 250)),
        aspect=float(rng.uniform(0.75, 1.3)),
        dx=float(rng.uniform(-1, 1)),
        dy=float(rng.uniform(-1, 1)),
        wobble=float(rng.uniform(0, 5)),
        waves=tuple(float(v) for v in (*rng.uniform(0.5, 2, 2), rng.uniform(0, 2 * np.pi), *rng.uniform(0.5, 2, 2), rng.uniform(0, 2 * np.pi))),
    )


def stroke_digits(test: Split, count: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The first `count` test digits redrawn as strokes and preprocessed: (N,1,28,28) float32, (N,) labels.

    A digit whose centre line is empty or a single point (none in MNIST's test set at this
    threshold, but possible in others) is skipped rather than drawn as a dot."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    pixels = (test.images[:count, 0] * 255).round().to(torch.uint8).numpy()
    for image, label in zip(pixels, test.labels[:count].tolist()):
        pieces = segments(centre_line(image))
        pen = random_pen(rng)
        if len(pieces) < 2:
            continue
        images.append(canvas_to_tensor(render(pieces, pen)))
        labels.append(label)
    if not images:
        raise ValueError("none of the digits has a centre line to draw.")
    return torch.cat(images), torch.tensor(labels, dtype=torch.int64)

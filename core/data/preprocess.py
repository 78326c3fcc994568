"""A canvas drawing -> the 28x28 tensor the model sees, prepared the way MNIST's digits were.

MNIST digits were cropped, fitted into a 20x20 box keeping their aspect ratio
(anti-aliased), then placed in a 28x28 frame with their centre of mass at the
centre: white ink on black. The drawing gets the same steps:

    problem = drawing_problem(rgba)   # None, or a sentence asking for a digit
    image = canvas_to_tensor(rgba)    # (1,1,28,28) float32 in [0, 1]
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from core.data.loading import scale
from core.words import N_

FRAME = 28  # MNIST's frame
BOX = 20  # MNIST's digits fit a 20x20 box inside the frame
CENTRE = 14.0  # where MNIST's centres of mass sit (mean 13.99, 14.01 on the test set)
INK_THRESHOLD = 0.1  # fainter pixels (anti-aliasing fringes) do not count as ink
FULL_FRACTION = 0.5  # ink over more than half of the canvas is a filled area, not a digit


class BlankCanvasError(ValueError):
    """The drawing has no ink at all, so there is nothing to crop."""


def ink(rgba: np.ndarray) -> np.ndarray:
    """(H,W) ink in [0,1]: brightness × alpha, right for a transparent and for an opaque black background."""
    pixels = np.asarray(rgba)
    if pixels.ndim == 2:  # already grey
        return pixels.astype(np.float32) / 255
    if pixels.ndim != 3 or pixels.shape[2] not in (3, 4):
        raise ValueError(f"expected an (H,W,4) RGBA or (H,W,3) RGB image, got shape {pixels.shape}")
    brightness = pixels[..., :3].astype(np.float32).mean(axis=2) / 255
    if pixels.shape[2] == 3:
        return brightness
    return brightness * (pixels[..., 3].astype(np.float32) / 255)


def ink_fraction(rgba: np.ndarray) -> float:
    """Share of the canvas covered by ink, 0..1."""
    return float((ink(rgba) > INK_THRESHOLD).mean())


def drawing_problem(rgba: np.ndarray | None) -> str | None:
    """A sentence asking for a digit when the canvas is empty or almost all ink; None when it looks drawable."""
    if rgba is None:
        return N_("Draw a digit on the canvas to see what the model thinks it is.")
    covered = ink_fraction(rgba)
    if covered == 0:
        return N_("The canvas is empty: draw a digit to see what the model thinks it is.")
    if covered > FULL_FRACTION:
        return N_("The canvas is mostly ink, which is not a digit: clear it and draw one digit.")
    return None


def _fit_box(crop: torch.Tensor) -> torch.Tensor:
    """(h,w) ink -> (h',w') with max(h',w') = BOX, same aspect ratio, anti-aliased."""
    height, width = crop.shape
    factor = BOX / max(height, width)
    size = (max(1, round(height * factor)), max(1, round(width * factor)))
    resized = F.interpolate(crop[None, None], size=size, mode="bilinear", antialias=True, align_corners=False)
    return resized[0, 0].clamp(0, 1)


def _placement(digit: torch.Tensor) -> tuple[int, int]:
    """(top, left) that puts the centre of mass nearest CENTRE while the whole box stays in the frame."""
    height, width = digit.shape
    mass = digit.sum()
    rows = (digit.sum(1) * torch.arange(height)).sum() / mass
    cols = (digit.sum(0) * torch.arange(width)).sum() / mass
    top = min(max(round(CENTRE - rows.item()), 0), FRAME - height)
    left = min(max(round(CENTRE - cols.item()), 0), FRAME - width)
    return top, left


def canvas_to_tensor(rgba: np.ndarray) -> torch.Tensor:
    """(H,W,4) canvas pixels -> (1,1,28,28) float32 scaled exactly like the training images."""
    drawing = torch.from_numpy(ink(rgba))
    rows = (drawing > INK_THRESHOLD).any(1).nonzero().flatten()
    cols = (drawing > INK_THRESHOLD).any(0).nonzero().flatten()
    if len(rows) == 0:
        raise BlankCanvasError("The canvas is empty: draw a digit first.")
    crop = drawing[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    digit = _fit_box(crop)
    top, left = _placement(digit)
    frame = torch.zeros(FRAME, FRAME)
    frame[top : top + digit.shape[0], left : left + digit.shape[1]] = digit
    # through uint8 and core.data.loading.scale, so the values lie on MNIST's own 0..255 grid
    pixels = (frame * 255).round().to(torch.uint8)
    return scale(pixels)[None, None]

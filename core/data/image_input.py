"""One image for a model to look at: a test image by index, or a PNG file, as a (1,1,28,28) tensor.

A 28x28 PNG is taken as it is (MNIST's own format); any other size is prepared like a
drawing (core.data.preprocess: cropped, fitted to 20x20, centred by mass). Dark ink on a light
background is inverted first, since MNIST is white ink on black.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from core.data.loading import Split, scale
from core.data.preprocess import BlankCanvasError, canvas_to_tensor

FRAME = 28


class ImageError(ValueError):
    """The image cannot be used; the message says why and what to do."""


def test_image(split: Split, index: int) -> tuple[torch.Tensor, int]:
    """((1,1,28,28) image, label) of test image `index`."""
    if not 0 <= index < len(split):
        raise ImageError(f"test image {index} does not exist: choose an index from 0 to {len(split) - 1}.")
    return split.images[index : index + 1], int(split.labels[index])


def pixels_to_image(grey: np.ndarray) -> torch.Tensor:
    """(28,28) uint8 pixels, white ink on black, -> (1,1,28,28) scaled like the training images."""
    return scale(torch.from_numpy(np.array(grey, dtype=np.uint8)))[None, None]  # a copy: PIL arrays are read-only


def image_from_png(path: Path) -> torch.Tensor:
    """A PNG file as the (1,1,28,28) image the model sees; raises ImageError with a sentence."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as opened:
            kind = opened.format
            grey = np.asarray(_flatten(opened))
    except (FileNotFoundError, IsADirectoryError):
        raise ImageError(f"{path} does not exist or is not a file.") from None
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise ImageError(f"{path} is not a readable PNG image.") from None
    if kind != "PNG":
        raise ImageError(f"{path} is a {kind} file; give a PNG image.")
    if _median_border(grey) > 127:  # a light background: dark ink on paper
        grey = 255 - grey
    if grey.shape == (FRAME, FRAME):
        return pixels_to_image(grey)
    try:
        return canvas_to_tensor(grey)
    except BlankCanvasError:
        raise ImageError(f"{path} is blank: there is no digit in it.") from None


def _flatten(image) -> "Image.Image":
    """Greyscale, with transparent pixels counted as background (black)."""
    from PIL import Image

    rgba = image.convert("RGBA")
    black = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
    return Image.alpha_composite(black, rgba).convert("L")


def _median_border(grey: np.ndarray) -> float:
    edges = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    return float(np.median(edges))

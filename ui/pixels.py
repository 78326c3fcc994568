"""Show a 28x28 image large and crisp: nearest-neighbour upscaling, so each pixel stays a square.

Enlarge to at least the size the page shows it at, and pass output_format="PNG" to st.image:
the browser smooths an image it must stretch, and JPEG (Streamlit's default for arrays) rings at hard edges.
"""
from __future__ import annotations

import numpy as np
import torch


def enlarge(image: torch.Tensor | np.ndarray, factor: int = 4) -> np.ndarray:
    """(28,28) or (1,1,28,28) values in [0,1] -> (28*factor, 28*factor) uint8 for st.image."""
    pixels = np.asarray(image, dtype=np.float32).squeeze()
    grey = (pixels.clip(0, 1) * 255).round().astype(np.uint8)
    return grey.repeat(factor, axis=0).repeat(factor, axis=1)

"""The drawing canvas, wrapped in one small function so AppTest (which cannot draw) can patch it.

Tests replace it before running the page:
    monkeypatch.setattr(ui.canvas, "draw_canvas", lambda stroke_width, key: rgba)
which works because the Draw page calls `canvas.draw_canvas(...)` through the module.
"""
from __future__ import annotations

import numpy as np

SIDE = 280  # 10x MNIST's 28, so one model pixel is 10x10 canvas pixels


def draw_canvas(stroke_width: int, key: str) -> np.ndarray | None:
    """(H,W,4) RGBA pixels of a white-on-black drawing, or None before the first stroke."""
    # imported here: the component registers its assets with a running server, so importing
    # it at module level fails wherever there is none (the tests that patch this function)
    from streamlit_drawable_canvas import st_canvas

    result = st_canvas(
        stroke_width=stroke_width,
        stroke_color="#FFFFFF",
        background_color="#000000",  # opaque: ink is in RGB, alpha is 255 everywhere
        width=SIDE,
        height=SIDE,
        drawing_mode="freedraw",
        return_image_data=True,
        key=key,  # keyed, so the drawing survives reruns
    )
    return result.image_data

"""The drawing canvas, wrapped in one small function so AppTest (which cannot draw) can patch it.

Tests replace it before running the page:
    monkeypatch.setattr(ui.draw.canvas, "draw_canvas", lambda stroke_width, key: rgba)
which works because the Draw page calls `canvas.draw_canvas(...)` through the module.

It is our own Components v2 widget (ui/draw/sketchpad.js), not streamlit-drawable-canvas 0.13, because
that component (measured, issue 12) lost every stroke that began in the top ~30 px of the
canvas's right half to its toolbar, which sits over the canvas even while invisible and can be
hidden only by disabling drawing; and it waits a fixed 200 ms after each mouse-up before sending.
Ours keeps Undo and Clear below the canvas and sends the PNG as soon as the mouse is released.
"""
from __future__ import annotations

import base64
import functools
import io
from pathlib import Path

import numpy as np

from ui.i18n import _

SIDE = 280  # 10x MNIST's 28, so one model pixel is 10x10 canvas pixels
HERE = Path(__file__).resolve().parent


@functools.cache
def _sketchpad():
    # registered on first use: registration needs Streamlit's runtime, absent where tests patch this
    import streamlit as st

    return st.components.v2.component(
        "mnist_studio.sketchpad",
        js=(HERE / "sketchpad.js").read_text(),
        css=(HERE / "sketchpad.css").read_text(),
    )


def decode(data_url: str | None) -> np.ndarray | None:
    """'data:image/png;base64,...' -> (H,W,4) uint8 RGBA; None stays None."""
    if data_url is None:
        return None
    from PIL import Image

    _header, encoded = data_url.split(";base64,", 1)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(encoded))).convert("RGBA"))


def draw_canvas(stroke_width: int, key: str) -> np.ndarray | None:
    """(H,W,4) RGBA pixels of a white-on-black drawing, or None before the first stroke (or after Clear)."""
    result = _sketchpad()(
        data={"side": SIDE, "strokeWidth": stroke_width, "labels": {"undo": _("Undo"), "clear": _("Clear")}},
        key=key,  # keyed, so the drawing survives reruns
        default={"drawing": None},
        on_drawing_change=lambda: None,
        width="content",
        height="content",
    )
    return decode(result.get("drawing"))

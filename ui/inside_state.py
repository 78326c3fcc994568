"""Which image the Inside page looks at, and how other pages send one there.

Links carry the image in the URL (query parameters), so a link opened in a new tab works too:
    ?run=NAME&test=N              a test image by index (Mistakes' "Look inside")
    ?run=NAME&drawing=BASE64      a drawing's 28x28 pixels (Draw's "Look inside"): the 784 uint8
                                  pixels, row by row, white ink on black, URL-safe base64
On arrival the page copies them into session state, the page's own keys:
    inside_source   "Test image" | "Drawing"       inside_index    the test image's index
    inside_drawing  the BASE64 text above          inside_arrived  the URL last applied
"""
from __future__ import annotations

import base64
import binascii

import numpy as np
import streamlit as st
import torch

from core.image_input import pixels_to_image
from ui import resources

TEST, DRAWING = "Test image", "Drawing"
SIDE = 28


def encode_drawing(image: torch.Tensor) -> str:
    """(1,1,28,28) in [0,1] -> the `drawing` query parameter."""
    pixels = (image.reshape(SIDE, SIDE).clamp(0, 1) * 255).round().to(torch.uint8).numpy()
    return base64.urlsafe_b64encode(pixels.tobytes()).decode()


def decode_drawing(text: str) -> torch.Tensor | None:
    """The `drawing` query parameter -> (1,1,28,28), or None when it is not 784 pixels."""
    try:
        raw = base64.urlsafe_b64decode(text.encode())
    except (binascii.Error, ValueError):
        return None
    if len(raw) != SIDE * SIDE:
        return None
    return pixels_to_image(np.frombuffer(raw, np.uint8).reshape(SIDE, SIDE))


def links_to_test_image(run: str, index: int) -> dict[str, str]:
    return {"run": run, "test": str(index)}


def links_to_drawing(run: str, image: torch.Tensor) -> dict[str, str]:
    return {"run": run, "drawing": encode_drawing(image)}


def arrive() -> None:
    """Apply the URL's run and image once per distinct URL, so later choices on the page stick."""
    params = st.query_params
    arrival = (params.get("run"), params.get("test"), params.get("drawing"))
    if st.session_state.get("inside_arrived") == arrival:
        return
    st.session_state["inside_arrived"] = arrival
    run, test, drawing = arrival
    if run and (resources.runs_root() / run).is_dir():
        resources.choose_run(run)  # the run picker starts from the chosen run
    if test and test.isdigit():
        st.session_state["inside_index"] = int(test)
        st.session_state["inside_source"] = TEST
    if drawing and decode_drawing(drawing) is not None:
        st.session_state["inside_drawing"] = drawing
        st.session_state["inside_source"] = DRAWING


def drawing() -> torch.Tensor | None:
    """The drawing sent from the Draw page, if any."""
    text = st.session_state.get("inside_drawing")
    return decode_drawing(text) if text else None

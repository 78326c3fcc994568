"""Which image the Inside page looks at, and how other pages send one there.

Links carry the image in the URL (query parameters), so a link opened in a new tab works too:
    ?run=NAME&test=N              a test image by index (Mistakes' "Look inside")
    ?run=NAME&drawing=BASE64      a drawing's 28x28 pixels (Draw's "Look inside"): the 784 uint8
                                  pixels, row by row, white ink on black, URL-safe base64
The page copies a URL that differs from what it shows into session state, its own keys:
    inside_source   "Test image" | "Drawing"       inside_index    the test image's index
    inside_drawing  the BASE64 text above         inside_url      the URL the page last wrote
and writes its current choice back into the URL, so a reload or a copied URL shows the same image.
"""
from __future__ import annotations

import base64
import binascii

import numpy as np
import streamlit as st
import torch

from core.data.image_input import pixels_to_image
from ui import language, resources
from ui.i18n import N_

TEST, DRAWING = N_("Test image"), N_("Drawing")  # kept in session state and compared: show them with _()
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
    """Apply the URL when it came from outside (a link from Mistakes or Draw, a reload, a shared URL).

    The page writes its own choice into the URL (remember) and notes it in `inside_url`; a URL
    that differs from that note, or a visit whose widgets are gone, came from outside.
    """
    params, state = page_params(), st.session_state
    if params == state.get("inside_url") and "inside_source" in state:
        return
    run, test, drawn = params.get("run"), params.get("test"), params.get("drawing")
    if run and (resources.runs_root() / run).is_dir():
        resources.choose_run(run)  # the run picker starts from the chosen run
        state.pop("inside_run", None)
    if test and test.isdigit():
        state["inside_index"], state["inside_source"] = int(test), TEST
    if drawn and decode_drawing(drawn) is not None:
        state["inside_drawing"], state["inside_source"] = drawn, DRAWING


def remember(run: str, source: str, index: int | None) -> None:
    """Write what the page shows into its URL, so a reload or a copied URL shows the same."""
    wanted = {"run": run, "test": str(index)} if source == TEST else {"run": run, "drawing": st.session_state["inside_drawing"]}
    st.session_state["inside_url"] = wanted
    if page_params() != wanted:
        st.query_params.from_dict({**wanted, **language.url_params()})


def page_params() -> dict[str, str]:
    """The URL's parameters that say what the page shows (the language is the sidebar's, not the page's)."""
    return {name: value for name, value in st.query_params.to_dict().items() if name != language.PARAM}


def drawing() -> torch.Tensor | None:
    """The drawing sent from the Draw page, if any."""
    text = st.session_state.get("inside_drawing")
    return decode_drawing(text) if text else None

"""The Draw page's live part, in one fragment: canvas, what the model sees, its answer, and saving the drawing.

A stroke (or Undo, Clear, Save) reruns only this fragment, not the page, so the answer
follows the mouse-up quickly. The canvas is remounted under a new key to clear it after a save.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st
import torch
from torch import nn

from core.data import handwriting
from core.evaluate import predict_digit
from core.data.preprocess import canvas_to_tensor, drawing_problem
from ui import handwriting_scores, inside_state, page_links
from ui.draw import canvas
from ui.i18n import _, ngettext
from ui.pixels import enlarge
from ui.probability_bars import probability_bars_html

VERSION, MESSAGE = "draw_canvas_version", "draw_save_message"


def save_drawing(rgba: np.ndarray | None, image: torch.Tensor | None) -> None:
    """Save button callback: store the drawing under the chosen label, then clear the canvas for the next one."""
    state = st.session_state
    try:
        png = None if rgba is None else handwriting.png_bytes(rgba)
        saved = handwriting.save(handwriting.set_dir(), state.get("draw_label"), image, png)
    except handwriting.HandwritingError as error:
        state[MESSAGE] = ("error", str(error))
        return
    count = len(handwriting.stamp(handwriting.set_dir()))
    saved_text = ngettext("Saved as a {label}. Your set now has {count} drawing.",
                          "Saved as a {label}. Your set now has {count} drawings.", count)
    state[MESSAGE] = ("success", saved_text.format(label=saved.label, count=count))
    state[VERSION] += 1


def save_form(rgba: np.ndarray | None, image: torch.Tensor | None) -> None:
    st.selectbox(_("This drawing is a"), list(range(10)), index=None, placeholder=_("which digit?"), key="draw_label")
    st.button(_("Save to my handwriting"), key="draw_save", on_click=save_drawing, args=(rgba, image),
              icon=":material/save:")
    kind, text = st.session_state.pop(MESSAGE, (None, None))
    if kind == "error":
        st.error(text)
    elif kind == "success":
        st.success(text)


def set_score(run_dir: Path) -> None:
    """One line: how this run reads the user's own set, with a link to the whole picture."""
    predictions = handwriting_scores.predictions(run_dir, handwriting.set_dir())
    if predictions is None:
        st.caption(_("Save a few labelled drawings to build your own handwriting set; every run is scored on it."))
        return
    right = int((predictions.predicted == predictions.targets).sum())
    st.caption(_("On your handwriting set this run reads **{right} of {total}** ({accuracy:.0%}) correctly.")
               .format(right=right, total=len(predictions.targets), accuracy=predictions.accuracy))
    page_links.link(page_links.HANDWRITING)


@st.fragment
def drawing_area(run_dir: Path, model: nn.Module) -> None:
    st.session_state.setdefault(VERSION, 0)
    draw_column, seen_column, answer_column = st.columns([3, 2, 3])
    with draw_column:
        stroke_width = st.slider(_("Stroke width"), 8, 40, 20, key="draw_stroke_width")
        rgba = canvas.draw_canvas(stroke_width, key=f"draw_canvas_{st.session_state[VERSION]}")
        st.caption(_("White ink on black, like MNIST. Draw one digit, large, in the middle."))
    problem = drawing_problem(rgba)
    image = None
    st.session_state["drawing_28x28"] = None  # the Map page places the current drawing on its map
    if problem is not None:
        answer_column.info(_(problem))
    else:
        image = canvas_to_tensor(rgba)  # (1,1,28,28), what the model sees
        st.session_state["drawing_28x28"] = image[0, 0].numpy()
        probabilities = predict_digit(model, image)  # (10,)
        seen_column.image(enlarge(image, 10), output_format="PNG",
                          caption=_("What the model sees: 28x28, cropped, fitted to 20x20, centred by mass"))
        with answer_column:
            st.metric(_("Prediction"), int(probabilities.argmax()))
            st.caption(_("{confidence:.0%} sure").format(confidence=float(probabilities.max())))
            with st.container(key="draw_probabilities"):
                st.html(probability_bars_html(probabilities))
            page_links.link(page_links.INSIDE, _("Look inside"), inside_state.links_to_drawing(run_dir.name, image))
            page_links.link(page_links.MAP, _("See where it lands on the map"))
    with draw_column:
        save_form(rgba, image)
        set_score(run_dir)

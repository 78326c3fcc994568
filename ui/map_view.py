"""The Map page's sections: the chosen layout (PCA now, t-SNE from its background job), the selection's
thumbnails, and where the Draw page's drawing lands with its nearest training images.

Session state it reads and writes:
    drawing_28x28       the Draw page's current drawing, (28,28) float32 in [0,1], or None (set by pages/4_Draw.py)
    inside_test_index   the test image to open on the Inside page (set here when a thumbnail is clicked)
    map_chosen          ("test", index) or ("drawing", None): the image the perturbation explorer works on
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import streamlit as st
import torch

from core.data import Mnist
from core.neighbours import nearest
from ui import map_data
from ui.pixels import enlarge

GRID_COLUMNS = 8
MAX_THUMBNAILS = 48
NEIGHBOURS = 8
INSIDE_PAGE = "pages/5_Inside.py"
PROJECT = Path(__file__).resolve().parent.parent


def tsne_progress(run_dir: str, epoch: int, data: Mnist) -> None:
    """Ask for the map (a no-op when asked already) and show its job's progress until it is done."""
    jobs = map_data.map_jobs()
    job = jobs.request(Path(run_dir), epoch, data.test)
    if job.status in ("failed", "stopped"):
        st.error(job.message)
        if st.button("Try again", key="map_retry"):
            jobs.forget(Path(run_dir), epoch)
            st.rerun()
        return

    @st.fragment(run_every=1.0)
    def watch() -> None:
        current = jobs.status(Path(run_dir), epoch)
        if not current.active:
            st.rerun()  # the whole page: the map is ready (or the job ended with a message)
        st.progress(min(1.0, current.progress), text=f"Computing the t-SNE map in the background: {current.message}")
        st.caption("It is computed once and saved beside the run. Other pages work meanwhile; "
                   "the PCA map is shown until it is ready.")

    watch()


def thumbnails(images: torch.Tensor, indices: Sequence[int], targets: torch.Tensor, predicted: torch.Tensor,
               class_names: Sequence[str], key: str) -> None:
    """A grid of the test images at `indices`, with true and predicted labels; a button opens each."""
    for slot, index in enumerate(indices[:MAX_THUMBNAILS]):
        if slot % GRID_COLUMNS == 0:
            columns = st.columns(GRID_COLUMNS)
        true, guess = class_names[int(targets[index])], class_names[int(predicted[index])]
        with columns[slot % GRID_COLUMNS]:
            st.image(enlarge(images[index], 3), output_format="PNG", caption=f"true {true} · predicted {guess}")
            st.button("Open", key=f"{key}_{index}", on_click=_open, args=(index,), help=f"Test image {index}")
    if len(indices) > MAX_THUMBNAILS:
        st.caption(f"Showing {MAX_THUMBNAILS} of the {len(indices):,} selected images.")


def _open(index: int) -> None:
    st.session_state["inside_test_index"] = index
    st.session_state["map_chosen"] = ("test", index)
    st.session_state["map_open_inside"] = (PROJECT / INSIDE_PAGE).is_file()


def follow_open_request() -> None:
    """After a thumbnail's button: go to the Inside page when there is one (it reads inside_test_index)."""
    if st.session_state.pop("map_open_inside", False):
        st.switch_page(INSIDE_PAGE)


def chosen_large(images: torch.Tensor, targets: torch.Tensor, predicted: torch.Tensor, class_names: Sequence[str]) -> None:
    """The clicked image, large, when there is no Inside page to open it on."""
    chosen = st.session_state.get("map_chosen")
    if not chosen or chosen[0] != "test" or (PROJECT / INSIDE_PAGE).is_file():
        return
    index = chosen[1]
    st.image(enlarge(images[index], 8), output_format="PNG",
             caption=f"Test image {index}: true {class_names[int(targets[index])]}, "
             f"predicted {class_names[int(predicted[index])]}")


def neighbours(query: torch.Tensor, train_features: torch.Tensor, data: Mnist, class_names: Sequence[str]) -> None:
    """The drawing's nearest training images in feature space (exact k-NN), with their labels."""
    distances, indices = nearest(query, train_features, k=NEIGHBOURS)
    columns = st.columns(NEIGHBOURS)
    for column, index, distance in zip(columns, indices[0].tolist(), distances[0].tolist()):
        column.image(enlarge(data.train.images[index], 3), output_format="PNG",
                     caption=f"{class_names[int(data.train.labels[index])]} · distance {distance:.1f}")
    st.caption("To the network it looks like these: its 8 nearest training images among all 60,000, "
               "measured in the features of the layer before the classifier, not on the 2-D map.")


def explorer_image(data: Mnist, drawing: torch.Tensor | None) -> torch.Tensor | None:
    """The (1,1,28,28) image the perturbation explorer works on: the opened test image or the drawing."""
    chosen = st.session_state.get("map_chosen")
    test_image = data.test.images[chosen[1]].unsqueeze(0) if chosen and chosen[0] == "test" else None
    choices = {name: image for name, image in (("your drawing", drawing), (f"test image {chosen[1] if chosen else ''}", test_image))
               if image is not None}
    if not choices:
        return None
    name = st.radio("Image", list(choices), horizontal=True, key="map_explore_image") if len(choices) > 1 else next(iter(choices))
    return choices[name]

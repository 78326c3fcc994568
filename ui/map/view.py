"""The Map page's sections: the chosen layout (PCA now, t-SNE from its background job), the selection's
thumbnails, and where the Draw page's drawing lands with its nearest training images.

Session state it reads and writes:
    drawing_28x28       the Draw page's current drawing, (28,28) float32 in [0,1], or None (set by pages/4_Draw.py)
A thumbnail's "Look inside" link opens that test image on the Inside page (?run=NAME&test=INDEX, ui.inside_state).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import streamlit as st
import torch

from core.data.loading import Dataset
from core.map.neighbours import nearest
from ui import inside_state, map_data, page_links
from ui.i18n import _
from ui.pixels import enlarge

GRID_COLUMNS = 8
MAX_THUMBNAILS = 48
NEIGHBOURS = 8


def tsne_progress(run_dir: str, epoch: int, data: Dataset) -> None:
    """Ask for the map (a no-op when asked already) and show its job's progress until it is done."""
    jobs = map_data.map_jobs()
    job = jobs.request(Path(run_dir), epoch, data.test)
    if job.status in ("failed", "stopped"):
        st.error(job.message)
        if st.button(_("Try again"), key="map_retry"):
            jobs.forget(Path(run_dir), epoch)
            st.rerun()
        return

    @st.fragment(run_every=1.0)
    def watch() -> None:
        current = jobs.status(Path(run_dir), epoch)
        if not current.active:
            st.rerun()  # the whole page: the map is ready (or the job ended with a message)
        st.progress(min(1.0, current.progress),
                    text=_("Computing the t-SNE map in the background: {step}").format(step=current.message))
        st.caption(_("It is computed once and saved beside the run. Other pages work meanwhile; "
                     "the PCA map is shown until it is ready."))

    watch()


def thumbnails(images: torch.Tensor, indices: Sequence[int], targets: torch.Tensor, predicted: torch.Tensor,
               class_names: Sequence[str], run_name: str) -> None:
    """A grid of the test images at `indices`, with true and predicted labels; each links to the Inside page."""
    for slot, index in enumerate(indices[:MAX_THUMBNAILS]):
        if slot % GRID_COLUMNS == 0:
            columns = st.columns(GRID_COLUMNS)
        true, guess = class_names[int(targets[index])], class_names[int(predicted[index])]
        with columns[slot % GRID_COLUMNS]:
            st.image(enlarge(images[index], 3), output_format="PNG",
                     caption=_("true {true} · predicted {predicted}").format(true=true, predicted=guess))
            page_links.link(page_links.INSIDE, _("Look inside"), inside_state.links_to_test_image(run_name, index))
    if len(indices) > MAX_THUMBNAILS:
        st.caption(_("Showing {shown} of the {selected:,} selected images.").format(shown=MAX_THUMBNAILS, selected=len(indices)))


def neighbours(query: torch.Tensor, train_features: torch.Tensor, data: Dataset, class_names: Sequence[str]) -> None:
    """The drawing's nearest training images in feature space (exact k-NN), with their labels."""
    distances, indices = nearest(query, train_features, k=NEIGHBOURS)
    columns = st.columns(NEIGHBOURS)
    for column, index, distance in zip(columns, indices[0].tolist(), distances[0].tolist()):
        column.image(enlarge(data.train.images[index], 3), output_format="PNG",
                     caption=_("{name} · distance {distance:.1f}").format(name=class_names[int(data.train.labels[index])], distance=distance))
    st.caption(_("To the network it looks like these: its {k} nearest training images among all {total:,}, "
                 "measured in the features of the layer before the classifier, not on the 2-D map.")
               .format(k=NEIGHBOURS, total=len(data.train)))


def explorer_image(data: Dataset, drawing: torch.Tensor | None, selected: Sequence[int]) -> torch.Tensor | None:
    """The (1,1,28,28) image the perturbation explorer works on: the drawing or one of the selected test images."""
    choices = ([None] if drawing is not None else []) + list(selected[:MAX_THUMBNAILS])
    if not choices:
        return None
    label = lambda index: _("your drawing") if index is None else _("test image {index}").format(index=index)  # noqa: E731
    index = st.selectbox(_("Image to nudge"), choices, format_func=label, key="map_explore_image")
    return drawing if index is None else data.test.images[index].unsqueeze(0)

"""The Filters page's sections: every channel's optimised input in one overview, and one channel in
detail (what it wants to see beside its top 9 test images, each with the crop its receptive field saw)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st
import torch

from core.explain.filter_views import BlockViews
from core.explain.top_images import Geometry, crop_around
from ui import filters_data
from ui.i18n import _
from ui.pixels import enlarge

COLUMNS = 8


def progress(run_dir: Path, epoch: int, block: str, stamp: int) -> None:
    """The background job's progress, redrawn every second until its views are saved."""
    key = filters_data.job_key(run_dir, epoch, block, stamp)
    jobs = filters_data.explain_jobs()
    job = jobs.status(key)
    if job.status in ("failed", "stopped"):
        st.error(job.message)
        if st.button(_("Try again"), key="filters_retry"):
            jobs.forget(key)
            st.rerun()
        return

    @st.fragment(run_every=1.0)
    def watch() -> None:
        current = jobs.status(key)
        if not current.active:
            st.rerun()  # the whole page: the views are ready (or the job ended with a message)
        text = _("Computing {block} at epoch {epoch} in the background: {message}").format(
            block=block, epoch=epoch, message=current.message)
        st.progress(min(1.0, current.progress), text=text)
        st.caption(_("Computed once per checkpoint and saved beside the run; other pages work meanwhile."))

    watch()


def overview(views: BlockViews) -> None:
    """Every channel's optimised input, in channel order, as one grid of small pictures."""
    wanted = views.wanted[:, 0].numpy()  # (C,28,28)
    count = len(wanted)
    rows = -(-count // COLUMNS)
    grid = np.ones((rows * 29 - 1, COLUMNS * 29 - 1), np.float32)  # white gaps between tiles
    for channel, picture in enumerate(wanted):
        top, left = (channel // COLUMNS) * 29, (channel % COLUMNS) * 29
        grid[top : top + 28, left : left + 28] = picture
    with st.container(key="filters_overview"):
        st.image(enlarge(grid, 3), output_format="PNG",
                 caption=_("What each of the {count} channels of {block} wants to see, channel 0 at the top left").format(
                     count=count, block=views.block))


def _boxed(image: torch.Tensor, position: torch.Tensor, geometry: Geometry) -> np.ndarray:
    """(28,28) grey image -> (28,28,3) with the receptive field's square outlined in red."""
    rgb = np.repeat(image.numpy()[..., None], 3, axis=2)
    field = geometry.field
    row, col = (round(geometry.start + geometry.stride * int(value) - (field - 1) / 2) for value in position)
    bottom, right = min(row + field - 1, 27), min(col + field - 1, 27)
    row, col = max(row, 0), max(col, 0)
    for r, c in ((row, slice(col, right + 1)), (bottom, slice(col, right + 1)), (slice(row, bottom + 1), col), (slice(row, bottom + 1), right)):
        rgb[r, c] = (1.0, 0.1, 0.1)
    return (rgb.clip(0, 1) * 255).round().astype(np.uint8).repeat(4, axis=0).repeat(4, axis=1)


def channel(views: BlockViews, index: int, images: torch.Tensor, geometry: Geometry, labels: tuple[str, ...], targets: torch.Tensor) -> None:
    """One channel: its optimised input, then its top 9 test images (field outlined) and their crops."""
    wanted_column, top_column = st.columns([1, 3])
    mean = float(views.top.channel_means[index])
    with wanted_column.container(key="filters_wanted"):
        st.image(enlarge(views.wanted[index], 6), output_format="PNG",
                 caption=_("What channel {index} wants to see: mean activation {wanted:.3f} "
                           "(the test images': {mean:.3f})").format(index=index, wanted=float(views.wanted_activation[index]),
                                                                    mean=mean))
    with top_column.container(key="filters_top"):
        st.markdown(_("**Its top {count} test images** (the peak of its map; the red square is the {field}×{field} pixels "
                      "that peak sees)").format(count=len(views.top.indices[index]), field=geometry.field))
        columns = st.columns(len(views.top.indices[index]))
        for column, test_index, peak, position in zip(columns, views.top.indices[index].tolist(), views.top.peaks[index].tolist(),
                                                      views.top.positions[index]):
            column.image(_boxed(images[test_index, 0], position, geometry), output_format="PNG",
                         caption=_("#{index} ({label}) peak {peak:.2f}").format(
                             index=test_index, label=labels[int(targets[test_index])], peak=peak))
            column.image(enlarge(crop_around(images[test_index, 0], position, geometry), max(2, 48 // geometry.field)),
                         output_format="PNG")

"""Step 1, the data: the export's dataset cell beside a grid of training images, the split sizes and the pixel scale."""
from __future__ import annotations

import streamlit as st

from core.data.loading import Dataset, DatasetError
from ui import page_links, resources
from ui.i18n import _
from ui.pixels import enlarge

GRID = 15  # training images shown: three rows of five at the page's usual width


def load() -> Dataset | None:
    """MNIST as the pages load it; None, with the fix on screen, when its files are not there."""
    try:
        return resources.dataset("mnist")
    except DatasetError as error:
        st.error(str(error))
        page_links.link(page_links.HOME, _("Home says how to get MNIST"))
        return None


def data_step(code: str, data: Dataset | None) -> None:
    st.subheader(_("1. The data"))
    left, right = st.columns(2)
    left.code(code, language="python")
    if data is None:
        right.info(_("The images appear here once MNIST is found."))
        return
    with right:
        train, test = data.train, data.test
        st.write(_("**{train:,} training images** and **{test:,} test images**, each 28x28 pixels, one channel.")
                 .format(train=len(train), test=len(test)))
        low, high = float(train.images.min()), float(train.images.max())
        st.write(_("Pixels run from **{low:g} to {high:g}**: `transforms.ToTensor()` divides the file's 0-255 values "
                   "by 255. The network learns on this scale, so it must be tested on it too.").format(low=low, high=high))
        images = [enlarge(image, 3) for image in train.images[:GRID]]
        captions = [_("label {label}").format(label=int(label)) for label in train.labels[:GRID]]
        st.image(images, caption=captions, width=84, output_format="PNG")
    page_links.link(page_links.TRAIN, _("Train on MNIST or on Fashion-MNIST's clothing images"))

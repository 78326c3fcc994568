"""Steps 2 and 3, the layers and the model: the export's network class beside the shape walk in the
lecture's notation and a picture; then `print(model)`."""
from __future__ import annotations

import streamlit as st

from core.training.design import Design
from core.training.walk import walk
from ui import page_links
from ui.i18n import _, ngettext
from ui.lecture import compute
from ui.network_picture import network_svg


def layers_step(code: str, design: Design, key: str) -> None:
    st.subheader(_("2. The layers: how the shape changes"))
    left, right = st.columns(2)
    left.code(code, language="python")
    with right:
        rows = walk(design)
        st.write(_("The image's shape after each layer, written as the lecture's comments write it "
                   "(height, width, channels):"))
        st.code("\n".join(row.lecture for row in rows), language="text")
        st.markdown(network_svg(design), unsafe_allow_html=True)  # the Train page's picture (st.html drops <svg>)
        count = sum(row.parameters for row in rows)
        st.caption(ngettext("{count:,} parameter in total.", "{count:,} parameters in total.", count).format(count=count))
    page_links.link(page_links.INSIDE, _("Look inside a trained network, layer by layer"))


def model_step(code: str, design: Design) -> None:
    st.subheader(_("3. The model"))
    left, right = st.columns(2)
    left.code(code, language="python")
    with right:
        st.write(_("`print(model)` of this network, as PyTorch shows it:"))
        st.code(compute.printed(design), language="text")
    page_links.link(page_links.TRAIN, _("Change the network or its settings on the Train page"))

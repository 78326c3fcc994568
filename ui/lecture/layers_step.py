"""Steps 2 and 3, the layers and the model: the export's network class beside the shape walk in the
lecture's notation and a picture; then `print(model)`."""
from __future__ import annotations

import streamlit as st

from core.training.design import Design
from core.training.walk import walk
from ui import page_links
from ui.lecture import compute
from ui.lecture.network_picture import network_figure


def layers_step(code: str, design: Design, key: str) -> None:
    st.subheader("2. The layers: how the shape changes")
    left, right = st.columns(2)
    left.code(code, language="python")
    with right:
        rows = walk(design)
        st.write("The image's shape after each layer, written as the lecture's comments write it (height, width, channels):")
        st.code("\n".join(row.lecture for row in rows), language="text")
        st.plotly_chart(network_figure(design), key=f"lecture_network_{key}")
        st.caption(f"{sum(row.parameters for row in rows):,} parameters in total.")
    page_links.link(page_links.INSIDE, "Look inside a trained network, layer by layer")


def model_step(code: str, design: Design) -> None:
    st.subheader("3. The model")
    left, right = st.columns(2)
    left.code(code, language="python")
    with right:
        st.write("`print(model)` of this network, as PyTorch shows it:")
        st.code(compute.printed(design), language="text")
    page_links.link(page_links.TRAIN, "Change the network or its settings on the Train page")

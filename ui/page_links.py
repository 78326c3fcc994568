"""The app's pages in one place: their files, names and icons, for page configs and links."""
from __future__ import annotations

import streamlit as st

TRAIN, RUNS, MISTAKES, DRAW = "pages/1_Train.py", "pages/2_Runs.py", "pages/3_Mistakes.py", "pages/4_Draw.py"
INSIDE = "pages/5_Inside.py"
MAP = "pages/6_Map.py"
PAGES = {  # file -> (title, what a link to it says, icon)
    TRAIN: ("Train", "Train a CNN", ":material/model_training:"),
    RUNS: ("Runs", "Compare saved runs", ":material/stacked_line_chart:"),
    MISTAKES: ("Mistakes", "Study the mistakes", ":material/search:"),
    DRAW: ("Draw", "Draw a digit", ":material/draw:"),
    INSIDE: ("Inside", "Look inside the network", ":material/visibility:"),
    MAP: ("Map", "See the map of what the network learned", ":material/scatter_plot:"),
}


def configure(page: str) -> None:
    """The page's browser title and icon, wide layout; the first call on every page."""
    title, _, icon = PAGES[page]
    st.set_page_config(page_title=f"{title} · MNIST CNN Studio", page_icon=icon, layout="wide")


def link(page: str, label: str | None = None, query_params: dict[str, str] | None = None) -> None:
    """A link to `page` with its icon; `label` overrides the usual wording; `query_params` go in its URL."""
    _, usual, icon = PAGES[page]
    st.page_link(page, label=label or usual, icon=icon, query_params=query_params)

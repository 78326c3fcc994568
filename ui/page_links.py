"""The app's pages in one place: their files, names and icons, for page configs, the sidebar and links.

Streamlit names the pages of a `pages/` folder after their files, so the home page would read
"app". The sidebar is drawn here instead (Streamlit's own is off in .streamlit/config.toml):
every page lists every page, "Home" first, each with its icon.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

APP_DIR = Path(__file__).resolve().parent.parent
HOME = "app.py"
LECTURE = "pages/0_Lecture.py"  # numbered 0: the first page after Home, no other page file moves
TRAIN, RUNS, MISTAKES, DRAW = "pages/1_Train.py", "pages/2_Runs.py", "pages/3_Mistakes.py", "pages/4_Draw.py"
INSIDE = "pages/5_Inside.py"
MAP = "pages/6_Map.py"
SWEEPS = "pages/7_Sweeps.py"
HANDWRITING = "pages/8_Handwriting.py"
FILTERS = "pages/9_Filters.py"  # numbered last so no other page file moves; listed after Inside
PAGES = {  # file -> (title, what a link to it says, icon)
    HOME: ("Home", "Home", ":material/home:"),
    LECTURE: ("Lecture", "Follow the lecture step by step", ":material/school:"),
    TRAIN: ("Train", "Train a CNN", ":material/model_training:"),
    RUNS: ("Runs", "Compare saved runs", ":material/stacked_line_chart:"),
    MISTAKES: ("Mistakes", "Study the mistakes", ":material/search:"),
    DRAW: ("Draw", "Draw a digit", ":material/draw:"),
    INSIDE: ("Inside", "Look inside the network", ":material/visibility:"),
    FILTERS: ("Filters", "See what each filter looks for", ":material/filter_alt:"),
    MAP: ("Map", "See the map of what the network learned", ":material/scatter_plot:"),
    SWEEPS: ("Sweeps", "Sweep settings with Optuna", ":material/tune:"),
    HANDWRITING: ("Handwriting", "See your handwriting set", ":material/gesture:"),
}


def configure(page: str) -> None:
    """The page's browser title and icon, wide layout, and the sidebar (with any damaged runs); the first call on every page."""
    title, _, icon = PAGES[page]
    full_title = "MNIST CNN Studio" if page == HOME else f"{title} · MNIST CNN Studio"
    st.set_page_config(page_title=full_title, page_icon=icon, layout="wide")
    with st.sidebar:
        for file, (name, _, page_icon) in present().items():
            st.page_link(file, label=name, icon=page_icon)
    from ui.damaged_runs import sidebar_note  # late: it reads the runs folder through ui.resources

    sidebar_note()


def present() -> dict[str, tuple[str, str, str]]:
    """The pages whose files exist; a missing one is left out of every list, not an error."""
    return {file: entry for file, entry in PAGES.items() if (APP_DIR / file).is_file()}


def link(page: str, label: str | None = None, query_params: dict[str, str] | None = None) -> None:
    """A link to `page` with its icon; `label` overrides the usual wording; `query_params` go in its URL."""
    _, usual, icon = PAGES[page]
    st.page_link(page, label=label or usual, icon=icon, query_params=query_params)

"""The app's pages in one place: their files, names and icons, for page configs, the sidebar and links.

Streamlit names the pages of a `pages/` folder after their files, so the home page would read
"app". The sidebar is drawn here instead (Streamlit's own is off in .streamlit/config.toml):
every page lists every page, "Home" first, each with its icon.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import language
from ui.i18n import N_, _

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
    HOME: (N_("Home"), N_("Home"), ":material/home:"),
    LECTURE: (N_("Lecture"), N_("Follow the lecture step by step"), ":material/school:"),
    TRAIN: (N_("Train"), N_("Train a CNN"), ":material/model_training:"),
    RUNS: (N_("Runs"), N_("Compare saved runs"), ":material/stacked_line_chart:"),
    MISTAKES: (N_("Mistakes"), N_("Study the mistakes"), ":material/search:"),
    DRAW: (N_("Draw"), N_("Draw a digit"), ":material/draw:"),
    INSIDE: (N_("Inside"), N_("Look inside the network"), ":material/visibility:"),
    FILTERS: (N_("Filters"), N_("See what each filter looks for"), ":material/filter_alt:"),
    MAP: (N_("Map"), N_("See the map of what the network learned"), ":material/scatter_plot:"),
    SWEEPS: (N_("Sweeps"), N_("Sweep settings with Optuna"), ":material/tune:"),
    HANDWRITING: (N_("Handwriting"), N_("See your handwriting set"), ":material/gesture:"),
}


def configure(page: str) -> None:
    """The page's browser title and icon, wide layout, and the sidebar (with any damaged runs); the first call on every page."""
    language.settle()
    title, _wording, icon = PAGES[page]
    full_title = "MNIST CNN Studio" if page == HOME else f"{_(title)} · MNIST CNN Studio"
    st.set_page_config(page_title=full_title, page_icon=icon, layout="wide")
    with st.sidebar:
        carried = language.url_params()
        for file, (name, _wording, page_icon) in present().items():
            st.page_link(file, label=_(name), icon=page_icon, query_params=carried)
        language.choice()
    from ui.damaged_runs import sidebar_note  # late: it reads the runs folder through ui.resources

    sidebar_note()


def present() -> dict[str, tuple[str, str, str]]:
    """The pages whose files exist; a missing one is left out of every list, not an error."""
    return {file: entry for file, entry in PAGES.items() if (APP_DIR / file).is_file()}


def link(page: str, label: str | None = None, query_params: dict[str, str] | None = None) -> None:
    """A link to `page` with its icon; `label` overrides the usual wording; `query_params` go in its URL
    (with the language, which every link carries)."""
    _title, usual, icon = PAGES[page]
    params = {**(query_params or {}), **language.url_params()}
    st.page_link(page, label=label or _(usual), icon=icon, query_params=params)

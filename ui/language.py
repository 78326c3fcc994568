"""The language choice: from the URL (`?lang=ko`), else the session's earlier choice, else the browser's language.

The choice is written back into the URL, so a reload or a shared link keeps it, and every sidebar
link carries it to the next page (Streamlit drops a page's query parameters when another page opens).
"""
from __future__ import annotations

import streamlit as st

from ui.i18n import DEFAULT, LANGUAGES, STATE_KEY

PARAM = "lang"
WIDGET_KEY = "language_choice"
LABEL = "Language · 언어"  # in both: a learner who cannot read the language shown still finds the box


def browser_language() -> str:
    """The browser's language when we have a catalog for it (st.context.locale, e.g. "ko-KR"), else English."""
    locale = st.context.locale or ""
    code = locale.split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT


def settle() -> str:
    """Decide this run's language and keep session and URL in step; the first thing every page does."""
    asked = st.query_params.get(PARAM)
    if asked in LANGUAGES:
        code = asked
    elif st.session_state.get(STATE_KEY) in LANGUAGES:
        code = st.session_state[STATE_KEY]
    else:
        code = browser_language()
    st.session_state[STATE_KEY] = code
    if st.query_params.get(PARAM) != code:
        st.query_params[PARAM] = code
    return code


def url_params() -> dict[str, str]:
    """The query parameters that carry the language to another page's link."""
    return {PARAM: st.session_state.get(STATE_KEY, DEFAULT)}


def _chosen() -> None:
    code = st.session_state[WIDGET_KEY]
    st.session_state[STATE_KEY] = code
    st.query_params[PARAM] = code


def choice() -> None:
    """The sidebar's language box; a change redraws the page in the new language."""
    st.session_state[WIDGET_KEY] = st.session_state[STATE_KEY]
    codes = list(LANGUAGES)
    st.selectbox(LABEL, codes, format_func=LANGUAGES.get, key=WIDGET_KEY, on_change=_chosen)

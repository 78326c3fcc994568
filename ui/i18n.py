"""Words on the screen in the learner's language: gettext catalogs (locales/<lang>/LC_MESSAGES/messages.po).

English text is the message id, so code reads naturally and an untranslated word falls back to English.
Write every word a page shows as `_("Train a CNN")`; text with values as `_("Page (of {pages})").format(pages=n)`
(an f-string cannot be looked up). Text defined at import time (a constant, a class name) is marked with
`N_` and translated where it is drawn with `_`. A widget's `format_func` must not call `_` itself
(AppTest calls it outside the page's run, where the language is unknown): build the labels in the
run and pass `format_func=labels.get`, or `format_func=titled(titles)`. `./dev.sh catalog` extracts the ids (babel.cfg) and
updates the catalogs; tests/app/test_i18n.py fails on any id the Korean catalog lacks.

The .po files are read directly (Babel parses them, a few ms, once per process): no compiled .mo
file to keep in step with them.
"""
from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

if TYPE_CHECKING:
    from core.data.datasets import DatasetSpec

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = {"en": "English", "ko": "한국어"}  # code -> its own name, as the sidebar offers it
DEFAULT = "en"
STATE_KEY = "language"  # session_state: the code in use (ui/language.py keeps it and the URL in step)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet (module-level text)."""
    return message


@lru_cache(maxsize=None)
def catalog(code: str) -> gettext.NullTranslations:
    """The translations of language `code`; English and any missing file translate to themselves."""
    path = LOCALES / code / "LC_MESSAGES" / "messages.po"
    if code == DEFAULT or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        parsed = read_po(po, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, parsed)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def current() -> str:
    """The language of this script run: the session's choice, or English outside a Streamlit run (CLIs, tests)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx(suppress_warning=True)
    if context is None:
        return DEFAULT
    import streamlit as st

    code = st.session_state.get(STATE_KEY, DEFAULT)
    return code if code in LANGUAGES else DEFAULT


def _(message: str) -> str:
    """`message` in the current language."""
    return catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language (Korean has one form)."""
    return catalog(current()).ngettext(singular, plural, count)


class Later(str):
    """Text translated when Streamlit shows it, not when it is written: a cache's spinner text is fixed when the
    function is decorated, at import, but Streamlit turns it into words (str()) in the run that shows it.

        @st.cache_resource(show_spinner=Later(N_("Loading the dataset…")))
    """

    def __str__(self) -> str:
        return _(str.__str__(self))


def titled(titles: Mapping[Any, str]) -> Callable[[Any], str]:
    """A choice box's format_func: titles[choice] in this run's language. The language is bound now, not when
    it is called: AppTest calls a box's format_func again outside the script run, where _() gives English."""
    words = catalog(current()).gettext
    return lambda choice: words(titles[choice])


def class_names(spec: "DatasetSpec") -> tuple[str, ...]:
    """The dataset's class names in the current language (Fashion-MNIST's have Korean names; digits stay digits)."""
    return tuple(_(name) for name in spec.classes)


def noun(spec: "DatasetSpec") -> str:
    """What one class is called in a sentence ("digit", "class"), in the current language."""
    return _(spec.noun)


def layer_title(title: str) -> str:
    """A feature-map title of core.explain.feature_maps ("layer1: after ReLU + max pool") in the current language;
    the module name (layer1) and method names (ReLU, tanh) stay as they are."""
    name, found, words = title.partition(": ")
    if not found:
        return title
    if words.startswith("after "):
        steps = " + ".join(_(step) for step in words.removeprefix("after ").split(" + "))
        return f"{name}: " + _("after {steps}").format(steps=steps)
    return f"{name}: {_(words)}"

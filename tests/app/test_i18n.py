"""Korean and English: every word the pages show goes through the catalog, the Korean catalog has all of them,
every page opens in Korean, and the language follows the URL, then the session, then the browser."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.app.conftest import ROOT, add_run, open_page
from tests.app.i18n_scan import english_words, literals, streamlit_files
from ui.language import WIDGET_KEY
from ui.page_links import PAGES

KO = ROOT / "locales" / "ko" / "LC_MESSAGES" / "messages.po"
EN = ROOT / "locales" / "en" / "LC_MESSAGES" / "messages.po"


def extracted(tmp_path: Path) -> list[str]:
    """The message ids Babel finds in the app today (babel.cfg), as ./dev.sh catalog would write them."""
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "--omit-header", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as file:
        return [message.id for message in read_po(file) if message.id]


def catalog(path: Path):
    with path.open("rb") as file:
        return read_po(file)


@pytest.mark.parametrize("path", streamlit_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_page_file_shows_text_outside_the_catalog(path):
    found = literals(path.read_text())
    assert not found, "\n".join(f"{path.relative_to(ROOT)}:{line}: {call}(...) shows text not passed through _()" for line, call in found)


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)[^{}]*\}", text))


def test_every_word_the_pages_show_is_in_the_korean_catalog(tmp_path):
    ids = extracted(tmp_path)
    assert len(ids) > 50  # the extraction found the app's words, not an empty folder
    korean = catalog(KO)
    missing = [key for key in ids if key not in korean or not korean[key].string or korean[key].fuzzy]
    assert not missing, f"{len(missing)} ids without Korean (./dev.sh catalog, then translate): {missing[:20]}"
    english = catalog(EN)
    assert not [key for key in ids if key not in english]
    # a translation keeps every {value} of its id, or .format() fails on the Korean page
    broken = [key for key in ids if isinstance(key, str) and placeholders(key) != placeholders(korean[key].string)]
    assert not broken, broken[:10]


def test_the_korean_catalog_holds_no_word_the_app_no_longer_shows(tmp_path):
    ids = set(extracted(tmp_path))
    stale = [message.id for message in catalog(KO) if message.id and message.id not in ids]
    assert not stale, f"./dev.sh catalog drops them: {stale[:10]}"


def test_fashion_mnist_classes_have_korean_names_and_digits_stay_digits():
    from core.data.datasets import FASHION_MNIST, MNIST

    korean = catalog(KO)
    names = [korean[name].string for name in FASHION_MNIST.classes]
    assert all(re.search("[가-힣]", name) for name in names) and len(set(names)) == 10
    assert all(name not in korean or not korean[name].string for name in MNIST.classes)


# --- the pages in Korean ----------------------------------------------------------------------------
TEXT_ELEMENTS = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success")
WIDGETS = ("button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "select_slider", "slider",
           "number_input", "text_input", "text_area")


def shown_texts(at) -> list[str]:
    """What a learner reads on the page: texts, widget labels and options, metric labels, tab and
    expander labels, table headers and chart titles."""
    texts = [element.value for kind in TEXT_ELEMENTS for element in getattr(at, kind)]
    for kind in WIDGETS:
        for widget in getattr(at, kind):
            if widget.key == WIDGET_KEY:
                continue  # the language box is written in both languages on purpose
            texts.append(widget.label)
            texts += [str(option) for option in getattr(widget, "options", [])]
    texts += [metric.label for metric in at.metric] + [tab.label for tab in at.tabs] + [box.label for box in at.expander]
    texts += [str(column) for table in at.dataframe for column in table.value.columns]
    for chart in at.get("plotly_chart"):
        layout = json.loads(chart.proto.spec).get("layout", {})
        for axis in [layout, *(value for key, value in layout.items() if key.startswith(("xaxis", "yaxis")))]:
            title = axis.get("title")
            texts.append(title.get("text", "") if isinstance(title, dict) else str(title or ""))
    return [text for text in texts if text]


def korean(page: str | None):
    at = open_page(None)
    at.query_params["lang"] = "ko"
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_opens_in_korean_and_shows_no_english_word(page, app_env, saved_runs):
    add_run(app_env, saved_runs, "run-a")
    at = korean(None if page == "app.py" else page)
    assert not at.exception, at.exception
    run_names = {"run"}  # the saved run's name (run-a) is a name, not a word
    left = {text: words for text in shown_texts(at) if (words := english_words(text, run_names))}
    assert not left, "\n".join(f"{words} in {text!r}" for text, words in left.items())


# --- choosing the language ----------------------------------------------------------------------------
def test_the_url_chooses_korean_and_the_session_keeps_it_on_the_next_page(app_env):
    at = korean(None)
    assert not at.exception and at.session_state["language"] == "ko"
    assert at.selectbox(key=WIDGET_KEY).value == "ko"
    at.switch_page("pages/1_Train.py").run()  # the sidebar's links carry ?lang=ko; the session knows it as well
    assert not at.exception and at.session_state["language"] == "ko"
    assert at.title[0].value == "CNN 학습하기"


def test_the_sidebar_box_switches_the_language_both_ways(app_env):
    at = open_page("pages/1_Train.py")
    assert at.session_state["language"] == "en" and at.title[0].value == "Train a CNN"  # AppTest's browser has no locale
    at.selectbox(key=WIDGET_KEY).set_value("ko").run()
    assert at.title[0].value == "CNN 학습하기" and at.query_params["lang"] == "ko"
    at.selectbox(key=WIDGET_KEY).set_value("en").run()
    assert at.title[0].value == "Train a CNN" and at.query_params["lang"] == "en"


def test_an_unknown_language_in_the_url_is_english(app_env):
    at = open_page(None)
    at.query_params["lang"] = "xx"
    at.run()
    assert not at.exception and at.session_state["language"] == "en"

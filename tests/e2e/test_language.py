"""The language in a real browser: the sidebar box turns the Train page Korean, the URL keeps it across a reload
and a page change, and a browser set to Korean opens in Korean."""
import re

import pytest

from tests.e2e.chromium import VIEWPORT
from tests.e2e.streamlit_dom import PAGE_TIMEOUT, assert_no_exception, choose_option, open_page, poll
from ui.i18n import catalog

pytestmark = pytest.mark.e2e
TITLE = "Train a CNN"


def widget_labels(page) -> list[str]:
    return [text.strip() for text in page.locator('[data-testid="stWidgetLabel"]').all_inner_texts() if text.strip()]


def wait_for_title(page, text: str) -> None:
    page.locator("h1", has_text=text).first.wait_for(timeout=PAGE_TIMEOUT)


def test_the_sidebar_box_turns_the_train_page_korean_and_the_url_keeps_it(server, page):
    korean = catalog("ko")
    open_page(page, f"{server}/Train", ".st-key-language_choice")
    wait_for_title(page, TITLE)
    def known(labels):  # the labels the catalog translates
        return [label for label in labels if korean.gettext(label) != label]

    # the sliders' labels are in the catalog (the title is drawn before the widgets are)
    translatable = known(poll(lambda: widget_labels(page), lambda labels: len(known(labels)) >= 8))
    choose_option(page, "language_choice", "한국어")
    wait_for_title(page, korean.gettext(TITLE))
    shown = poll(lambda: widget_labels(page), lambda labels: set(map(korean.gettext, translatable)) <= set(labels))
    assert not set(translatable) & set(shown)  # no English label is left of those the catalog knows
    assert "lang=ko" in page.url
    page.reload()
    wait_for_title(page, korean.gettext(TITLE))
    page.locator('[data-testid="stSidebar"] a', has_text=korean.gettext("Runs")).first.click()
    page.wait_for_url(re.compile(r"/Runs\?.*lang=ko"), timeout=PAGE_TIMEOUT)
    wait_for_title(page, korean.gettext("Saved runs"))
    assert_no_exception(page)


def test_a_browser_set_to_korean_opens_in_korean(server, browser):
    context = browser.new_context(viewport=VIEWPORT, locale="ko-KR")
    try:
        page = context.new_page()
        open_page(page, f"{server}/Train", "h1")
        wait_for_title(page, catalog("ko").gettext(TITLE))
        assert "lang=ko" in page.url
    finally:
        context.close()

"""Read and drive Streamlit elements in a real browser page: keyed widgets, plotly data, progress, errors.

Streamlit gives an element made with `key="x"` the CSS class `st-key-x`; the helpers find things that way.
"""
from __future__ import annotations

import re
import time
from typing import Any, Callable

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

PAGE_TIMEOUT = 90_000  # ms; the first page of a fresh server imports torch


def keyed(page: Page, key: str) -> Locator:
    return page.locator(f".st-key-{key}")


def open_page(page: Page, url: str, ready: str) -> None:
    """Go to `url` and wait until the element `ready` (a CSS selector) is visible."""
    page.goto(url)
    page.locator(ready).first.wait_for(timeout=PAGE_TIMEOUT)


def set_number(page: Page, key: str, value: int) -> None:
    """Type into an st.number_input; Enter commits it, as it does for a user."""
    field = keyed(page, key).locator("input")
    field.fill(str(value))
    field.press("Enter")


def slide_to_end(page: Page, key: str, end: str, value: str) -> None:
    """Move an st.slider / st.select_slider to its first (end="Home") or last ("End") value with the keyboard,
    as a user can, and wait until it shows `value`; the slider sends its value a moment after it moves."""
    thumb = keyed(page, key).get_by_role("slider")
    thumb.press(end)
    keyed(page, key).get_by_text(value, exact=True).first.wait_for(timeout=PAGE_TIMEOUT)
    page.wait_for_timeout(800)  # past Streamlit's debounce, so the next click's rerun carries the value


def choose_option(page: Page, key: str, starts_with: str) -> bool:
    """Pick the st.selectbox option whose label starts with `starts_with`, unless it is already chosen;
    True when it clicked (a rerun follows, and until it ends the page still shows the old elements)."""
    box = keyed(page, key).get_by_role("combobox")
    if box.input_value().startswith(starts_with):
        return False  # no click, no rerun: with twenty sessions every rerun counts
    option = page.get_by_role("option", name=re.compile("^" + re.escape(starts_with)))
    for _ in range(3):
        box.click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            # a chart drawn late moves the page and the open list closes with it (seen 1 run in 3): open it again
            page.keyboard.press("Escape")
    option.click()
    return True


def wait_until_idle(page: Page, timeout: float = PAGE_TIMEOUT) -> None:
    """Wait until no script run is in progress (stApp's data-test-script-state, which Streamlit's own e2e tests read).

    Alone it can return before a rerun just asked for has started (that takes a round trip to the
    server): first wait for something the rerun changes, then for this.
    """
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=timeout)


def click_together(pages: list[Page], selector: str, delay_ms: int = 500) -> list[int]:
    """Click `selector` in every page at one instant of the browser's clock; returns when each click fired (ms).

    Each page schedules its own click with setTimeout, so the clicks do not wait on each other
    or on Playwright's round trips.
    """
    at = pages[0].evaluate("Date.now()") + delay_ms
    script = """([selector, at]) => {
        window.__clickedAt = null;
        setTimeout(() => { document.querySelector(selector).click(); window.__clickedAt = Date.now(); }, at - Date.now());
    }"""
    for page in pages:
        page.evaluate(script, [selector, at])
    return [poll(lambda page=page: page.evaluate("window.__clickedAt"), lambda fired: fired is not None) for page in pages]


def plotly_traces(page: Page, key: str) -> list[list[float]] | None:
    """The y values of each trace of the plotly chart keyed `key`, as the browser holds them; None before it is drawn."""
    chart = keyed(page, key).locator(".js-plotly-plot")
    if chart.count() == 0:
        return None
    return chart.first.evaluate("el => el.data ? el.data.map(trace => Array.from(trace.y)) : null")


def progress(page: Page) -> tuple[int, str] | None:
    """(percent, text) of the st.progress bar, or None when there is none.

    Read in one step inside the page: when a job ends its bar goes away, and a bar counted by one
    Playwright call and read by the next would leave that read waiting 30 s for it."""
    found = page.evaluate("""() => {
        const bar = document.querySelector('[data-testid="stProgress"]');
        return bar && [bar.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow"), bar.innerText];
    }""")
    return None if found is None else (int(float(found[0] or 0)), found[1])


def poll(read: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 30.0, every: float = 0.2) -> Any:
    """Call `read()` until `done(value)`; return that value, or fail naming the last one seen."""
    deadline = time.monotonic() + timeout
    value = read()
    while not done(value):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s; last value seen: {value!r}")
        time.sleep(every)
        value = read()
    return value


def assert_no_exception(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").first.inner_text()
    assert "Traceback" not in page.inner_text("body")

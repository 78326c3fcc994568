"""Start a 3-trial sweep on the Sweeps page in a real browser, and watch the trials arrive without a click."""
import re

import pytest

from tests.e2e.streamlit_dom import (assert_no_exception, choose_option, keyed, open_page, poll, progress, set_number,
                                     wait_until_idle)

pytestmark = pytest.mark.e2e


def trials_finished(page) -> int | None:
    """How many trials the live progress line counts, or None before the sweep shows it."""
    bar = progress(page)
    found = re.search(r"(\d+)/3 trials finished", bar[1]) if bar else None
    return int(found.group(1)) if found else None


def table_rows(page) -> int:
    """Rows of the trials table as a user sees them; 0 while its grid is not drawn.

    st.dataframe draws its cells on a canvas (glide-data-grid); beside it sits an accessibility
    <table> whose aria-rowcount counts the rows plus the header. When the page moves the table
    (the live view ends and the results view draws it again) the grid is mounted anew, and for a
    moment, seconds on a busy machine, the element is there with neither canvas nor table."""
    count = page.evaluate("""() => document.querySelector('[data-testid="stDataFrame"] [aria-rowcount]')
                                   ?.getAttribute("aria-rowcount")""")  # one step: the grid may go between two calls
    return int(count or 1) - 1  # minus the header row


def test_a_three_trial_sweep_fills_its_table_live(server, page):
    open_page(page, f"{server}/Sweeps", ".st-key-sweep_start button")
    assert "never on the test set" in page.inner_text("body")
    study = keyed(page, "sweep_study").locator("input")
    study.fill("e2e-sweep")
    study.press("Enter")
    set_number(page, "sweep_trials", 3)
    set_number(page, "sweep_epochs", 15)  # on the tiny set a trial then takes seconds, so the page sees each one end
    if choose_option(page, "sweep_pruner", "none"):  # no trial cut to one epoch, ending as the next does
        wait_until_idle(page)
    keyed(page, "sweep_start").get_by_role("button").click()
    # No clicks from here on: only the page's own polling can show new trials. Each reading is
    # (trials finished on the progress line, table rows); the progress line is gone once the sweep
    # has ended and the page shows its results, so every reading is kept rather than waiting for
    # one particular count, which a fast trial on an idle machine may skip.
    readings: list[tuple[int, int]] = []

    def watch() -> bool:
        finished = trials_finished(page)
        if finished is not None:
            readings.append((finished, table_rows(page)))
        return page.get_by_text("Best trial").count() > 0

    poll(watch, bool, timeout=420, every=0.1)
    counts = sorted({finished for finished, _ in readings})
    assert len(counts) >= 2, f"the progress line never moved without a click: it showed only {counts}"
    # while the sweep ran, its table already listed the trials that had finished
    assert any(finished >= 1 and rows >= finished for finished, rows in readings), f"no live table rows: {readings[-20:]}"
    poll(lambda: table_rows(page), lambda rows: rows >= 3, timeout=30)  # the grid, mounted anew, draws a moment later
    assert_no_exception(page)

"""Start a 3-trial sweep on the Sweeps page in a real browser, and watch the trials arrive without a click."""
import re

import pytest

from tests.e2e.streamlit_dom import assert_no_exception, keyed, open_page, poll, progress, set_number

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
    set_number(page, "sweep_epochs", 2)
    set_number(page, "sweep_max_batches", 1)
    keyed(page, "sweep_start").get_by_role("button").click()
    # no clicks from here on: only the page's own polling can show new trials
    seen = [poll(lambda: trials_finished(page), lambda count: count is not None, timeout=240)]
    seen.append(poll(lambda: trials_finished(page), lambda count: count is not None and count > seen[0], timeout=180))
    # the table lists each finished trial while the sweep still runs (None: the progress line is gone, the sweep ended)
    rows, finished = poll(lambda: (table_rows(page), trials_finished(page)),
                          lambda seen: seen[1] is None or seen[1] >= 1 and seen[0] >= seen[1], timeout=30)
    assert finished is not None, f"the sweep ended before its live table showed a finished trial ({rows} rows)"
    page.get_by_text("Best trial").wait_for(timeout=180_000)  # the sweep ended and the page redrew with its results
    poll(lambda: table_rows(page), lambda rows: rows >= 3, timeout=30)  # the grid, mounted anew, draws a moment later
    assert_no_exception(page)

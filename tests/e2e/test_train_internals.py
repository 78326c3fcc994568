"""In a real browser: a run's first-layer filters and probe-digit guesses change between two refreshes,
then Pause holds it, Step one batch shows what that batch changed, and Resume carries on."""
import pytest

from tests.e2e.streamlit_dom import assert_no_exception, keyed, poll
from tests.e2e.train_page import open_train, stop

pytestmark = pytest.mark.e2e


def filters(page) -> list | None:
    """The filter mosaic's values as the browser holds them (None until drawn)."""
    chart = keyed(page, "train_live_filters").locator(".js-plotly-plot")
    if chart.count() == 0:
        return None
    return chart.first.evaluate("el => el.data ? JSON.parse(JSON.stringify(el.data[0].z)) : null")


def guesses(page) -> list[str]:
    """The probe digits' captions: a tick or cross, then the top three guesses with their probabilities."""
    return [text for text in page.locator("[data-testid='stCaptionContainer']").all_inner_texts()
            if text.startswith(("✓", "✗"))]


def view(page) -> tuple | None:
    drawn, said = filters(page), guesses(page)
    return (drawn, said) if drawn and len(said) == 10 else None


def test_filters_and_guesses_change_live_then_pause_step_resume(server, page):
    open_train(page, server)
    keyed(page, "train_start").get_by_role("button").click()
    first = poll(lambda: view(page), lambda v: v is not None, timeout=90)
    # no clicks: only the page's own once-a-second refresh can change these
    later = poll(lambda: view(page), lambda v: v is not None and v[0] != first[0] and v[1] != first[1], timeout=60)
    assert later[0] != first[0] and later[1] != first[1]

    keyed(page, "train_pause").get_by_role("button").click()
    page.get_by_text("Paused after batch").wait_for(timeout=30_000)
    keyed(page, "train_step").get_by_role("button").click()
    page.get_by_text("What step").first.wait_for(timeout=30_000)
    for key in ("train_step_before", "train_step_after"):
        page.locator(f".st-key-{key} .js-plotly-plot").first.wait_for(timeout=30_000)
    before = keyed(page, "train_step_before").locator(".js-plotly-plot").first.evaluate("el => el.data[0].z")
    after = keyed(page, "train_step_after").locator(".js-plotly-plot").first.evaluate("el => el.data[0].z")
    assert before != after  # one batch moved the filters
    keyed(page, "train_resume").get_by_role("button").click()
    poll(lambda: page.get_by_text("Paused after batch").count(), lambda n: n == 0, timeout=30)
    resumed = poll(lambda: view(page), lambda v: v is not None, timeout=30)
    poll(lambda: view(page), lambda v: v is not None and v[0] != resumed[0], timeout=60)  # training again
    stop(page)
    page.get_by_text("stopped").wait_for(timeout=30_000)
    assert_no_exception(page)

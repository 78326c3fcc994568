"""Start a short run from the Train page and watch the progress bar and the cost chart move, live."""
import pytest

from tests.e2e.streamlit_dom import assert_no_exception, keyed, poll
from tests.e2e.train_page import EPOCHS, live_view, open_train, stop

pytestmark = pytest.mark.e2e


def test_progress_and_cost_chart_move_while_training(server, page):
    open_train(page, server)
    keyed(page, "train_start").get_by_role("button").click()
    first = poll(lambda: live_view(page), lambda view: view is not None and view[2] > 0, timeout=60)
    # no clicks from here on: only the page's own polling can make these change
    later = poll(lambda: live_view(page), lambda view: view is not None and view[0] > first[0] and view[2] > first[2])
    assert later[1] != first[1] and f"/{EPOCHS} · batch" in later[1] and "left" in later[1]
    stop(page)
    page.get_by_text("stopped").wait_for(timeout=30_000)
    assert_no_exception(page)

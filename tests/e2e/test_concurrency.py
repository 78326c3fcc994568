"""Many tabs, one server: two simultaneous Starts make one job, a Stop reaches every tab, 20 drawers never cross."""
from __future__ import annotations

import re

import pytest
import torch
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.chromium import VIEWPORT
from tests.e2e.drawing import (canvas_origin, canvas_rgba, expected_probabilities, line_through_centre, run_model,
                               shown_prediction, shown_probabilities, strokes_together)
from tests.e2e.streamlit_dom import assert_no_exception, choose_option, click_together, keyed, poll
from tests.e2e.train_page import live_view, open_train, stop

pytestmark = pytest.mark.e2e

SESSIONS = 20
TOLERANCE = 1e-3  # the server and this test run the same float32 code on the same pixels


def epoch_in_progress(view) -> int:
    return int(re.search(r"Epoch (\d+)/", view[1]).group(1)) if view else 0


def stop_if_running(tab) -> None:
    """Clean-up after a failure; best effort, so that it never hides the failure itself."""
    button = keyed(tab, "train_stop").get_by_role("button", name="Stop")
    try:
        if button.count():
            button.first.click(timeout=5_000)
    except PlaywrightError:
        pass  # the job ended, or the page went, meanwhile


def test_two_tabs_pressing_start_at_once_make_one_job_and_both_see_it_stop(server, browser, e2e_runs_dir):
    tabs = [browser.new_context(viewport=VIEWPORT).new_page() for _ in range(2)]
    try:
        for tab in tabs:
            open_train(tab, server)
        runs_before = {path.name for path in e2e_runs_dir.iterdir()}
        fired = click_together(tabs, ".st-key-train_start button")
        assert abs(fired[0] - fired[1]) < 100, fired
        for tab in tabs:
            poll(lambda tab=tab: live_view(tab), lambda view: view is not None, timeout=150)  # the first Start on a fresh server imports and loads for a while
        titles = {tab.locator("h3", has_text="Training ").first.inner_text().strip() for tab in tabs}
        assert len(titles) == 1, titles  # both tabs watch the same job
        run_name = titles.pop().removeprefix("Training ").split(" (")[0]
        refusals = [tab.get_by_test_id("stAlert").filter(has_text="still running") for tab in tabs]
        assert sorted(refusal.count() for refusal in refusals) == [0, 1]
        refused = next(tab for tab, refusal in zip(tabs, refusals) if refusal.count())
        assert run_name in refused.get_by_test_id("stAlert").filter(has_text="still running").inner_text()

        poll(lambda: live_view(tabs[0]), lambda view: epoch_in_progress(view) >= 2)  # epoch 1 is saved
        stop(tabs[0])
        # the other tab is not touched: its own polling must bring the news
        tabs[1].get_by_text(re.compile(r"stopped; its \d+ finished epoch")).wait_for(timeout=30_000)
        assert {path.name for path in e2e_runs_dir.iterdir()} - runs_before == {run_name}
        for tab in tabs:
            assert_no_exception(tab)
    finally:
        stop_if_running(tabs[0])
        for tab in tabs:
            tab.context.close()


def separation(probabilities: list[torch.Tensor]) -> float:
    """The smallest difference between any two sessions' expected bars: what a crossed answer would show."""
    stacked = torch.stack(probabilities)
    gaps = (stacked[:, None] - stacked[None]).abs().amax(-1)
    return gaps[~torch.eye(len(stacked), dtype=torch.bool)].min().item()


def wait_for_own_answer(page, expected: torch.Tensor) -> None:
    def matches(bars) -> bool:
        return bars is not None and max(abs(a - b) for a, b in zip(bars, expected.tolist())) < TOLERANCE

    poll(lambda: shown_probabilities(page), matches, timeout=60)
    assert shown_prediction(page) == str(int(expected.argmax()))


def test_twenty_sessions_drawing_at_once_each_see_their_own_prediction(server, browser, draw_run):
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(SESSIONS)]
    browser_errors: list[str] = []
    try:
        pages = [context.new_page() for context in contexts]
        for page in pages:
            page.on("pageerror", lambda error: browser_errors.append(str(error)))
            page.goto(f"{server}/Draw", wait_until="commit")  # the twenty pages load side by side
        for page in pages:
            canvas_origin(page)  # loaded
            choose_option(page, "draw_run", draw_run.name)  # other tests may have saved newer runs
        # twenty different lines, 9 degrees apart: each session's bars differ from every other's
        strokes_together(pages, [line_through_centre(9 * index) for index in range(SESSIONS)])
        model = run_model(draw_run)
        expected = [expected_probabilities(canvas_rgba(page), model) for page in pages]
        assert separation(expected) > 10 * TOLERANCE  # so a prediction shown in the wrong session cannot pass
        for page, own in zip(pages, expected):
            wait_for_own_answer(page, own)
            assert_no_exception(page)
        assert browser_errors == []
    finally:
        for context in contexts:
            context.close()

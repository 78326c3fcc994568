"""Draw a digit with real mouse strokes and see the Prediction the model gives for exactly that drawing."""
import pytest

from tests.e2e.drawing import SURFACE, canvas_rgba, expected_probabilities, run_model, seven, shown_prediction, shown_probabilities, stroke
from tests.e2e.streamlit_dom import assert_no_exception, choose_option, open_page, poll

pytestmark = pytest.mark.e2e


def test_a_drawn_digit_gets_a_prediction(server, page, draw_run):
    open_page(page, f"{server}/Draw", SURFACE)
    choose_option(page, "draw_run", draw_run.name)  # other tests may have saved newer runs
    page.get_by_text("Draw a digit on the canvas").wait_for()  # an empty canvas gets a prompt, not a guess
    assert shown_prediction(page) is None

    stroke(page, seven())
    page.get_by_text("Prediction").wait_for(timeout=30_000)
    expected = expected_probabilities(canvas_rgba(page), run_model(draw_run))
    # the bars follow the metric in the same fragment run
    shown = poll(lambda: shown_probabilities(page), lambda bars: bars is not None and max_gap(bars, expected) < 1e-3)
    assert shown_prediction(page) == str(int(expected.argmax()))
    assert len(shown) == 10 and abs(sum(shown) - 1) < 1e-4
    assert page.get_by_text("What the model sees").count() == 1
    # PNG: JPEG, Streamlit's default for arrays, would blur the 28x28's square pixels
    assert page.get_by_test_id("stImage").locator("img").get_attribute("src").endswith(".png")
    assert_no_exception(page)


def max_gap(shown, expected) -> float:
    return max(abs(a - b) for a, b in zip(shown, expected.tolist()))

"""The Lecture page in a real browser: a saved run's costs beside the lecture's, and the pixel-scale slider
moved with the keyboard to x255 redraws the accuracy and the chart's line."""
import pytest

from tests.e2e.streamlit_dom import PAGE_TIMEOUT, assert_no_exception, keyed, open_page, slide_to_end, wait_until_idle

pytestmark = pytest.mark.e2e

CHART = ".st-key-lecture_scale_chart_cnn .js-plotly-plot"


def chart_x(page) -> list[list[float]]:
    return page.locator(CHART).first.evaluate("el => el.data.map(trace => Array.from(trace.x))")


def test_the_slider_scales_the_test_pixels_to_the_lectures_x255(server, page, draw_run):
    open_page(page, f"{server}/Lecture", CHART)
    wait_until_idle(page)
    assert_no_exception(page)
    # the cost table is drawn on a canvas (no text in the DOM); its caption and chart are
    assert page.get_by_text("The lecture's notebook kept the cost of epoch 1 only.").count() == 1
    cost_traces = keyed(page, "lecture_costs_cnn_chart").locator(".js-plotly-plot").first.evaluate(
        "el => el.data.map(trace => Array.from(trace.y))")
    assert cost_traces[1] == [0.225650638]
    curve, slider_line, _ = chart_x(page)
    assert curve == [1, 2, 4, 8, 16, 32, 64, 128, 255] and slider_line == [1, 1]
    slide_to_end(page, "lecture_scale_cnn", "End", "255")
    page.get_by_text("Test accuracy at x255").wait_for(timeout=PAGE_TIMEOUT)
    wait_until_idle(page)
    assert chart_x(page)[1] == [255, 255]
    assert_no_exception(page)

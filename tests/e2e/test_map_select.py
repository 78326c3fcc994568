"""The Map page in a real browser: a box dragged across the map (plotly's box-select tool, active by default) shows
thumbnails, each with a link that opens it on the Inside page."""
import re

import pytest

from tests.e2e.streamlit_dom import assert_no_exception, choose_option, keyed, plotly_traces, poll, wait_until_idle

pytestmark = pytest.mark.e2e


def test_a_box_selection_on_the_map_shows_the_selected_images(server, page, draw_run):
    page.goto(f"{server}/Map")
    # a first visit imports the map's modules and reads the test set through the network: slow on a busy machine
    page.locator(".st-key-map_chart .js-plotly-plot").first.wait_for(timeout=180_000)
    shown = plotly_traces(page, "map_chart")
    if choose_option(page, "map_run", draw_run.name):  # other tests may have saved newer runs
        # Until the rerun replaces it, the other run's map stays on screen and takes a box; the selection made
        # there belongs to a chart the rerun discards (a new figure is a new widget), so no images would show.
        poll(lambda: plotly_traces(page, "map_chart"), lambda traces: traces not in (None, shown), timeout=90)
    wait_until_idle(page)
    chart = keyed(page, "map_chart")
    area = chart.locator(".nsewdrag").first
    area.wait_for()
    box = area.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.1)
    page.mouse.down()
    for step in range(1, 11):  # plotly draws the box as the mouse moves
        page.mouse.move(box["x"] + box["width"] * (0.1 + 0.08 * step), box["y"] + box["height"] * (0.1 + 0.08 * step))
    page.mouse.up()
    heading = page.get_by_role("heading", name=re.compile("selected images$"))
    heading.wait_for(timeout=30_000)
    count = int(heading.inner_text().split()[0].replace(",", ""))
    expected = min(count, 48)  # the grid shows at most 48
    captions = poll(lambda: page.get_by_test_id("stImageCaption").filter(has_text="predicted").count(), lambda n: n == expected)
    assert count > 0 and captions == expected
    links = page.get_by_role("link", name="Look inside")  # each opens its image on the Inside page
    assert links.count() == expected
    assert re.search(rf"Inside\?run={draw_run.name}&test=\d+(&lang=en)?$", links.first.get_attribute("href"))
    assert_no_exception(page)

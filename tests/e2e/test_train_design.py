"""Design a network on the Train page in a real browser: a slider redraws the picture and the table at
once, and the custom design trains and shows up on Runs with its design."""
import json
import re

import pytest

from tests.e2e.design_page import grid_text, layer_text, picture_shapes
from tests.e2e.streamlit_dom import assert_no_exception, keyed, open_page, poll, slide_to_end, wait_until_idle

pytestmark = pytest.mark.e2e


def test_a_channels_slider_redraws_the_network_and_the_custom_run_reaches_runs(server, page, e2e_runs_dir):
    open_page(page, f"{server}/Train", "svg.network-picture")
    assert picture_shapes(page) == ["1x28x28", "32x14x14", "64x7x7", "10"]
    assert "Conv -> (?, 28, 28, 32)" in poll(lambda: layer_text(page), lambda text: text is not None)
    keyed(page, "train_block1_channels").get_by_role("slider").press("ArrowRight")  # 32 -> 48, as a user's arrow key
    poll(lambda: picture_shapes(page), lambda shapes: shapes[1:2] == ["48x14x14"])
    poll(lambda: layer_text(page), lambda text: text is not None and "Conv -> (?, 28, 28, 48)" in text)
    assert keyed(page, "train_model").get_by_role("combobox").input_value().startswith("Custom")
    assert "c48-max,c64-max,fc10" in page.inner_text("body")

    slide_to_end(page, "train_epochs", "Home", "1")  # 5 batches of the tiny set
    wait_until_idle(page)
    keyed(page, "train_start").get_by_role("button").click()
    done = page.get_by_text(re.compile(r"\(custom\) finished: test accuracy"))
    done.wait_for(timeout=120_000)
    run_name = re.search(r"(custom-\S+) \(custom\) finished", done.inner_text())[1]
    assert_no_exception(page)

    open_page(page, f"{server}/Runs", '[data-testid="stDataFrame"]')
    table = poll(lambda: grid_text(page), lambda text: text is not None and run_name in text)  # the runs table's cells
    header = table.split("\n")[0]
    design = json.loads((e2e_runs_dir / run_name / "run.json").read_text())["config"]["design"]
    assert [block["channels"] for block in design["blocks"]] == [48, 64] and design["hidden"] == []
    if "design" in header:  # Runs shows each run's design as text
        assert "c48-max,c64-max,fc10" in table
    assert_no_exception(page)

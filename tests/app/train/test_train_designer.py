"""Train page's network designer: the sliders make the design, every change redraws the table, the
picture and the totals, a design that cannot work says why and cannot start, and a custom design trains."""
from __future__ import annotations

import re

import pytest

from core.runs.checkpoints import read_meta
from core.training.capacity import check_fits
from core.training.design import DesignError
from core.training.design_text import parse
from core.training.models import MODELS, named_design
from core.training.presets import PRESETS
from core.training.walk import TRAINING_FLOPS_PER_MAC, totals
from tests.app.conftest import open_page, registry, wait_for
from ui.train import design_form, form
from ui.train.design_form import BLOCKS_KEY, HEAD_KEY, HIDDEN_KEY, block_key, hidden_key
from ui.resources import speed_probe
from ui.train.form import WIDGETS

TRAIN = "pages/1_Train.py"


# the designer as plain data


@pytest.mark.parametrize("name", list(MODELS))
def test_each_named_design_goes_into_the_widgets_and_comes_back_whole(name):
    design = named_design(name)
    assert design_form.design_from_state(design_form.design_values(design)) == design


def test_choosing_a_model_fills_the_designer_and_a_slider_makes_it_custom():
    state: dict = {}
    form.init_state(state)
    state[WIDGETS["model"]] = "deep_cnn"
    form.apply_model(state)
    assert (state[BLOCKS_KEY], state[block_key(3, "pool_padding")], state[hidden_key(1, "units")]) == (3, 1, 625)
    form.sync_model(state)
    assert state[WIDGETS["model"]] == "deep_cnn"
    state[block_key(1, "channels")] = 48
    form.sync_model(state)
    config = form.build_config(state)
    assert state[WIDGETS["model"]] == config.model == "custom"
    assert config.design == parse("c48-max,c64-max,c128-maxp1,fc625-d0.5,fc10")


def test_a_preset_fills_the_designer_with_its_design():
    state: dict = {}
    form.init_state(state)
    form.apply_preset(state, "fast")
    assert design_form.design_from_state(state) == PRESETS["fast"].design
    assert state[block_key(1, "pool_first")] and state[design_form.INIT_KEY] == "torch"


def test_a_hidden_block_keeps_its_settings_for_when_it_comes_back():
    state: dict = {}
    form.init_state(state)
    state.update({BLOCKS_KEY: 3, block_key(3, "channels"): 96})
    form.remember(state)
    state[BLOCKS_KEY] = 2
    del state[block_key(3, "channels")]  # Streamlit drops the state of a widget it did not draw
    form.remember(state)
    state[BLOCKS_KEY] = 3
    form.init_state(state)
    assert design_form.design_from_state(state).blocks[2].channels == 96


def test_pool_padding_and_pool_first_count_only_where_they_apply():
    state = design_form.design_values(named_design("fast_cnn"))
    state[block_key(1, "pool")] = "none"  # padding 1 or pool-first without a pool would be refused
    state[block_key(1, "pool_padding")] = 1
    block = design_form.design_from_state(state).blocks[0]
    assert (block.pool, block.pool_padding, block.pool_first) == ("none", 0, False)


# the page


def layers(at) -> list[str]:
    """The layer column as shown: each in backticks, so markdown keeps the lecture's -> (no arrow glyph)."""
    shown = list(at.table[0].value["layer"])
    assert all(text.startswith("`") and text.endswith("`") for text in shown)
    return [text.strip("`") for text in shown]


def picture(at) -> str:
    """The network's SVG, as the page sends it."""
    return next(m.value for m in at.markdown if m.value.startswith("<svg") and "network-picture" in m.value)


def shapes(svg: str) -> list[str]:
    return re.findall(r'data-shape="([^"]+)"', svg)


def errors(at) -> str:
    return "\n".join(error.value for error in at.error)


def test_a_channels_slider_redraws_the_table_the_picture_and_the_totals(app_env):
    at = open_page(TRAIN)
    assert "Conv -> (?, 28, 28, 32)" in layers(at) and shapes(picture(at)) == ["1x28x28", "32x14x14", "64x7x7", "10"]
    before = picture(at)
    at.select_slider(key=block_key(1, "channels")).set_value(48).run()
    assert not at.exception
    assert "Conv -> (?, 28, 28, 48)" in layers(at) and "Conv -> (?, 28, 28, 32)" not in layers(at)
    assert shapes(picture(at))[1] == "48x14x14" and picture(at) != before
    assert at.selectbox(key=WIDGETS["model"]).value == "custom"
    total = totals(parse("c48-max,c64-max,fc10"))
    assert "c48-max,c64-max,fc10" in "\n".join(c.value for c in at.caption)
    summary = "\n".join(m.value for m in at.markdown)
    assert f"**{total.parameters:,}** parameters" in summary and total.parameters != 50_186
    assert f"**{TRAINING_FLOPS_PER_MAC * total.macs / 1e6:,.1f} MFLOPs** to train on one image" in summary


def test_blocks_head_and_hidden_layers_change_the_drawing(app_env):
    at = open_page(TRAIN)
    at.slider(key=BLOCKS_KEY).set_value(3).run()
    at.selectbox(key=block_key(3, "pool")).set_value("avg").run()
    at.radio(key=block_key(3, "pool_padding")).set_value(1).run()
    at.radio(key=HEAD_KEY).set_value("gap").run()
    at.slider(key=HIDDEN_KEY).set_value(1).run()
    at.select_slider(key=hidden_key(1, "units")).set_value(256).run()
    at.slider(key=hidden_key(1, "dropout")).set_value(0.25).run()
    assert not at.exception
    assert shapes(picture(at)) == ["1x28x28", "32x14x14", "64x7x7", "64x4x4", "64x1x1", "256", "10"]
    assert layers(at)[-5:] == ["Reshape -> (?, 64)", "FC -> (?, 256)", "ReLU -> (?, 256)", "Dropout -> (?, 256)", "FC -> (?, 10)"]
    assert "GAP -> (?, 1, 1, 64)" in layers(at)
    assert "c32-max,c64-max,c64-avgp1,gap,fc256-d0.25,fc10" in "\n".join(c.value for c in at.caption)


def test_five_pooled_blocks_say_where_the_picture_ran_out_and_cannot_start(app_env):
    at = open_page(TRAIN)
    at.slider(key=BLOCKS_KEY).set_value(5).run()
    for number in range(3, 6):
        at.selectbox(key=block_key(number, "pool")).set_value("max")
    at.run()
    assert not at.exception
    assert "Block 5: the picture is already 1x1, so a 2x2 pooling has nothing to pool" in errors(at)
    assert at.button(key="train_start").disabled and not at.table  # no table of a design that cannot be
    at.selectbox(key=block_key(5, "pool")).set_value("none").run()
    assert not at.error and not at.button(key="train_start").disabled
    assert shapes(picture(at))[-3] == "64x1x1"


def test_a_design_too_large_for_memory_gives_the_capacity_sentence_and_cannot_start(app_env):
    at = open_page(TRAIN)
    at.select_slider(key=WIDGETS["batch_size"]).set_value(1024)
    at.slider(key=BLOCKS_KEY).set_value(5)
    at.slider(key=HIDDEN_KEY).set_value(3).run()  # draws the new blocks' and layers' widgets
    for number in range(1, 6):
        at.select_slider(key=block_key(number, "channels")).set_value(256)
        at.select_slider(key=block_key(number, "kernel")).set_value(7)
        at.selectbox(key=block_key(number, "pool")).set_value("none")
        at.checkbox(key=block_key(number, "batch_norm")).check()
    for number in range(1, 4):
        at.select_slider(key=hidden_key(number, "units")).set_value(2048)
    at.run()
    assert not at.exception
    design = design_form.design_from_state(at.session_state)
    try:
        check_fits(design, 1024)
    except DesignError as error:
        expected = str(error)
    else:
        pytest.skip("this machine has room to train 411 million parameters on batches of 1024 (more than 52 GB free)")
    assert expected[0].upper() + expected[1:] in errors(at) and "GB" in errors(at)
    assert at.button(key="train_start").disabled
    assert at.table  # the design itself is sound: its table still shows where the memory goes


def test_the_time_per_epoch_follows_the_measured_speed(app_env, machine_speed):
    at = open_page(TRAIN)
    speed = speed_probe().speed()
    assert speed == machine_speed and not speed_probe().measuring  # read from the cache file, not measured again
    config = form.build_config(at.session_state)
    estimate = speed.epoch_seconds(config.design, config.batch_size)
    text = "\n".join(m.value for m in at.markdown)
    assert "per epoch** here" in text
    shown = re.search(r"about \*\*(?:(\d+) h )?(?:(\d+) min ?)?(?:([\d.]+) s)? per epoch", text)
    hours, minutes, rest = (float(part or 0) for part in shown.groups())
    seconds = 3600 * hours + 60 * minutes + rest
    assert seconds == pytest.approx(estimate, rel=0.02, abs=0.6) if estimate < 3600 else abs(seconds - estimate) < 60
    assert "measured once on this machine" in "\n".join(c.value for c in at.caption)


def test_a_custom_design_started_from_the_page_trains_and_its_run_keeps_the_design(app_env):
    at = open_page(TRAIN)
    at.select_slider(key=block_key(1, "channels")).set_value(8)
    at.select_slider(key=block_key(2, "channels")).set_value(16)
    at.radio(key=HEAD_KEY).set_value("gap")
    at.slider(key=HIDDEN_KEY).set_value(1).run()
    at.select_slider(key=hidden_key(1, "units")).set_value(32)
    at.slider(key=WIDGETS["epochs"]).set_value(1)
    at.select_slider(key=WIDGETS["batch_size"]).set_value(64)
    at.run()
    at.button(key="train_start").click().run()
    assert not at.exception
    design = parse("c8-max,c16-max,gap,fc32,fc10")  # a new hidden layer starts without dropout
    assert registry().snapshot().config.design == design and registry().snapshot().config.model == "custom"
    final = wait_for(lambda snapshot: snapshot.status == "finished")
    meta = read_meta(final.run_dir)
    assert meta["config"]["model"] == "custom" and meta["config"]["design"] == design.to_dict()
    assert final.run_name.startswith("custom-")

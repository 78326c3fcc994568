"""Lecture page: each step's exported code beside its live result, the lecture's run started from the page,
a saved run's costs beside the lecture's, and accuracy over the test-pixel scale."""
from __future__ import annotations

import pytest

from core.evaluate import lecture_accuracy, predict
from core.export.code import code_cells
from core.lecture import LECTURES
from core.pixel_scale import accuracy_at, first
from core.runs.checkpoints import load_model, read_meta
from core.training.config import TrainConfig
from core.training.network import build
from core.training.walk import walk
from tests.app.conftest import add_run, open_page, registry, wait_for
from ui.lecture.data_step import GRID

PAGE = "pages/0_Lecture.py"


def codes(at) -> list[str]:
    return [block.value for block in at.code]


def test_with_no_runs_each_step_shows_the_exported_code_and_its_result(app_env, tiny_mnist):
    at = open_page(PAGE)
    assert not at.exception
    cells = dict(code_cells(TrainConfig(), "lecture"))
    shown = codes(at)
    for title in ("The dataset", "The network", "Cost, optimizer and schedule", "Training", "Testing"):
        assert any(cells[title] in block for block in shown), title
    assert "\n".join(row.lecture for row in walk(TrainConfig().design)) in shown
    assert str(build(TrainConfig().design)) in shown
    text = "\n".join(m.value for m in at.markdown)
    assert "**512 training images** and **256 test images**" in text and "from **0 to 1**" in text
    [grid] = at.image
    assert list(grid.captions) == [f"label {int(label)}" for label in tiny_mnist.train.labels[:GRID]]
    assert "No saved run of this network yet" in "\n".join(i.value for i in at.info)
    links = {link.proto.page for link in at.main.get("page_link")}
    assert {"Train", "Runs", "Mistakes", "Inside"} <= links


def test_the_sidebar_lists_the_lecture_right_after_home(app_env):
    at = open_page()
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    assert labels[:3] == ["Home", "Lecture", "Train"]


def test_the_deeper_cnn_shows_its_own_code_layers_and_model(app_env):
    at = open_page(PAGE)
    at.segmented_control(key="lecture_network").set_value("deep_cnn").run()
    assert not at.exception
    deep = TrainConfig(model="deep_cnn")
    shown = codes(at)
    assert dict(code_cells(deep, "lecture"))["The network"] in shown
    assert str(build(deep.design)) in shown
    assert any("Conv -> (?, 7, 7, 128)" in block for block in shown)


def test_a_saved_run_shows_costs_beside_the_lectures_and_both_accuracies(app_env, saved_runs, tiny_mnist):
    run_dir = add_run(app_env, saved_runs, "run-a")
    at = open_page(PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    [row] = table.to_dict("records")  # run-a trained 1 epoch
    ours = read_meta(run_dir)["history"][0]["cost"]
    assert row["lecture cost"] == 0.225650638 and row["our cost"] == pytest.approx(ours)
    assert row["difference"] == pytest.approx(ours - 0.225650638)
    [warning] = at.warning
    assert "(epochs 1, batch_size 32, max_batches 2)" in warning.value  # run-a is not the lecture's full run
    model, _ = load_model(run_dir)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Correct (x1)"] == f"{predict(model, tiny_mnist.test).accuracy:.2%}"
    assert metrics["Lecture's way (x255)"] == f"{lecture_accuracy(model, tiny_mnist.test):.2%}"
    assert metrics["Lecture printed"] == "98.66%"
    at.slider(key="lecture_scale_cnn").set_value(100).run()  # not one of the curve's scales: scored on its own
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Test accuracy at x100"] == f"{accuracy_at(model, first(tiny_mnist.test), 100):.2%}"
    chart = at.get("plotly_chart")[-1].proto.spec
    assert '"x":[1,2,4,8,16,32,64,128,255]' in chart.replace(" ", "")


def test_start_trains_the_lectures_run_and_shows_its_costs_live_beside_the_lectures(app_env):
    at = open_page(PAGE)
    at.button(key="lecture_start_cnn").click().run()
    assert not at.exception
    assert registry().snapshot().config == LECTURES["cnn"].config  # the lecture's run: 15 epochs, batch 100, seed 777
    snapshot = wait_for(lambda s: len(s.history) >= 1 or not s.active)
    at.run()
    live = at.dataframe[0].value.to_dict("records") if snapshot.active and at.dataframe else None
    registry().stop()
    wait_for(lambda s: not s.active)
    assert live is not None, "the run ended before the page showed it"
    assert live[0]["lecture cost"] == 0.225650638 and live[0]["our cost"] == pytest.approx(snapshot.history[0]["cost"])
    assert any("Training " in info.value for info in at.info)

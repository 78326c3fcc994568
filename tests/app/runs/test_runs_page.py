"""Runs page: the table (damaged runs included), overlaid curves, a two-run config diff,
choosing the run the other pages use, and deleting only after confirming."""
from __future__ import annotations

import json

import numpy as np
import pytest

from core.explain.inspection import EpochProbabilities
from core.runs import checkpoints
from core.training.design_text import format_design, parse
from core.training.walk import totals
from tests.app.conftest import CUSTOM_DESIGN, add_damaged_run, add_run, open_page
from ui import charts, runs_table
from ui.inside import view
from ui.runs import scatter

RUNS = "pages/2_Runs.py"


@pytest.fixture
def two_runs(app_env, saved_runs):
    """Two real runs that differ in learning rate and seed, plus a damaged one."""
    add_run(app_env, saved_runs, "run-a")
    add_run(app_env, saved_runs, "run-b")
    add_damaged_run(app_env, saved_runs)
    return checkpoints.list_runs(app_env)


# plain data


def test_rows_describe_usable_and_damaged_runs(two_runs):
    rows = {row["name"]: row for row in runs_table.run_rows(two_runs)}
    assert set(rows) == {"run-a", "run-b", "broken-run"}
    assert all(list(row) == list(rows["run-a"]) for row in rows.values())  # one set of columns for the table
    meta = next(run.meta for run in two_runs if run.name == "run-b")
    assert rows["run-b"]["lr"] == 0.01 and rows["run-b"]["epochs"] == "1/1"
    assert rows["run-b"]["test accuracy (%)"] == pytest.approx(round(100 * meta["metrics"]["test_accuracy"], 2))
    assert rows["run-b"]["date"] == runs_table.when(meta["created"]) and rows["run-b"]["date"].endswith("UTC")
    assert rows["broken-run"]["status"] == "damaged" and "model.pt" in rows["broken-run"]["problem"]


def test_test_accuracy_design_and_size_come_first_and_a_damaged_run_does_not_reorder_them(two_runs):
    rows = runs_table.run_rows(sorted(two_runs, key=lambda run: run.damaged is None))  # the damaged run first
    assert list(rows[0])[:6] == ["name", "test accuracy (%)", "dataset", "design", "parameters", "epochs"]
    assert list(rows[0])[-1] == "problem"
    by_name = {row["name"]: row for row in rows}
    assert by_name["run-a"]["design"] == "c32-max,c64-max,fc10" and by_name["run-a"]["parameters"] == 50_186


def test_a_custom_runs_row_has_its_designs_text_and_parameter_count(app_env, custom_run):
    run = checkpoints.inspect_run(add_run(app_env, custom_run.parent, "run-custom"))
    row = runs_table.run_row(run)
    assert row["design"] == CUSTOM_DESIGN == format_design(run.config.design)
    assert row["parameters"] == totals(parse(CUSTOM_DESIGN)).parameters == sum(p.numel() for p in checkpoints.load_model(run.path)[0].parameters())
    assert row["model"] == "custom"


def test_the_diff_lists_only_the_settings_that_differ(two_runs):
    by_name = {run.name: run for run in two_runs}
    diff = runs_table.config_diff(by_name["run-a"], by_name["run-b"])
    assert diff == [
        {"setting": "lr", "run-a": 0.001, "run-b": 0.01},
        {"setting": "seed", "run-a": 777, "run-b": 1},
    ]
    assert runs_table.config_diff(by_name["run-a"], by_name["run-a"]) == []


def test_a_design_diff_is_one_row_of_texts_and_a_line_naming_the_blocks(app_env, saved_runs, custom_run):
    add_run(app_env, saved_runs, "run-a")
    add_run(app_env, custom_run.parent, "run-custom")
    runs = {run.name: run for run in checkpoints.list_runs(app_env)}
    diff = runs_table.config_diff(runs["run-a"], runs["run-custom"])
    assert {"setting": "design", "run-a": "c32-max,c64-max,fc10", "run-custom": CUSTOM_DESIGN} in diff
    assert {"setting": "model", "run-a": "cnn", "run-custom": "custom"} in diff
    assert runs_table.design_difference(runs["run-a"], runs["run-custom"]) == (
        "block 1: channels 32 -> 8, batch norm off -> on; "
        "block 2: channels 64 -> 16, batch norm off -> on, activation relu -> tanh, pool max -> avg; "
        "hidden layer 1: added; head: flatten -> gap"
    )


def test_the_scatters_colour_by_dataset_and_name_each_runs_design_on_hover():
    rows = [
        {"name": "a", "dataset": "MNIST", "design": "c32-max,c64-max,fc10", "parameters": 50_186, "training time (s)": 12.0, "test accuracy (%)": 98.9},
        {"name": "b", "dataset": "Fashion-MNIST", "design": "c8-max,gap,fc10", "parameters": 170, "training time (s)": 3.5, "test accuracy (%)": 61.0},
        {"name": "c", "dataset": "MNIST", "design": "c8-max,gap,fc10", "parameters": 170, "training time (s)": 2.0, "test accuracy (%)": 70.0},
        {"name": "broken", "status": "damaged", "problem": "model.pt is garbage"},
    ]
    by_size = scatter.accuracy_scatter(rows, runs_table.PARAMETERS)
    assert [trace.name for trace in by_size.data] == ["MNIST", "Fashion-MNIST"] and by_size.layout.xaxis.type == "log"
    assert list(by_size.data[0].x) == [50_186, 170] and list(by_size.data[0].y) == [98.9, 70.0]
    assert [list(point) for point in by_size.data[0].customdata] == [["a", "c32-max,c64-max,fc10"], ["c", "c8-max,gap,fc10"]]
    assert "%{customdata[1]}" in by_size.data[0].hovertemplate
    by_time = scatter.accuracy_scatter(rows, runs_table.SECONDS)
    assert list(by_time.data[1].x) == [3.5] and by_time.layout.xaxis.type == "linear"


@pytest.mark.parametrize("last, step", [(1, 1), (3, 1), (15, 1), (16, 2), (40, 5), (1000, 100)])
def test_every_epoch_chart_ticks_whole_epochs_only(last, step):
    history = [{"epoch": epoch, "cost": 1 / epoch, "test_accuracy": 0.5} for epoch in range(1, last + 1)]
    probabilities = EpochProbabilities(list(range(last + 1)), np.full((last + 1, 10), 0.1), {})
    figures = [charts.cost_figure(history, [1.0] * 2 * last, batches=2, epochs=last), charts.accuracy_figure(history),
               charts.overlay_figure({"x": history}, "cost"), view.epochs_figure(probabilities, tuple("0123456789"), 0)]
    for figure in figures:
        axis = figure.layout.xaxis
        assert (axis.tickmode, axis.tick0, axis.dtick, axis.tickformat) == ("linear", 0, step, "d")


def test_overlay_has_one_trace_per_run_in_percent():
    histories = {"x": [{"epoch": 1, "cost": 0.5, "test_accuracy": 0.9}], "y": [{"epoch": 1, "cost": 0.4, "test_accuracy": 0.95}]}
    figure = charts.overlay_figure(histories, "test_accuracy")
    assert [trace.name for trace in figure.data] == ["x", "y"] and list(figure.data[1].y) == [95.0]
    live = charts.cost_figure(histories["x"], batch_costs=[1.0, 0.5, 0.25, 0.2], batches=4)
    assert list(live.data[0].x) == [0.25, 0.5, 0.75, 1.0] and list(live.data[1].y) == [0.5]


# the page


def test_no_runs_says_so(app_env):
    at = open_page(RUNS)
    assert not at.exception
    assert "No saved runs" in at.info[0].value


def test_one_run_is_listed_and_drawn(app_env, saved_runs):
    add_run(app_env, saved_runs, as_name="only-run")
    at = open_page(RUNS)
    assert not at.exception
    assert at.dataframe[0].value["name"].tolist() == ["only-run"]
    assert at.multiselect(key="runs_selected").value == ["only-run"]
    charts = [chart for chart in at.get("plotly_chart") if not chart.key.startswith("runs_inside_")]  # internals: test_live_internals
    assert len(charts) == 4  # accuracy against parameters and time, then cost and accuracy curves


def test_a_damaged_run_is_shown_with_its_reason(app_env, saved_runs):
    add_damaged_run(app_env, saved_runs)
    at = open_page(RUNS)
    assert not at.exception
    assert "broken-run" in at.warning[0].value and "model.pt" in at.warning[0].value
    assert at.multiselect(key="runs_selected").options == []


def test_two_selected_runs_overlay_and_show_their_diff(two_runs):
    at = open_page(RUNS)
    at.multiselect(key="runs_selected").set_value(["run-a", "run-b"]).run()
    assert not at.exception
    cost_chart = at.get("plotly_chart")[0]
    assert '"run-a"' in cost_chart.proto.spec and '"run-b"' in cost_chart.proto.spec
    diff = at.dataframe[1].value
    assert diff["setting"].tolist() == ["lr", "seed"]
    assert not [block for block in at.markdown if "designs differ" in block.value]


def test_the_page_draws_both_scatters_and_a_custom_runs_block_diff(app_env, saved_runs, custom_run):
    add_run(app_env, saved_runs, "run-a")
    add_run(app_env, custom_run.parent, "run-custom")
    at = open_page(RUNS)
    assert not at.exception
    assert at.dataframe[0].value.columns.tolist()[:4] == ["name", "test accuracy (%)", "dataset", "design"]
    pinned = {name for name, config in json.loads(at.dataframe[0].proto.columns).items() if config.get("pinned")}
    assert pinned == {"name", "test accuracy (%)"}
    by_parameters = next(chart for chart in at.get("plotly_chart") if "parameters (log scale)" in chart.proto.spec)
    assert CUSTOM_DESIGN in by_parameters.proto.spec and "run-custom" in by_parameters.proto.spec
    at.multiselect(key="runs_selected").set_value(["run-a", "run-custom"]).run()
    assert not at.exception
    assert "design" in at.dataframe[1].value["setting"].tolist()
    assert any("block 2: channels 64 -> 16" in block.value and "hidden layer 1: added" in block.value for block in at.markdown)


def test_choosing_a_run_sets_it_for_the_other_pages(two_runs):
    at = open_page(RUNS)
    at.selectbox(key="runs_choose").set_value("run-b")
    at.button(key="runs_use").click().run()
    assert at.session_state["chosen_run"] == "run-b"
    assert "In use now: **run-b**" in at.main.caption[-1].value


def test_delete_needs_confirmation_and_cancel_keeps_the_run(two_runs, app_env):
    at = open_page(RUNS)
    at.selectbox(key="runs_delete_name").set_value("run-a").run()
    at.button(key="runs_delete").click().run()
    assert (app_env / "run-a").is_dir() and "run-a" in at.warning[-1].value
    at.button(key="runs_delete_no").click().run()
    assert (app_env / "run-a").is_dir()
    at.button(key="runs_delete").click().run()
    at.button(key="runs_delete_yes").click().run()
    assert not at.exception
    assert not (app_env / "run-a").exists() and (app_env / "run-b").is_dir()
    assert "Deleted run-a." in [success.value for success in at.success]
    assert "run-a" not in at.dataframe[0].value["name"].tolist()


def test_deleting_the_chosen_run_unchooses_it(two_runs, app_env):
    at = open_page(RUNS)
    at.selectbox(key="runs_choose").set_value("run-b")
    at.button(key="runs_use").click().run()
    at.selectbox(key="runs_delete_name").set_value("run-b").run()
    at.button(key="runs_delete").click().run()
    at.button(key="runs_delete_yes").click().run()
    assert not at.exception and at.session_state["chosen_run"] is None

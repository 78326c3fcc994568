"""Runs page: the table (damaged runs included), overlaid curves, a two-run config diff,
choosing the run the other pages use, and deleting only after confirming."""
from __future__ import annotations

import pytest

from core.runs import checkpoints
from tests.app.conftest import add_damaged_run, add_run, open_page
from ui import charts, runs_table

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


def test_the_diff_lists_only_the_settings_that_differ(two_runs):
    by_name = {run.name: run for run in two_runs}
    diff = runs_table.config_diff(by_name["run-a"], by_name["run-b"])
    assert diff == [
        {"setting": "lr", "run-a": 0.001, "run-b": 0.01},
        {"setting": "seed", "run-a": 777, "run-b": 1},
    ]
    assert runs_table.config_diff(by_name["run-a"], by_name["run-a"]) == []


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
    assert len(at.get("plotly_chart")) == 2


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

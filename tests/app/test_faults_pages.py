"""Every page with damaged, hostile and hand-edited runs, broken MNIST files and odd drawings: no exception,
a reason on screen, and a hostile file's code never runs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.app.conftest import add_run, make_run, open_page
from tests.app.draw.test_draw_page import FakeCanvas
from tests.runs.test_faults_checkpoints import DAMAGE, plant_hostile
from tests.data.test_faults_data import FAULTS, faulty_mnist
from tests.data.test_preprocess import SEVEN, canvas
from ui.draw import canvas as canvas_module

PAGES = [None, "pages/0_Lecture.py", "pages/1_Train.py", "pages/2_Runs.py", "pages/3_Mistakes.py", "pages/4_Draw.py", "pages/5_Inside.py",
         "pages/6_Map.py", "pages/7_Sweeps.py", "pages/8_Handwriting.py", "pages/9_Filters.py"]


@pytest.fixture(scope="module")
def deep_run(tmp_path_factory, tiny_mnist) -> Path:
    return make_run(tmp_path_factory.mktemp("deep"), tiny_mnist, "good-deep", model="deep_cnn")


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "hostile-code-ran"


@pytest.fixture
def every_fault(app_env, saved_runs, deep_run, marker, monkeypatch) -> dict[str, list[str]]:
    """One usable run, one run per kind of damage, and a hostile one; run name -> words of its reason."""
    monkeypatch.setattr(canvas_module, "draw_canvas", FakeCanvas(canvas(SEVEN, 60, 40, 180, mode="opaque")))
    add_run(app_env, saved_runs, "run-a", as_name="good-run")
    reasons = {}
    for number, (case, (damage, words)) in enumerate(DAMAGE.items()):
        run_dir = add_run(app_env, saved_runs, "run-a", as_name=f"damaged-{number}")
        damage(run_dir, deep_run)
        reasons[run_dir.name] = words
    plant_hostile(add_run(app_env, saved_runs, "run-a", as_name="hostile-run"), marker)
    reasons["hostile-run"] = ["model.pt", "refused"]
    return reasons


def on_screen(at) -> str:
    """Every message and caption the page shows, its sidebar's included."""
    kinds = ("error", "warning", "info", "caption", "markdown")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(at, kind))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_beside_every_fault_and_gives_each_ones_reason(page, every_fault, marker):
    at = open_page(page)
    assert not at.exception
    shown = on_screen(at)
    for name, words in every_fault.items():  # damaged runs are left out of pickers: each page says which, and why
        reason = next((line for line in shown.splitlines() if line.startswith(f"{name}:")), None)
        assert reason is not None and all(word in reason for word in words), (page, name, reason)
    assert not marker.exists()


def test_the_runs_page_lists_each_damaged_run_with_its_reason(every_fault, marker):
    at = open_page("pages/2_Runs.py")
    assert not at.exception
    warnings = {warning.value.split("**")[1]: warning.value for warning in at.warning}
    assert set(warnings) == set(every_fault)
    for name, words in every_fault.items():
        assert all(word in warnings[name] for word in words), warnings[name]
    rows = {row["name"]: row for row in at.dataframe[0].value.to_dict("records")}
    assert rows["good-run"]["status"] == "finished" and rows["hostile-run"]["status"] == "damaged"
    assert at.multiselect(key="runs_selected").options == ["good-run"]
    assert not marker.exists()


@pytest.mark.parametrize("page", ["pages/3_Mistakes.py", "pages/4_Draw.py", "pages/5_Inside.py", "pages/6_Map.py"])
def test_a_chosen_hostile_run_is_explained_and_never_loaded(page, every_fault, marker):
    at = open_page()
    at.session_state["chosen_run"] = "hostile-run"
    at.switch_page(page).run()
    assert not at.exception
    assert "hostile-run" in at.error[0].value and "refused" in at.error[0].value
    assert at.selectbox(key=f"{page.split('_')[1][:-3].lower()}_run").value == "good-run"
    assert not marker.exists()


def test_hand_edited_and_half_saved_run_json_still_render(app_env, saved_runs):
    """run.json without history or metrics, and one a kill left an epoch behind its weights."""
    bare = add_run(app_env, saved_runs, "run-a", as_name="bare-json")
    meta = json.loads((bare / "run.json").read_text())
    (bare / "run.json").write_text(json.dumps({"config": meta["config"], "metrics": [], "created": 5}))
    behind = add_run(app_env, saved_runs, "run-b", as_name="behind-json")
    (behind / "run.json").write_text(json.dumps({**meta, "config": json.loads((behind / "run.json").read_text())["config"],
                                                 "history": [], "metrics": {"epochs_done": 0}}))
    at = open_page("pages/2_Runs.py")
    at.multiselect(key="runs_selected").set_value(["bare-json", "behind-json"]).run()
    assert not at.exception and not at.warning
    rows = {row["name"]: row for row in at.dataframe[0].value.to_dict("records")}
    assert rows["bare-json"]["epochs"] == rows["behind-json"]["epochs"] == "1/1"
    assert rows["bare-json"]["test accuracy (%)"] == round(100 * meta["history"][-1]["test_accuracy"], 2)


@pytest.mark.parametrize("case", ["a file missing", "truncated gzip", "checksum differs", "labels not digits"])
def test_the_home_page_shows_each_dataset_fault_with_its_fix(case, app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(faulty_mnist(tmp_path, case)))
    at = open_page()
    assert not at.exception
    [error] = at.error
    assert all(word in error.value for word in FAULTS[case][1])
    assert at.button(key="home_download_mnist")


ODD_DRAWINGS = {
    "a single dot": (canvas([((0.5, 0.5), (0.5, 0.5))], 140, 140, 1, width=8, mode="opaque"), None),
    "strokes touching every edge": (canvas([((0, 0), (1, 1)), ((0, 1), (1, 0))], 0, 0, 279, width=20, mode="opaque"), None),
    "a frame along the edges": (canvas([((0, 0), (1, 0)), ((1, 0), (1, 1)), ((1, 1), (0, 1)), ((0, 1), (0, 0))],
                                       0, 0, 279, width=12, mode="opaque"), None),
    "fully filled": (np.full((280, 280, 4), 255, np.uint8), "mostly ink"),
    "filled but transparent": (np.dstack([np.full((280, 280, 3), 255, np.uint8), np.zeros((280, 280), np.uint8)]), "empty"),
    "empty, opaque black": (canvas([], 0, 0, 0, mode="opaque"), "empty"),
}


@pytest.mark.parametrize("name", list(ODD_DRAWINGS))
def test_odd_drawings_never_raise_and_non_digits_get_a_prompt(name, app_env, saved_runs, monkeypatch):
    pixels, prompt = ODD_DRAWINGS[name]
    monkeypatch.setattr(canvas_module, "draw_canvas", FakeCanvas(pixels))
    add_run(app_env, saved_runs, "run-a")
    at = open_page("pages/4_Draw.py")
    assert not at.exception
    if prompt is None:
        assert at.metric[0].label == "Prediction" and len(at.image) == 1
    else:
        assert prompt in at.info[0].value and not at.metric and not at.image


def test_a_forged_delete_request_outside_the_folder_is_refused(app_env, saved_runs, tmp_path):
    outside = tmp_path / "outside"
    shutil.copytree(saved_runs / "run-a", outside)
    add_run(app_env, saved_runs, "run-a")
    at = open_page("pages/2_Runs.py")
    at.session_state["runs_confirm_delete"] = "../outside"  # as if a widget had been tampered with
    at.run()
    at.button(key="runs_delete_yes").click().run()
    assert not at.exception
    assert (outside / "model.pt").is_file() and (app_env / "run-a" / "model.pt").is_file()
    assert "not a run folder" in at.error[0].value


def test_a_run_damaged_while_the_app_runs_is_noted_at_the_next_rerun(app_env, saved_runs):
    run_dir = add_run(app_env, saved_runs, "run-a", as_name="soon-broken")
    at = open_page("pages/1_Train.py")
    assert "soon-broken:" not in on_screen(at)
    (run_dir / "model.pt").write_bytes(b"")
    at.run()
    assert "soon-broken: model.pt is empty" in on_screen(at) and "1 saved run cannot be used" in at.sidebar.expander[0].label

"""Filters page, the Inside page's attack panel and Runs' robustness, on real tiny runs (AppTest)."""
from __future__ import annotations

import shutil
import time

import pytest
import torch

from core.explain import attacks, filter_views, robustness
from core.map.maps import epoch_model
from tests.app.conftest import add_run, open_page
from tests.explain.inside_run import EPOCHS, trained_run
from ui import resources

FILTERS, INSIDE, RUNS = "pages/9_Filters.py", "pages/5_Inside.py", "pages/2_Runs.py"


def texts(at) -> str:
    kinds = ("markdown", "caption", "warning", "info", "error", "subheader", "success")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(at, kind))


def wait_until(at, done, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done(at):
            return at
        time.sleep(0.3)
        at.run()
    raise AssertionError(texts(at))


@pytest.fixture
def run_dir(app_env, tiny_mnist_dir, monkeypatch):
    monkeypatch.setattr(filter_views.feature_vis, "STEPS", 32)
    return trained_run(tiny_mnist_dir, app_env)


def test_the_filters_page_computes_in_the_background_then_shows_each_channel(run_dir, tiny_mnist):
    at = open_page(FILTERS)
    assert not at.exception, at.exception
    assert at.selectbox(key="filters_block").options == ["layer1", "layer2"]
    assert at.select_slider(key="filters_epoch").options == [str(epoch) for epoch in range(EPOCHS + 1)]
    at = wait_until(at, lambda at: any("wants to see" in str(image.captions) for image in at.image))
    assert not at.exception, at.exception
    at.number_input(key="filters_channel").set_value(5).run()
    views = filter_views.cached_views(run_dir, EPOCHS, "layer1", tiny_mnist.test)
    captions = [caption for image in at.image for caption in image.captions]
    shown = [int(caption.split()[0][1:]) for caption in captions if caption.startswith("#")]
    assert shown == views.top.indices[5].tolist()  # the brute-force-checked top 9 of channel 5
    # another epoch: its own file, computed in the background too
    at.select_slider(key="filters_epoch").set_value("0").run()
    at = wait_until(at, lambda at: filter_views.cache_path(run_dir, "layer1", 0).is_file() and not at.get("progress"))
    assert not at.exception


def test_a_run_without_epoch_files_shows_its_last_epoch_only(run_dir):
    shutil.rmtree(run_dir / "epochs")
    at = open_page(FILTERS)
    assert not at.exception, at.exception
    assert "only its last epoch" in texts(at)
    assert not at.get("select_slider")


def test_the_attack_panel_fools_the_network_and_shows_the_new_prediction(run_dir, tiny_mnist):
    at = open_page(INSIDE)
    assert not at.exception, at.exception
    model = epoch_model(run_dir, EPOCHS)
    image = tiny_mnist.test.images[:1]
    at.slider(key="inside_attack_eps").set_value(0.0).run()
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Prediction after the attack"] == metrics["Prediction"]  # eps 0: the original prediction
    at.radio(key="inside_attack_method").set_value("pgd")
    at.slider(key="inside_attack_eps").set_value(0.5).run()
    expected = attacks.attack(model, image, "pgd", 0.5)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Prediction after the attack"] == str(int(expected.after.argmax()))
    # targeted: the smallest eps that makes it read as the target, and the attacked image's insides
    target = (int(expected.before.argmax()) + 1) % 10
    at.selectbox(key="inside_attack_target").set_value(target).run()
    at.button(key="inside_attack_smallest").click().run()
    assert not at.exception, at.exception
    assert f"reads as {target}" in texts(at)
    at.toggle(key="inside_attack_look").set_value(True).run()
    assert not at.exception and "The fooled network reads it as" in texts(at)


def test_runs_shows_robustness_as_a_column_and_a_chart(app_env, saved_runs, monkeypatch):
    monkeypatch.setattr(robustness, "IMAGES", 64)
    add_run(app_env, saved_runs, "run-a")
    at = open_page(RUNS)
    assert not at.exception, at.exception
    at.button(key="runs_robustness_measure").click().run()
    # the robustness chart, by its key, once it is measured (the page has several other charts)
    at = wait_until(at, lambda at: any("runs_robustness_chart" in chart.proto.id for chart in at.get("plotly_chart")), timeout=180.0)  # seconds alone; minutes on a loaded CI
    table = at.dataframe[0].value
    curve = robustness.cached_robustness(app_env / "run-a", resources.run_dataset(app_env / "run-a").test)
    assert table["accuracy at eps 0.1, PGD (%)"].tolist() == [round(100 * curve.at(0.1)["pgd"], 1)]

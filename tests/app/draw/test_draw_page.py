"""Draw page: the canvas is patched (AppTest cannot draw), so these check what the page does with its pixels.

`ui.draw.canvas.draw_canvas` is replaced with monkeypatch before the page runs; the page
calls it through the module (`canvas.draw_canvas`), so the fake is what it gets.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from core.runs import checkpoints
from core.evaluate import predict_digit
from core.data.preprocess import canvas_to_tensor
from tests.app.conftest import add_damaged_run, add_run, open_page
from tests.data.test_preprocess import SEVEN, canvas
from ui.draw import canvas as canvas_module

DRAW = "pages/4_Draw.py"


class FakeCanvas:
    """Stands in for the canvas widget: returns fixed pixels and records each call."""

    def __init__(self, pixels: np.ndarray | None) -> None:
        self.pixels = pixels
        self.calls: list[tuple[int, str]] = []

    def __call__(self, stroke_width: int, key: str) -> np.ndarray | None:
        self.calls.append((stroke_width, key))
        return self.pixels


@pytest.fixture
def drawn(monkeypatch):
    """Patch the canvas to return `pixels`; gives back the fake."""

    def patch(pixels: np.ndarray | None) -> FakeCanvas:
        fake = FakeCanvas(pixels)
        monkeypatch.setattr(canvas_module, "draw_canvas", fake)
        return fake

    return patch


def prompts(at) -> str:
    return "\n".join(e.value for e in at.info)


def test_no_runs_says_so_and_links_to_train(app_env, drawn):
    drawn(None)
    at = open_page(DRAW)
    assert not at.exception
    assert "no saved runs" in prompts(at)
    assert [link.proto.label for link in at.main.get("page_link")] == ["Train a model"]


def shown_bars(at) -> list[float]:
    """The probabilities the page's bars were drawn from (their data-probabilities attribute)."""
    [bars] = [element.proto.body for element in at.get("html") if "data-probabilities" in element.proto.body]
    return [float(value) for value in re.search(r'data-probabilities="([^"]+)"', bars).group(1).split(",")]


def test_a_drawn_digit_gets_the_models_prediction_and_the_28x28_view(app_env, saved_runs, drawn):
    run_dir = add_run(app_env, saved_runs, "run-a")
    pixels = canvas(SEVEN, 60, 40, 180, mode="opaque")
    drawn(pixels)
    at = open_page(DRAW)
    assert not at.exception
    model, _ = checkpoints.load_model(run_dir)
    expected = predict_digit(model, canvas_to_tensor(pixels))
    [metric] = at.metric
    assert metric.label == "Prediction" and metric.value == str(int(expected.argmax()))
    assert shown_bars(at) == pytest.approx(expected.tolist(), abs=1e-6) and len(at.image) == 1
    assert f"{float(expected.max()):.0%} sure" in [c.value for c in at.caption]


@pytest.mark.parametrize(
    "pixels, words",
    [
        (None, "Draw a digit"),  # before the first stroke the canvas gives None
        (np.zeros((280, 280, 4), np.uint8), "empty"),
        (np.full((280, 280, 4), 255, np.uint8), "mostly ink"),
    ],
)
def test_no_digit_gets_a_prompt_not_a_prediction(app_env, saved_runs, drawn, pixels, words):
    add_run(app_env, saved_runs, "run-a")
    drawn(pixels)
    at = open_page(DRAW)
    assert not at.exception
    assert words in prompts(at)
    assert not at.metric and not at.image


def test_stroke_width_reaches_the_canvas(app_env, saved_runs, drawn):
    add_run(app_env, saved_runs, "run-a")
    fake = drawn(canvas(SEVEN, 60, 40, 180, mode="opaque"))
    at = open_page(DRAW)
    at.slider(key="draw_stroke_width").set_value(30).run()
    assert not at.exception
    assert fake.calls[-1][0] == 30


def test_a_run_not_trained_on_digits_says_so_instead_of_predicting(app_env, saved_runs, drawn):
    run_dir = add_run(app_env, saved_runs, "run-a")
    meta = json.loads((run_dir / "run.json").read_text())
    meta["config"]["dataset"] = "fashion-mnist"
    (run_dir / "run.json").write_text(json.dumps(meta))
    fake = drawn(canvas(SEVEN, 60, 40, 180, mode="opaque"))
    at = open_page(DRAW)
    assert not at.exception
    assert "not on digits" in prompts(at) and "Fashion-MNIST" in prompts(at)
    assert not at.metric and fake.calls == []


def test_a_damaged_run_alone_is_explained(app_env, saved_runs, drawn):
    add_damaged_run(app_env, saved_runs)
    drawn(None)
    at = open_page(DRAW)
    assert not at.exception
    assert "Every saved run is damaged" in prompts(at)


def test_a_chosen_damaged_run_is_explained_and_a_usable_one_used(app_env, saved_runs, drawn):
    add_run(app_env, saved_runs, "run-a", as_name="good-run")
    add_damaged_run(app_env, saved_runs)
    drawn(canvas(SEVEN, 60, 40, 180, mode="opaque"))
    at = open_page()
    at.session_state["chosen_run"] = "broken-run"
    at.switch_page(DRAW).run()
    assert not at.exception
    assert "cannot be used" in at.error[0].value
    assert at.selectbox(key="draw_run").value == "good-run"
    assert at.metric[0].label == "Prediction"


def test_a_fashion_mnist_run_is_refused_with_the_reason(app_env, tiny_fashion, drawn):
    from tests.app.conftest import make_run

    make_run(app_env, tiny_fashion, "fashion-run", dataset="fashion-mnist")
    fake = drawn(canvas(SEVEN, 60, 40, 180, mode="opaque"))
    at = open_page(DRAW)
    assert not at.exception and not at.metric and not fake.calls  # no canvas, no prediction
    [message] = at.info
    assert "Fashion-MNIST" in message.value and "not on digits" in message.value and "trained on MNIST" in message.value

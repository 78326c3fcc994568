"""A custom design (batch norm, tanh, avg pool, global average pooling, a hidden layer with dropout),
trained for real on the tiny digits, on every page that reads a run: each opens without exception
and shows the design's own blocks."""
from __future__ import annotations

import json

import numpy as np
import pytest

from core.data.preprocess import canvas_to_tensor
from core.evaluate import predict, predict_digit
from core.runs import checkpoints
from tests.app.conftest import CUSTOM_DESIGN, add_run, open_page
from tests.app.inside.test_inside_page import open_inside, picture_titles
from tests.data.test_preprocess import SEVEN, canvas
from ui.draw import canvas as canvas_module

NETWORK = f"Its network: `{CUSTOM_DESIGN}`: 2 conv blocks, global average pooling, 1 hidden layer"


@pytest.fixture
def run_dir(app_env, custom_run):
    return add_run(app_env, custom_run.parent, "run-custom")


def captions(at) -> str:
    return "\n".join(caption.value for caption in at.caption)


def test_inside_lists_the_designs_blocks_in_its_own_words(run_dir):
    at = open_inside(run="run-custom", test="3")
    assert not at.exception
    assert NETWORK in captions(at)
    titles = picture_titles(at)
    for title in ("layer1: convolution", "layer1: after batch norm + ReLU + max pool",
                  "layer2: convolution", "layer2: after batch norm + tanh + avg pool", "The first layer's 8 filters (3×3 weights)"):
        assert any(shown.startswith(title) for shown in titles), title
    assert any(shown.startswith("layer2: after batch norm + tanh + avg pool · 16×7×7") for shown in titles)
    assert at.selectbox(key="inside_layer").options == ["layer1: convolution", "layer1: after batch norm + ReLU + max pool",
                                                        "layer2: convolution", "layer2: after batch norm + tanh + avg pool"]
    at.selectbox(key="inside_layer").set_value("layer1.0").run()  # Grad-CAM at the first conv
    assert not at.exception and "Grad-CAM at layer1.0" in captions(at)


def test_map_places_every_test_image(run_dir, tiny_mnist):
    at = open_page("pages/6_Map.py")
    assert not at.exception, at.exception
    assert NETWORK in captions(at)
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert sorted(i for trace in traces for i in trace.get("customdata", [])) == list(range(len(tiny_mnist.test)))


def test_mistakes_scores_the_custom_network(run_dir, tiny_mnist):
    expected = predict(checkpoints.load_model(run_dir)[0], tiny_mnist.test)
    at = open_page("pages/3_Mistakes.py")
    assert not at.exception
    assert NETWORK in captions(at)
    assert at.metric[0].value == f"{expected.accuracy:.2%}"


def test_draw_predicts_with_the_custom_network(run_dir, monkeypatch):
    pixels = canvas(SEVEN, 60, 40, 180, mode="opaque")
    monkeypatch.setattr(canvas_module, "draw_canvas", lambda stroke_width, key: pixels)
    at = open_page("pages/4_Draw.py")
    assert not at.exception
    assert NETWORK in captions(at)
    expected = predict_digit(checkpoints.load_model(run_dir)[0], canvas_to_tensor(pixels))
    assert at.metric[0].value == str(int(np.argmax(expected)))

"""Inside page: a test image, a drawing, a run without epoch files and a damaged epoch file, each
drawn from a real saved run; the numbers shown are checked against the models themselves."""
from __future__ import annotations

import html
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from core.runs.epochs import epoch_path, load_epoch_model
from core.evaluate import predict_digit
from core.data.preprocess import canvas_to_tensor
from tests.app.conftest import APP, TIMEOUT, make_run
from tests.data.test_preprocess import SEVEN, canvas
from ui.inside_state import encode_drawing

INSIDE = "pages/5_Inside.py"
EPOCHS = 2


@pytest.fixture(scope="module")
def epoch_run(tmp_path_factory, tiny_mnist):
    """A 2-epoch run with every epoch's weights, trained once for this module."""
    return make_run(tmp_path_factory.mktemp("inside-runs"), tiny_mnist, "inside-run", epochs=EPOCHS)


@pytest.fixture
def run_dir(app_env, epoch_run):
    return shutil.copytree(epoch_run, app_env / epoch_run.name)


def open_inside(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(INSIDE)
    at.query_params.update(params)
    return at.run()


def picture_titles(at) -> list[str]:
    """The titles of the heatmap pictures (feature maps, filters, attributions), each an HTML block."""
    blocks = [element.proto.body for element in at.get("html")]
    return [html.unescape(title) for body in blocks for title in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", body)]


def texts(at) -> str:
    kinds = ("markdown", "caption", "warning", "info", "error", "subheader")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(at, kind))


def test_a_test_image_by_index_shows_every_part(run_dir, tiny_mnist):
    at = open_inside(run=run_dir.name, test="5")
    assert not at.exception
    assert at.number_input(key="inside_index").value == 5
    assert "test image 5" in at.image[0].captions[0]
    assert at.select_slider(key="inside_epoch").options == [str(k) for k in range(EPOCHS + 1)]
    titles = picture_titles(at)
    for layer in ("layer1: convolution", "layer1: after ReLU + max pool", "layer2: convolution", "layer2: after ReLU + max pool"):
        assert any(title.startswith(layer) for title in titles), layer
    assert {"Saliency", "Integrated Gradients", "Occlusion", "Grad-CAM"} <= set(titles)
    expected = predict_digit(load_epoch_model(run_dir, EPOCHS), tiny_mnist.test.images[5:6])
    assert at.metric[0].value == str(int(expected.argmax()))
    shown = next(re.search(r'data-probabilities="([^"]+)"', block.proto.body) for block in at.get("html") if "data-probabilities" in block.proto.body)
    assert [float(value) for value in shown.group(1).split(",")] == pytest.approx(expected.tolist(), abs=1e-5)
    # the epoch slider redraws: epoch 0's prediction is the untrained model's
    at.select_slider(key="inside_epoch").set_value(0).run()
    untrained = predict_digit(load_epoch_model(run_dir, 0), tiny_mnist.test.images[5:6])
    assert not at.exception and at.metric[0].value == str(int(untrained.argmax()))
    # another image: its caption, and the URL now names it (a reload or a copied link shows the same)
    at.number_input(key="inside_index").set_value(6).run()
    assert not at.exception and "test image 6" in at.image[0].captions[0]
    assert at.query_params["test"] == "6" and at.query_params["run"] == run_dir.name


def test_a_drawing_sent_from_draw_is_shown(run_dir):
    image = canvas_to_tensor(canvas(SEVEN, 60, 40, 180, mode="opaque"))
    at = open_inside(run=run_dir.name, drawing=encode_drawing(image))
    assert not at.exception
    assert at.radio(key="inside_source").value == "Drawing"
    assert "your drawing" in at.image[0].captions[0]
    expected = predict_digit(load_epoch_model(run_dir, EPOCHS), image)
    assert at.metric[0].value == str(int(expected.argmax()))


def test_a_run_saved_before_epoch_files_shows_its_last_epoch(run_dir):
    shutil.rmtree(run_dir / "epochs")
    at = open_inside(run=run_dir.name, test="0")
    assert not at.exception
    assert "only its last epoch (2) is shown" in texts(at)
    assert not at.select_slider and "Grad-CAM" in picture_titles(at)


def test_a_damaged_epoch_file_is_greyed_out_with_its_reason(run_dir):
    epoch_path(run_dir, 1).write_bytes(b"this is not a checkpoint")
    at = open_inside(run=run_dir.name, test="0")
    assert not at.exception
    assert "(unavailable)" in at.select_slider(key="inside_epoch").proto.options[1]
    assert "Epoch 1" in texts(at) and "epoch-001.pt" in texts(at)
    at.select_slider(key="inside_epoch").set_value(1).run()
    assert not at.exception
    assert "Epoch 1 cannot be shown" in texts(at)
    assert picture_titles(at) == []  # no feature maps or attributions for an epoch that cannot be read
    assert len(at.get("plotly_chart")) == 1  # the all-epochs chart

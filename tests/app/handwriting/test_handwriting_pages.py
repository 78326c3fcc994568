"""My handwriting in the pages: saving from Draw (and its faults), the Handwriting page's grid and matrix, Runs' column, Train's switch.

The canvas is patched (AppTest cannot draw); the set lives in a temp folder through $MNIST_HANDWRITING_DIR.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from core.data import handwriting
from core.runs import checkpoints
from core.data.preprocess import canvas_to_tensor
from tests.app.conftest import add_run, open_page
from tests.app.draw.test_draw_page import FakeCanvas
from tests.data.test_preprocess import SEVEN, canvas
from ui.draw import canvas as canvas_module

DRAW, HANDWRITING, RUNS, TRAIN = "pages/4_Draw.py", "pages/8_Handwriting.py", "pages/2_Runs.py", "pages/1_Train.py"


@pytest.fixture
def set_folder(tmp_path, monkeypatch):
    folder = tmp_path / "my-handwriting"
    monkeypatch.setenv(handwriting.ENV_VAR, str(folder))
    return folder


def draw(monkeypatch, pixels) -> FakeCanvas:
    fake = FakeCanvas(pixels)
    monkeypatch.setattr(canvas_module, "draw_canvas", fake)
    return fake


def seven_pixels() -> np.ndarray:
    return canvas(SEVEN, 60, 40, 180, mode="opaque")


def messages(at, kind: str) -> str:
    return "\n".join(element.value for element in getattr(at, kind))


def test_saving_a_labelled_drawing_stores_what_the_model_saw_and_clears_the_canvas(app_env, saved_runs, set_folder, monkeypatch):
    add_run(app_env, saved_runs, "run-a")
    fake = draw(monkeypatch, seven_pixels())
    at = open_page(DRAW)
    first_key = fake.calls[-1][1]
    at.selectbox(key="draw_label").set_value(7).run()
    at.button(key="draw_save").click().run()
    assert not at.exception
    assert "Saved as a 7" in messages(at, "success")
    [saved] = handwriting.list_drawings(set_folder)
    assert saved.label == 7 and saved.canvas_path is not None
    expected = (canvas_to_tensor(seven_pixels())[0, 0].numpy() * 255).round().astype(np.uint8)
    assert np.array_equal(saved.seen, expected)
    assert fake.calls[-1][1] != first_key  # a fresh canvas for the next digit
    assert "reads **" in messages(at, "caption")  # the run's score on the set, shown on Draw


@pytest.mark.parametrize("pixels, label, words", [
    (seven_pixels(), None, "Choose which digit"),  # no label
    (None, 3, "canvas is empty"),  # nothing drawn yet
    (np.zeros((280, 280, 4), np.uint8), 3, "canvas is empty"),  # drawn, then cleared
])
def test_saving_without_a_label_or_a_drawing_says_why_and_saves_nothing(app_env, saved_runs, set_folder, monkeypatch,
                                                                         pixels, label, words):
    add_run(app_env, saved_runs, "run-a")
    draw(monkeypatch, pixels)
    at = open_page(DRAW)
    if label is not None:
        at.selectbox(key="draw_label").set_value(label).run()
    at.button(key="draw_save").click().run()
    assert not at.exception
    assert words in messages(at, "error")
    assert handwriting.list_drawings(set_folder) == []


def test_a_set_folder_that_cannot_be_written_is_explained(app_env, saved_runs, monkeypatch):
    # /sys refuses new folders even to root (EPERM), so this is a real unwritable folder wherever tests run
    monkeypatch.setenv(handwriting.ENV_VAR, "/sys/my-handwriting")
    add_run(app_env, saved_runs, "run-a")
    draw(monkeypatch, seven_pixels())
    at = open_page(DRAW)
    at.selectbox(key="draw_label").set_value(7).run()
    at.button(key="draw_save").click().run()
    assert not at.exception
    assert "read-only" in messages(at, "error") and handwriting.ENV_VAR in messages(at, "error")


def test_the_handwriting_page_scores_the_set_shows_it_by_digit_and_deletes(app_env, saved_runs, set_folder, monkeypatch):
    add_run(app_env, saved_runs, "run-a")
    image = canvas_to_tensor(seven_pixels())
    for label in (7, 7, 1):
        handwriting.save(set_folder, label, image)
    at = open_page(HANDWRITING)
    assert not at.exception
    assert at.metric[0].label.startswith("run-a reads your handwriting")
    assert at.get("plotly_chart")  # the set's confusion matrix
    assert len(at.image) == 3
    first = handwriting.list_drawings(set_folder)[0].name
    at.button(key=f"handwriting_delete_{first}").click().run()
    assert not at.exception
    assert [drawing.name for drawing in handwriting.list_drawings(set_folder)].count(first) == 0
    assert len(at.image) == 2


def test_runs_show_each_runs_accuracy_on_the_set(app_env, saved_runs, set_folder, monkeypatch):
    run_dir = add_run(app_env, saved_runs, "run-a")
    image = canvas_to_tensor(seven_pixels())
    model, _ = checkpoints.load_model(run_dir)
    with torch.no_grad():
        read_as = int(model(image).argmax())  # what the run makes of this drawing, asked directly
    # two drawings it reads right and one it reads wrong: 66.7%, which neither "all right", "all wrong"
    # nor the share of mistakes (33.3%) can give
    for label in (read_as, read_as, (read_as + 1) % 10):
        handwriting.save(set_folder, label, image)
    at = open_page(RUNS)
    assert not at.exception
    table = at.dataframe[0].value
    [score] = table["my handwriting (%)"].tolist()
    assert score == 66.7


def test_the_train_page_switch_puts_the_set_in_the_config(app_env, set_folder):
    at = open_page(TRAIN)
    assert at.checkbox(key="train_handwriting").disabled  # nothing to learn from yet
    handwriting.save(set_folder, 7, canvas_to_tensor(seven_pixels()))
    at = open_page(TRAIN)
    at.checkbox(key="train_handwriting").check().run()
    assert not at.exception
    from ui.train import form

    assert form.build_config(at.session_state).handwriting is True


def test_import_without_a_file_says_so_and_the_set_is_kept(app_env, saved_runs, set_folder):
    handwriting.save(set_folder, 7, canvas_to_tensor(seven_pixels()))
    at = open_page(HANDWRITING)
    at.button(key="handwriting_import").click().run()  # no file chosen
    assert not at.exception
    assert "Choose a zip file" in messages(at, "error")
    assert len(handwriting.list_drawings(set_folder)) == 1

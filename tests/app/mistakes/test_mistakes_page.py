"""Mistakes page: renders with no, one and damaged runs; accuracy, filters, paging and the cached table are right."""
from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
import torch

from core.data import loading as data

from core.runs import checkpoints
from core.evaluate import predict
from tests.app.conftest import add_damaged_run, add_run, open_page
from ui import mistakes_view
from ui.mistakes import scoring

MISTAKES = "pages/3_Mistakes.py"
PAGE_SIZE = 24  # the page's grid size


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "info", "error", "caption") for e in getattr(at, kind))


def shown_labels(at) -> list[tuple[int, int]]:
    """(true, predicted) from each grid image's caption."""
    captions = [caption for image in at.image for caption in image.captions]
    return [tuple(map(int, re.match(r"true (\d) → predicted (\d)", c).groups())) for c in captions]


def heatmap_values(at) -> np.ndarray:
    """The heatmap's z as plotly serialised it (a base64 typed array, or plain lists)."""
    z = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["z"]
    if isinstance(z, dict):
        shape = [int(side) for side in str(z["shape"]).split(",")]
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(shape)
    return np.array(z)


@pytest.fixture
def one_run(app_env, saved_runs, tiny_mnist):
    """A barely trained run (many mistakes) and its predictions, computed here as the oracle."""
    run_dir = add_run(app_env, saved_runs, "run-a")
    model, _ = checkpoints.load_model(run_dir)
    return run_dir, predict(model, tiny_mnist.test)


def test_no_runs_says_so_and_links_to_train(app_env):
    at = open_page(MISTAKES)
    assert not at.exception
    assert "no saved runs" in texts(at)
    assert [link.proto.label for link in at.main.get("page_link")] == ["Train a model"]


def counted_by_hand(run_dir, test) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(matrix, true, predicted, loss) from the run's model run directly, apart from core.evaluate's table."""
    model, _ = checkpoints.load_model(run_dir)
    with torch.no_grad():
        scores = model(test.images)
    true, guess = test.labels.numpy(), scores.argmax(1).numpy()
    loss = torch.nn.functional.cross_entropy(scores, test.labels, reduction="none").numpy()
    matrix = np.zeros((10, 10), dtype=np.int64)
    for row, column in zip(true, guess):
        matrix[row, column] += 1  # row: the true digit
    return matrix, true, guess, loss


def test_one_run_shows_accuracy_matrix_pairs_and_the_worst_mistakes_first(one_run, tiny_mnist):
    matrix, true, guess, loss = counted_by_hand(one_run[0], tiny_mnist.test)
    assert not np.array_equal(matrix, matrix.T), "a transposed matrix must look different here"
    at = open_page(MISTAKES)
    assert not at.exception
    assert at.metric[0].value == f"{(true == guess).mean():.2%}"
    assert np.array_equal(heatmap_values(at), matrix)
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    largest = sorted((count for count in off.flatten() if count), reverse=True)[:10]
    pairs = at.dataframe[0].value
    assert list(pairs["images"]) == largest and largest[0] > largest[-1]  # largest first, and the order tells
    assert pairs["true → predicted"][0] in {f"{row} → {column}" for row, column in zip(*np.nonzero(off == off.max()))}
    wrong = np.flatnonzero(true != guess)
    worst = wrong[np.argsort(-loss[wrong], kind="stable")][:PAGE_SIZE]
    assert shown_labels(at) == [(int(true[i]), int(guess[i])) for i in worst]


def test_normalised_matrix_rows_are_shares_of_each_true_digit(one_run):
    at = open_page(MISTAKES)
    at.toggle(key="mistakes_normalised").set_value(True).run()
    z = heatmap_values(at)
    assert np.allclose(z.sum(1)[z.sum(1) > 0], 1)


@pytest.mark.parametrize("digit", [1, 7])
def test_filter_by_true_digit_shows_only_that_digit(one_run, digit):
    _, expected = one_run
    at = open_page(MISTAKES)
    at.selectbox(key="mistakes_true").set_value(digit).run()
    assert not at.exception
    labels = shown_labels(at)
    assert len(labels) == min(PAGE_SIZE, len(expected.mistakes(true=digit)))
    assert all(true == digit and predicted != digit for true, predicted in labels)


def test_filter_by_both_digits_and_an_empty_filter(one_run):
    _, expected = one_run
    true, predicted, count = expected.most_confused(1)[0]
    at = open_page(MISTAKES)
    at.selectbox(key="mistakes_true").set_value(true)
    at.selectbox(key="mistakes_predicted").set_value(predicted).run()
    assert shown_labels(at) == [(true, predicted)] * min(PAGE_SIZE, count)
    at.selectbox(key="mistakes_predicted").set_value(true).run()  # a digit is never its own mistake
    assert shown_labels(at) == [] and "No mistakes match" in texts(at)


def test_paging_walks_through_all_mistakes_and_the_table_is_scored_once(one_run, monkeypatch):
    _, expected = one_run
    calls = []
    monkeypatch.setattr(scoring, "predict", lambda *args: calls.append(1) or predict(*args))
    at = open_page(MISTAKES)
    total = len(expected.mistakes())
    assert total > PAGE_SIZE, "the weak run should make more than a page of mistakes"
    seen = []
    for page in range(1, -(-total // PAGE_SIZE) + 1):
        at.number_input(key="mistakes_page").set_value(page).run()
        seen += shown_labels(at)
    assert seen == [(int(expected.targets[i]), int(expected.predicted[i])) for i in expected.mistakes()]
    assert len(calls) == 1


def test_clicking_a_matrix_cell_means_that_true_and_predicted_pair():
    selection = {"selection": {"points": [{"x": 5, "y": 3, "curve_number": 1}], "point_indices": [35]}}
    assert mistakes_view.selected_cell(selection) == (3, 5)
    assert mistakes_view.selected_cell({"selection": {"points": []}}) is None
    assert mistakes_view.selected_cell(None) is None


def test_a_damaged_run_alone_is_explained(app_env, saved_runs):
    add_damaged_run(app_env, saved_runs)
    at = open_page(MISTAKES)
    assert not at.exception
    assert "Every saved run is damaged" in texts(at)


def test_a_chosen_damaged_run_is_explained_and_a_usable_one_offered(app_env, saved_runs):
    add_run(app_env, saved_runs, "run-a", as_name="good-run")
    add_damaged_run(app_env, saved_runs)
    at = open_page()
    at.session_state["chosen_run"] = "broken-run"
    at.switch_page(MISTAKES).run()
    assert not at.exception
    assert "cannot be used" in at.error[0].value and "model.pt" in at.error[0].value
    assert at.selectbox(key="mistakes_run").value == "good-run"
    assert at.metric[0].label == "Test accuracy"


def test_missing_mnist_gives_the_fix_instead_of_a_download(one_run, tmp_path, monkeypatch):
    empty = tmp_path / "no-mnist"
    empty.mkdir()
    monkeypatch.setenv("MNIST_DATA_DIR", str(empty))
    at = open_page(MISTAKES)
    assert not at.exception
    assert data.missing_help(empty) in [e.value for e in at.error]
    assert not at.metric


def test_a_fashion_mnist_run_shows_class_names_everywhere(app_env, tiny_fashion):
    from core.data.datasets import class_names
    from tests.app.conftest import make_run

    make_run(app_env, tiny_fashion, "fashion-run", dataset="fashion-mnist")
    names = class_names("fashion-mnist")
    at = open_page(MISTAKES)
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert spec["xaxis"]["ticktext"] == list(names) and spec["yaxis"]["title"]["text"] == "true class"
    assert at.selectbox(key="mistakes_true").options == ["any", *names]
    assert at.selectbox(key="mistakes_true").label == "True class"
    captions = [caption for image in at.image for caption in image.captions]
    assert captions and all(re.match(rf"true ({'|'.join(map(re.escape, names))}) → predicted", c) for c in captions)
    pairs = at.dataframe[0].value
    assert all(" → " in pair and pair.split(" → ")[0] in names for pair in pairs["true → predicted"])
    assert "Fashion-MNIST" in at.selectbox(key="mistakes_run").options[0]

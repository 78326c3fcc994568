"""The stroke-digit benchmark: centre lines, pens, the Draw page's canvas and preprocessing, and its report."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from bench.strokes import strokes
from bench.strokes.stroke_digits import Pen, centre_line, place, render, segments, stroke_digits
from core.data.loading import FILES, Split, load_mnist
from core.training.fit import fit, new_run
from core.training.presets import PRESETS
from core.training.trainer import Trainer
from tests.conftest import write_idx

UPRIGHT = Pen(width=20, slant=0, height=200, aspect=1, dx=0, dy=0, wobble=0, waves=(1, 1, 0, 1, 1, 0))


def bar_digit(angle: float) -> np.ndarray:
    """(28,28) uint8: a 3-pixel-thick bar 16 pixels long through the centre, `angle` degrees from vertical."""
    image = np.zeros((28, 28), dtype=np.uint8)
    for t in np.linspace(-8, 8, 200):
        x, y = 14 + t * np.sin(np.radians(angle)), 14 - t * np.cos(np.radians(angle))
        image[int(round(y)) - 1 : int(round(y)) + 2, int(round(x)) - 1 : int(round(x)) + 2] = 255
    return image


def test_a_bar_thins_to_one_connected_line():
    skeleton = centre_line(bar_digit(0))
    assert skeleton.shape == (112, 112)
    columns = np.nonzero(skeleton)[1]
    assert columns.max() - columns.min() <= 2  # one pixel wide, give or take a step
    pieces = segments(skeleton)
    assert len(pieces) >= skeleton.sum() - 1  # every pixel touches the next
    assert np.all(np.abs(pieces[:, 0] - pieces[:, 1]).max(axis=1) == 1)  # neighbours only


def test_a_pen_draws_white_on_opaque_black_at_its_width_and_height():
    canvas = render(segments(centre_line(bar_digit(0))), UPRIGHT)
    assert canvas.shape == (280, 280, 4) and canvas.dtype == np.uint8
    assert (canvas[..., 3] == 255).all()
    ink = canvas[..., 0] > 128
    ink_rows, _ = np.nonzero(ink)
    assert np.median(ink.sum(1)[ink.any(1)]) == pytest.approx(20, abs=2)  # the pen's width, across the bar
    assert ink_rows.max() - ink_rows.min() == pytest.approx(200 + 20, abs=4)  # the height, plus two round caps


def test_a_slant_leans_the_top_right():
    points = np.array([[10.0, 0.0], [10.0, 100.0]])  # top, bottom
    top, bottom = place(points, Pen(**{**UPRIGHT.__dict__, "slant": 20}))
    assert top[0] - bottom[0] == pytest.approx(200 * np.tan(np.radians(20)), rel=0.01)


def test_stroke_digits_are_seeded_preprocessed_tensors():
    images = torch.from_numpy(np.stack([bar_digit(0), bar_digit(45), bar_digit(90)])).float()[:, None] / 255
    test = Split(images, torch.tensor([1, 2, 3]))
    drawn, labels = stroke_digits(test, count=3, seed=4)
    assert drawn.shape == (3, 1, 28, 28) and labels.tolist() == [1, 2, 3]
    assert drawn.min() >= 0 and drawn.max() <= 1 and (drawn.flatten(1).max(1).values > 0.9).all()
    assert torch.equal(drawn, stroke_digits(test, count=3, seed=4)[0])
    assert not torch.equal(drawn, stroke_digits(test, count=3, seed=5)[0])
    with pytest.raises(ValueError, match="centre line"):
        stroke_digits(Split(torch.zeros(2, 1, 28, 28), torch.tensor([0, 1])), count=2)


@pytest.fixture
def bar_mnist_dir(tmp_path: Path) -> Path:
    """MNIST-format files whose digit k is a bar turned k*18 degrees: every image has a centre line."""
    labels = np.arange(256) % 10
    images = np.stack([bar_digit(label * 18) for label in labels])
    for key, array in zip(FILES, (images, labels, images[:20], labels[:20])):
        write_idx(tmp_path / FILES[key], array)
    return tmp_path


def test_the_report_scores_each_trained_preset_and_names_the_untrained(bar_mnist_dir, tmp_path, capsys):
    runs = tmp_path / "runs"
    trainer, run_dir = new_run(PRESETS["fast"], load_mnist(bar_mnist_dir, allow_download=False), runs, device="cpu")
    list(fit(trainer, run_dir))
    out, cache = tmp_path / "strokes.json", tmp_path / "strokes.pt"
    args = ["--runs-dir", str(runs), "--data-dir", str(bar_mnist_dir), "--count", "20", "--out", str(out), "--cache", str(cache)]
    assert strokes.main(args) == 0
    scores = {score["preset"]: score for score in json.loads(out.read_text())["scores"]}
    assert set(scores) == set(PRESETS)
    assert scores["fast"]["run"] == run_dir.name and 0 <= scores["fast"]["stroke_accuracy"] <= 1
    assert all(scores[name]["run"] is None for name in PRESETS if name != "fast")
    printed = capsys.readouterr().out
    assert "python -m core.train --preset best" in printed and f"{scores['fast']['stroke_accuracy']:.2%}" in printed
    assert "drawn and preprocessed" in printed and cache.is_file()
    assert strokes.main(args) == 0  # the second time from the cache: same digits, same score
    assert "drawn and preprocessed" not in capsys.readouterr().out
    assert json.loads(out.read_text())["scores"] == [scores[name] for name in PRESETS]

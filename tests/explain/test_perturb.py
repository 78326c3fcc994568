"""Perturbations: none changes nothing, each slider really changes the image, and the sweep finds the flips."""
import pytest
import torch

from core.evaluate import predict_digit
from core.training.models import build_model
from core.explain.perturb import RANGES, Perturbation, apply, flips, setting_names, sweep


@pytest.fixture
def digit(tiny_mnist):
    return tiny_mnist.test.images[:1]  # (1,1,28,28)


def test_a_perturbation_of_zero_gives_the_same_image_and_prediction(digit):
    torch.manual_seed(0)
    model = build_model("cnn")
    assert torch.equal(apply(digit, Perturbation()), digit)
    assert torch.equal(predict_digit(model, apply(digit, Perturbation())), predict_digit(model, digit))


@pytest.mark.parametrize("name, value", [
    ("rotate", 30.0), ("shift_x", 3.0), ("shift_y", -2.0), ("scale", 1.3), ("thickness", 1), ("thickness", -1),
    ("blur", 1.0), ("noise", 0.3),
])
def test_every_slider_changes_the_image(digit, name, value):
    changed = apply(digit, Perturbation(**{name: value}))
    assert changed.shape == (1, 1, 28, 28) and 0 <= changed.min() and changed.max() <= 1
    assert not torch.allclose(changed, digit)


def test_shift_moves_a_pixel_and_thickness_grows_or_shrinks_the_ink():
    dot = torch.zeros(1, 1, 28, 28)
    dot[..., 10:13, 10:13] = 1.0
    moved = apply(dot, Perturbation(shift_x=4))
    assert moved[..., 11, 15] == 1.0 and moved[..., 11, 11] == 0.0  # x is the column
    assert apply(dot, Perturbation(thickness=1)).sum() == 25  # 3x3 -> 5x5
    assert apply(dot, Perturbation(thickness=-1)).sum() == 1  # 3x3 -> its centre


def test_sweep_holds_the_other_settings_and_covers_the_range(digit):
    torch.manual_seed(0)
    model = build_model("cnn")
    points, probabilities = sweep(model, digit, Perturbation(blur=1.0), "rotate", count=9)
    assert points[0] == RANGES["rotate"].low and points[-1] == RANGES["rotate"].high
    assert probabilities.shape == (9, 10) and torch.allclose(probabilities.sum(1), torch.ones(9))
    middle = predict_digit(model, apply(digit, Perturbation(blur=1.0, rotate=0.0)))
    assert torch.allclose(probabilities[4], middle, atol=1e-6)
    assert sweep(model, digit, Perturbation(), "thickness")[0].tolist() == [-2, -1, 0, 1, 2, 3]
    assert set(setting_names()) == set(RANGES)


def test_flips_are_where_the_predicted_class_changes():
    points = torch.tensor([0.0, 1.0, 2.0, 3.0])
    probabilities = torch.tensor([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]])
    assert flips(points, probabilities) == [(1.5, 0, 1)]
    assert flips(points, probabilities[:, [0, 0]]) == []

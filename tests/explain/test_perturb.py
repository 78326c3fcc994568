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


def bar() -> torch.Tensor:
    """A 2x6 bar right of the centre; torchvision turns about the centre (13.5, 13.5)."""
    image = torch.zeros(1, 1, 28, 28)
    image[..., 13:15, 18:24] = 1.0
    return image


@pytest.mark.parametrize("degrees, quarter_turns", [(90.0, 1), (-90.0, -1)])
def test_rotate_turns_counter_clockwise_as_rot90_does(degrees, quarter_turns):
    # a quarter turn maps the pixel grid onto itself, so it must equal rot90 exactly (rows down, columns right)
    expected = torch.rot90(bar(), quarter_turns, dims=(-2, -1))
    assert torch.allclose(apply(bar(), Perturbation(rotate=degrees)), expected, atol=1e-5)
    above = expected[0, 0, :13].sum() > 0 if quarter_turns == 1 else expected[0, 0, 15:].sum() > 0
    assert above  # counter-clockwise on screen: the bar on the right goes up


def centre_of_mass(image: torch.Tensor) -> tuple[float, float]:
    rows, cols = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    ink = image[0, 0]
    return float((rows * ink).sum() / ink.sum()), float((cols * ink).sum() / ink.sum())


def test_scale_shrinks_and_grows_about_the_centre():
    dot = torch.zeros(1, 1, 28, 28)
    dot[..., 13:15, 21:23] = 1.0  # centre (13.5, 21.5), 8 columns right of the image's centre
    half = apply(dot, Perturbation(scale=0.5))
    assert centre_of_mass(half) == pytest.approx((13.5, 17.5), abs=0.05)  # half as far from the centre
    assert float(half.sum()) == pytest.approx(float(dot.sum()) / 4, rel=0.05)  # a quarter of the area
    block = torch.zeros(1, 1, 28, 28)
    block[..., 12:16, 12:16] = 1.0
    double = apply(block, Perturbation(scale=1.5))
    assert float(double.sum()) == pytest.approx(16 * 1.5**2, rel=0.1) and centre_of_mass(double) == pytest.approx((13.5, 13.5), abs=0.05)


@pytest.mark.parametrize("sigma", [0.7, 1.5])
def test_blur_spreads_a_point_as_a_gaussian_of_that_sigma(sigma):
    point = torch.zeros(1, 1, 28, 28)
    point[..., 14, 14] = 1.0
    blurred = apply(point, Perturbation(blur=sigma))[0, 0]
    offsets = torch.arange(-4, 5, dtype=torch.float32)
    line = torch.exp(-(offsets**2) / (2 * sigma**2))
    expected = torch.outer(line, line) / torch.outer(line, line).sum()  # sampled and normalised, as a blur kernel is
    if sigma < 1:  # the +-3 sigma kernel is 5x5 here: nothing beyond it
        expected[[0, 1, -2, -1], :] = 0
        expected[:, [0, 1, -2, -1]] = 0
        expected /= expected.sum()
    assert torch.allclose(blurred[10:19, 10:19], expected, atol=2e-3)
    assert float(blurred.sum()) == pytest.approx(1.0, abs=0.01)  # a blur moves ink, it adds none


def test_noise_adds_gaussian_noise_of_that_deviation_and_a_fixed_pattern():
    grey = torch.full((1, 1, 28, 28), 0.5)  # room on both sides, so clamping hardly ever cuts the noise
    small, large = apply(grey, Perturbation(noise=0.1)) - 0.5, apply(grey, Perturbation(noise=0.2)) - 0.5
    assert float(small.std()) == pytest.approx(0.1, rel=0.1) and abs(float(small.mean())) < 0.01
    inside = (small.abs() < 0.5) & (large.abs() < 0.5)  # where neither was clamped to 0 or 1
    assert inside.float().mean() > 0.95 and torch.allclose(large[inside], 2 * small[inside], atol=1e-6)  # one pattern, scaled
    assert torch.equal(apply(grey, Perturbation(noise=0.1)), apply(grey, Perturbation(noise=0.1)))
    assert not torch.equal(apply(grey, Perturbation(noise=0.1, seed=1)), apply(grey, Perturbation(noise=0.1)))

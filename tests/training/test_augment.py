"""Augmentation: each image gets its own seeded random change, the geometry is what it says, and it reaches training."""
from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from core.training.augment import LEVELS, Augmenter, augment, change_thickness, elastic_field, sampling_grid, sampling_matrices
from core.training.config import ConfigError, TrainConfig
from core.training.events import EpochEnd
from core.training.presets import PRESETS
from core.training.trainer import Trainer
from core.train import config_from_args, parser


def bar(count: int = 1) -> torch.Tensor:
    """(count,1,28,28): a vertical bar 16 pixels tall, 2 wide, at the centre."""
    images = torch.zeros(count, 1, 28, 28)
    images[:, :, 6:22, 13:15] = 1
    return images


def centre_of_mass(image: torch.Tensor) -> tuple[float, float]:
    """(x, y) in pixels of an (H,W) image; y grows downwards."""
    rows, cols = torch.meshgrid(torch.arange(float(image.shape[0])), torch.arange(float(image.shape[1])), indexing="ij")
    mass = image.sum()
    return float((image * cols).sum() / mass), float((image * rows).sum() / mass)


def orientation(image: torch.Tensor) -> float:
    """Angle in degrees (0..180, counter-clockwise from the x axis, y up) of the image's long axis."""
    rows, cols = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    x0, y0 = centre_of_mass(image)
    x, y = cols - x0, -(rows - y0)  # y up, as on paper
    mass = image.sum()
    cxx, cyy, cxy = (image * x * x).sum() / mass, (image * y * y).sum() / mass, (image * x * y).sum() / mass
    return math.degrees(0.5 * math.atan2(2 * cxy, cxx - cyy)) % 180


def transform(images: torch.Tensor, angle=0.0, scale=1.0, shear=0.0, shift=(0.0, 0.0)) -> torch.Tensor:
    count = len(images)
    matrices = sampling_matrices(
        torch.full((count,), float(angle)), torch.full((count,), float(scale)), torch.full((count,), float(shear)),
        torch.tensor([shift], dtype=torch.float32).repeat(count, 1), 28,
    )
    return F.grid_sample(images, sampling_grid(matrices, 28), align_corners=False)


@pytest.mark.parametrize("angle", [30, -45, 90])
def test_a_rotation_turns_a_bar_counter_clockwise_by_its_angle(angle):
    turned = transform(bar(), angle=angle)[0, 0]
    assert orientation(bar()[0, 0]) == pytest.approx(90, abs=0.5)
    assert orientation(turned) == pytest.approx((90 + angle) % 180, abs=2)
    assert centre_of_mass(turned) == pytest.approx(centre_of_mass(bar()[0, 0]), abs=0.3)  # about the centre


def test_shear_leans_the_top_right_shift_moves_and_scale_grows():
    sheared = transform(bar(), shear=20)[0, 0]
    top_x, _ = centre_of_mass(sheared[:14])
    bottom_x, _ = centre_of_mass(sheared[14:])
    assert top_x - bottom_x == pytest.approx(8 * math.tan(math.radians(20)), rel=0.1)  # the halves' centres are 8 px apart
    moved = transform(bar(), shift=(3, -2))[0, 0]
    x0, y0 = centre_of_mass(bar()[0, 0])
    assert centre_of_mass(moved) == pytest.approx((x0 + 3, y0 - 2), abs=0.2)
    assert float(transform(bar(), scale=1.5).sum()) == pytest.approx(float(bar().sum()) * 1.5**2, rel=0.1)


def test_our_sampling_grid_is_affine_grids():
    matrices = sampling_matrices(torch.rand(5) * 40, 1 + torch.rand(5) / 5, torch.rand(5) * 20, torch.rand(5, 2), 28)
    expected = F.affine_grid(matrices, [5, 1, 28, 28], align_corners=False)
    assert torch.allclose(sampling_grid(matrices, 28), expected, atol=1e-5)


def test_thickness_blends_towards_the_dilation_or_the_erosion():
    thick = bar()
    thick[:, :, 6:22, 12:16] = 1  # 4 wide, so erosion leaves a core
    dilated = change_thickness(thick, torch.tensor([1.0]))
    eroded = change_thickness(thick, torch.tensor([-1.0]))
    assert torch.equal(dilated, F.max_pool2d(thick, 3, stride=1, padding=1))
    assert torch.equal(eroded, -F.max_pool2d(-thick, 3, stride=1, padding=1))
    assert eroded.sum() < thick.sum() < change_thickness(thick, torch.tensor([0.5])).sum() < dilated.sum()


def test_the_elastic_field_is_smooth_and_about_its_size():
    generator = torch.Generator().manual_seed(0)
    field = elastic_field(64, 28, sigma=1.0, generator=generator, device=torch.device("cpu")) * 14  # pixels
    assert 0.3 < field.std() < 1.5
    step = (field[:, 1:] - field[:, :-1]).abs().mean()
    assert step < 0.2 * field.abs().mean()  # neighbours move together: a wobble, not noise


@pytest.mark.parametrize("level", [name for name in LEVELS if name != "none"])
def test_each_image_gets_its_own_seeded_change_within_range(level):
    images = bar(16)
    first = Augmenter(level, seed=1)(images)
    assert first.shape == images.shape and first.dtype == images.dtype
    assert first.min() >= 0 and first.max() <= 1
    assert torch.equal(first, Augmenter(level, seed=1)(images))  # same seed, same changes
    assert not torch.equal(first, Augmenter(level, seed=2)(images))
    different = {tuple(image.flatten().round(decimals=3).tolist()) for image in first}
    assert len(different) == 16  # per-sample: no two copies of the same bar come out alike
    orientations = [orientation(image[0]) for image in first]
    assert max(orientations) - min(orientations) > 5


def test_none_is_the_identity_and_a_bad_level_is_refused():
    images = torch.rand(4, 1, 28, 28)
    assert Augmenter("none", seed=1)(images) is images
    with pytest.raises(ValueError, match="augment must be one of"):
        Augmenter("wild", seed=1)
    with pytest.raises(ConfigError, match="augment must be one of none, light, strong"):
        TrainConfig(augment="wild")
    assert TrainConfig.from_dict({"model": "cnn"}).augment == "none"  # runs saved before augmentation


def test_the_generator_state_round_trips():
    augmenter = Augmenter("strong", seed=3)
    state = augmenter.state()
    first = augmenter(bar(4))
    augmenter.restore(state)
    assert torch.equal(augmenter(bar(4)), first)
    spec = LEVELS["strong"]
    assert torch.equal(augment(bar(4), spec, torch.Generator().manual_seed(5)), augment(bar(4), spec, torch.Generator().manual_seed(5)))


def test_augmented_training_is_reproducible_resumable_and_differs_from_plain(tiny_mnist):
    config = TrainConfig(model="fast_cnn", epochs=2, batch_size=64, augment="strong", max_batches=4)

    def costs(cfg):
        return [e.cost for e in Trainer(cfg, tiny_mnist, device="cpu").run() if isinstance(e, EpochEnd)]

    straight = costs(config)
    assert straight == costs(config)
    assert straight != costs(config.with_changes(augment="none"))
    first = Trainer(config.with_changes(epochs=1), tiny_mnist, device="cpu")
    list(first.run())
    resumed = Trainer(config, tiny_mnist, device="cpu", checkpoint=first.checkpoint())
    list(resumed.run())
    assert [e["cost"] for e in resumed.history] == pytest.approx(straight, rel=1e-5)


def test_the_cli_and_presets_carry_the_option():
    assert config_from_args(parser().parse_args(["--preset", "fast", "--augment", "strong"])).augment == "strong"
    assert PRESETS["robust"].augment != "none" and PRESETS["best"].augment != "none"
    assert PRESETS["fast"].augment == "none"

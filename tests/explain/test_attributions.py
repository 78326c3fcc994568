"""Feature maps and Captum attributions checked against oracles: the layer table, the model's own
outputs (completeness), occluding the ink by hand, and Captum's own display scaling."""
import numpy as np
import pytest
import torch
from captum.attr._utils.visualization import _normalize_attr

from core.runs import checkpoints
from core.explain.attributions import attribute, clip_outliers, integrated_gradients
from core.explain.feature_maps import conv_blocks, feature_maps, first_layer_filters, mosaic
from core.training.models import MODELS, build_model, place
from tests.training.forward_shapes import forward_shapes
from tests.explain.inside_run import trained_run


@pytest.fixture(scope="module")
def trained(tiny_mnist_dir, tmp_path_factory):
    """(model, test images, labels): a cnn that reads the synthetic squares, in the fast layout."""
    from core.data.loading import load_mnist

    run_dir = trained_run(tiny_mnist_dir, tmp_path_factory.mktemp("runs"))
    model, _ = checkpoints.load_model(run_dir)
    test = load_mnist(tiny_mnist_dir, allow_download=False).test
    return model, test.images[:6], test.labels[:6]


@pytest.mark.parametrize("name", list(MODELS))
def test_feature_map_shapes_equal_the_layer_table(name):
    model = place(build_model(name), "cpu").eval()
    table = {name: ("N", *shape) for name, (shape, _) in forward_shapes(model).items()}
    layers, logits = feature_maps(model, torch.rand(1, 1, 28, 28))
    blocks = conv_blocks(model)
    assert len(layers) == 2 * len(blocks) >= 4 and logits.shape == (10,)
    for layer in layers:
        # a block's output is its last leaf's output in the table
        row = layer.name if layer.name.endswith(".0") else f"{layer.name}.{len(model.get_submodule(layer.name)) - 1}"
        assert ("N", *layer.maps.shape) == table[row], layer.name
    assert first_layer_filters(model).shape == (table["layer1.0"][1], 3, 3)


def test_block_outputs_after_relu_are_not_negative_and_channels_are_sorted():
    model = place(build_model("cnn"), "cpu").eval()
    layers, _ = feature_maps(model, torch.rand(1, 1, 28, 28))
    conv, block = layers[0], layers[1]
    assert conv.signed and not block.signed
    means = block.maps.mean(axis=(1, 2))[block.order]
    assert np.all(np.diff(means) <= 0)


def test_integrated_gradients_add_up_to_the_score_difference(trained):
    model, images, labels = trained
    for image, label in zip(images, labels):
        image = image[None]
        with torch.no_grad():
            differences = model(image)[0] - model(torch.zeros_like(image))[0]  # the oracle: f(x) - f(black)
        others = differences.abs().clone()
        others[label] = 0
        for target in (int(label), int(others.argmax())):  # its own class, and the one it moved most besides
            total = integrated_gradients(model, image.clone().requires_grad_(True), target).sum().item()
            assert abs(differences[target]) > 0.1
            assert total == pytest.approx(differences[target].item(), rel=0.05)


def test_occluding_the_digits_own_ink_lowers_its_class_score(trained):
    model, images, labels = trained
    for image, label in zip(images, labels):
        image, label = image[None], int(label)
        ink = image[0, 0] == 1.0  # the synthetic digit: a 6x6 square at full brightness
        occlusion = attribute(model, image, label, "layer2", methods=("Occlusion",))["Occlusion"]
        # occlusion = score(image) - score(image with a black patch); positive where hiding lowers it
        assert occlusion[ink.numpy()].mean() > 0
        assert occlusion[ink.numpy()].mean() > occlusion[~ink.numpy()].mean()
        hidden = image.clone()
        hidden[0, 0][ink] = 0  # the oracle: black out the ink by hand
        with torch.no_grad():
            assert model(hidden)[0, label] < model(image)[0, label]


def test_every_method_gives_a_28x28_map_for_any_class_and_layer(trained):
    model, images, _ = trained
    for layer in ("layer1.0", "layer2"):
        maps = attribute(model, images[:1], target=3, gradcam_layer=layer)
        assert {name: value.shape for name, value in maps.items()} == {
            "Saliency": (28, 28), "Integrated Gradients": (28, 28), "Occlusion": (28, 28), "Grad-CAM": (28, 28)
        }
        assert all(np.isfinite(value).all() for value in maps.values())
    assert (maps["Saliency"] >= 0).all()


def test_clipping_matches_captums_own_display_scaling():
    values = np.random.default_rng(0).normal(size=(28, 28)).astype(np.float32)
    values[3, 3] = 8.0  # one outlier (1.3% of the total |value|) that would wash out the rest
    for signed, sign in ((True, "all"), (False, "absolute_value")):
        shown, limit = clip_outliers(values, signed=signed)
        assert np.allclose(shown / limit, _normalize_attr(values, sign, 2))
        assert limit < 8.0 and shown.max() == pytest.approx(limit)


def test_mosaic_tiles_every_channel_with_gaps():
    maps = np.stack([np.full((3, 4), float(k - 2)) for k in range(5)])  # 5 channels, values -2..2
    picture = mosaic(maps, per_channel=True)
    assert picture.shape == (2 * 3 + 1, 3 * 4 + 2)  # 2 rows x 3 columns of 3x4 tiles, 1-pixel gaps
    tiles = [picture[r * 4 : r * 4 + 3, c * 5 : c * 5 + 4] for r in range(2) for c in range(3)][:5]
    assert [float(tile[0, 0]) for tile in tiles] == [-1.0, -1.0, 0.0, 1.0, 1.0]  # each scaled to its own peak
    assert np.isnan(picture[3]).all() and np.isnan(picture[-3:, -4:]).all()  # gap row, spare cell
    raw = mosaic(maps, per_channel=False)
    assert np.nanmin(raw) == -2.0 and np.nanmax(raw) == 2.0


def square(label: int) -> tuple[slice, slice]:
    """Where the tiny set puts class `label`'s bright square (tests/conftest.py::synthetic_digits)."""
    row, col = 3 + (label // 5) * 12, 1 + (label % 5) * 5
    return slice(row, row + 6), slice(col, col + 6)


class SquareReader(torch.nn.Module):
    """Built to use one region per class: channel k of `features` is the image seen through class k's
    square, pooled 2x2 (a 14x14 grid, so Grad-CAM is upsampled as for a real model), and logit k adds
    channel k up. Grad-CAM for class k must therefore sit on square k and nowhere else."""

    def __init__(self) -> None:
        super().__init__()
        masks = torch.zeros(10, 28, 28)
        for label in range(10):
            masks[(label, *square(label))] = 1.0
        self.register_buffer("masks", masks[None])  # (1,10,28,28)
        self.features = torch.nn.AvgPool2d(2)
        self.dummy = torch.nn.Parameter(torch.ones(()))  # attribute() puts the image on the model's device

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        seen = self.features(image * self.masks)  # (N,10,14,14)
        return seen.sum((2, 3)) * self.dummy  # (N,10)


def test_grad_cam_weighs_the_region_the_model_is_built_to_use(tiny_mnist):
    model = SquareReader().eval()
    images, labels = tiny_mnist.test.images, tiny_mnist.test.labels
    for index in range(6):
        image, label = images[index : index + 1], int(labels[index])
        cam = attribute(model, image, label, "features", methods=("Grad-CAM",))["Grad-CAM"]
        region = np.zeros((28, 28), dtype=bool)
        rows, cols = square(label)
        # the square's 2x2 cells straddle it by a pixel, and bilinear upsampling spreads one more
        region[rows.start - 2 : rows.stop + 2, max(0, cols.start - 2) : cols.stop + 2] = True
        assert cam[region].sum() > 0.99 * np.abs(cam).sum() > 0, label  # positive, and all on the square
        assert (cam[rows, cols] > 0).all(), label
        peak = np.unravel_index(cam.argmax(), cam.shape)
        assert region[peak], (label, peak)


def test_saliency_of_a_linear_model_is_its_weights_for_the_class():
    """A linear model's gradient is its weight row: the oracle, signs included, so |.| must be taken."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10)).eval()
    image = torch.rand(1, 1, 28, 28)
    for target in (2, 7):
        saliency = attribute(model, image, target, "1", methods=("Saliency",))["Saliency"]
        expected = model[1].weight[target].detach().abs().view(28, 28).numpy()
        assert np.allclose(saliency, expected, atol=1e-7)

"""The lecture's two CNNs: layer names, shapes, parameter counts, and the computed summary."""
import pytest
import torch

from core.training.models import MODELS, build_model, named_design, parameter_count
from core.training.walk import walk
from tests.training.forward_shapes import forward_shapes


@pytest.mark.parametrize("name, expected", [("cnn", 50_186), ("deep_cnn", 1_379_557)])
def test_parameter_counts_match_the_lecture(name, expected):
    assert parameter_count(build_model(name)) == expected


@pytest.mark.parametrize("name", list(MODELS))
def test_every_registered_model_maps_images_to_ten_logits(name):
    model = build_model(name)
    assert model(torch.rand(3, 1, 28, 28)).shape == (3, 10)


def test_cnn_layers_are_the_lectures():
    model = build_model("cnn")
    conv1, pool1, relu1 = model.layer1
    assert (conv1.in_channels, conv1.out_channels, conv1.kernel_size, conv1.padding) == (1, 32, (3, 3), (1, 1))
    assert isinstance(relu1, torch.nn.ReLU) and pool1.kernel_size == 2
    assert model.layer2[0].out_channels == 64
    assert (model.fc.in_features, model.fc.out_features) == (7 * 7 * 64, 10)
    assert set(dict(model.named_parameters())) == {
        "layer1.0.weight", "layer1.0.bias", "layer2.0.weight", "layer2.0.bias", "fc.weight", "fc.bias"
    }


def test_deep_cnn_layers_are_the_lectures():
    model = build_model("deep_cnn", dropout=0.5)
    assert model.layer3[0].out_channels == 128 and model.layer3[1].padding == 1
    assert (model.fc1.in_features, model.fc1.out_features) == (2048, 625)
    assert (model.fc2.in_features, model.fc2.out_features) == (625, 10)
    assert model.dropout1.p == 0.5


def test_xavier_uniform_bounds_the_linear_weights():
    """xavier-uniform draws from +-sqrt(6/(fan_in+fan_out)); torch's default bound for fc is far smaller."""
    torch.manual_seed(0)
    fc = build_model("cnn").fc.weight
    bound = (6 / (3136 + 10)) ** 0.5
    assert fc.abs().max() <= bound and fc.abs().max() > 0.9 * bound
    assert fc.abs().max() > 1.5 / 3136**0.5  # well past nn.Linear's default 1/sqrt(fan_in)


def test_pooling_before_relu_gives_the_lectures_output_and_gradients():
    torch.manual_seed(1)
    model = build_model("deep_cnn").eval()
    x = torch.randn(4, 1, 28, 28)
    out = x
    for block in (model.layer1, model.layer2, model.layer3):
        conv, pool, relu = block
        out = pool(relu(conv(out)))  # the lecture's order
    ours = model.layer3(model.layer2(model.layer1(x)))
    assert torch.equal(ours, out)
    lecture_grads = torch.autograd.grad(out.sum(), model.layer2[0].weight)
    our_grads = torch.autograd.grad(ours.sum(), model.layer2[0].weight)
    assert torch.equal(lecture_grads[0], our_grads[0])


def test_the_walk_gives_the_lectures_shapes_in_its_notation():
    rows = walk(named_design("cnn"))
    assert [row.lecture for row in rows] == [
        "ImgIn shape=(?, 28, 28, 1)",
        "Conv -> (?, 28, 28, 32)", "ReLU -> (?, 28, 28, 32)", "Pool -> (?, 14, 14, 32)",
        "Conv -> (?, 14, 14, 64)", "ReLU -> (?, 14, 14, 64)", "Pool -> (?, 7, 7, 64)",
        "Reshape -> (?, 3136)", "FC -> (?, 10)",
    ]
    assert sum(row.parameters for row in rows) == 50_186


def test_the_walk_names_the_module_that_computes_each_row():
    """Design order (conv, ReLU, pool) is what the learner sees; each row still names its real module."""
    model = build_model("deep_cnn")
    real = forward_shapes(model)
    rows = walk(named_design("deep_cnn"))[1:]
    assert [row.kind for row in rows[:3]] == ["Conv", "ReLU", "MaxPool"]
    for index, row in enumerate(rows):
        if row.kind == "ReLU" and row.block.startswith("layer"):
            # the module runs after the max pool (exact, on 4x fewer values): it sees the pool's shape
            assert real[row.name] == (rows[index + 1].shape, 0), row.name
            continue
        assert real[row.name] == (row.shape, row.parameters), row.name
    assert real["layer3.1"][0] == (128, 4, 4)  # the padded pool: 7 -> 4


def test_unknown_model_is_refused():
    with pytest.raises(KeyError, match="known"):
        build_model("resnet")


def test_wide_cnn_is_the_fast_cnn_at_twice_the_width():
    fast, wide = walk(named_design("fast_cnn")), walk(named_design("wide_cnn"))
    assert [(row.name, row.kind) for row in wide] == [(row.name, row.kind) for row in fast]
    convs = [row.shape for row in wide if row.kind == "Conv"]
    assert convs == [(32, 28, 28), (64, 14, 14), (128, 7, 7)]
    assert parameter_count(build_model("wide_cnn")) == sum(row.parameters for row in wide) > 3 * parameter_count(build_model("fast_cnn"))

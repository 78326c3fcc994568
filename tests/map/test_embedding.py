"""Features of the layer before the classifier: their width per model, and that the classifier maps them to the logits."""
import pytest
import torch

from core.map.embedding import classifier, embed, feature_size
from core.training.design_text import format_design, parse
from core.training.models import MODELS, build_model
from core.training.network import build
from core.training.walk import walk
from tests.training.random_designs import random_designs


@pytest.mark.parametrize("name, width", [("cnn", 7 * 7 * 64), ("deep_cnn", 625), ("fast_cnn", 3 * 3 * 64)])
def test_features_have_the_width_of_the_layer_before_the_classifier(name, width):
    torch.manual_seed(0)
    model = build_model(name)
    features, logits = embed(model, torch.rand(7, 1, 28, 28), batch_size=3)  # 3 batches, the last short
    assert features.shape == (7, width) and logits.shape == (7, 10)
    assert feature_size(model) == width


@pytest.mark.parametrize("name", list(MODELS))
def test_the_classifier_turns_the_features_into_the_models_own_logits(name):
    torch.manual_seed(0)
    model = build_model(name).eval()
    images = torch.rand(5, 1, 28, 28)
    features, logits = embed(model, images)
    with torch.no_grad():
        assert torch.allclose(classifier(model)(features), model(images), atol=1e-5)
        assert torch.allclose(logits, model(images), atol=1e-5)


def test_deep_cnn_features_are_the_hidden_units_after_relu_with_dropout_off():
    torch.manual_seed(0)
    model = build_model("deep_cnn", dropout=0.5).train()  # embed must switch dropout off, and restore train mode
    images = torch.rand(4, 1, 28, 28)
    first, _ = embed(model, images)
    assert model.training
    assert (first >= 0).all() and (first == 0).any()  # after the ReLU
    assert torch.equal(embed(model, images)[0], first)  # no dropout noise


@pytest.mark.parametrize("design", random_designs(8, first_seed=100), ids=format_design)
def test_any_designs_features_are_what_the_walk_says_enters_the_classifier(design):
    torch.manual_seed(0)
    model = build(design)
    rows = walk(design)
    entering = rows[-2]  # the row before the classifier: flatten, a hidden layer's ReLU or its dropout
    features, logits = embed(model, torch.rand(5, 1, 28, 28), batch_size=2)
    assert features.shape == (5, *entering.shape) and logits.shape == (5, design.classes)
    assert feature_size(model) == entering.shape[0]


def test_with_global_average_pooling_the_features_are_the_last_blocks_channel_means():
    torch.manual_seed(0)
    model = build(parse("c8-bn-max,c16-bn-tanh-avg,gap,fc10")).eval()
    images = torch.rand(4, 1, 28, 28)
    features, _ = embed(model, images)
    with torch.no_grad():
        maps = model.layer2(model.layer1(images))  # (4,16,7,7)
    assert features.shape == (4, 16)
    assert torch.allclose(features, maps.mean(dim=(2, 3)), atol=1e-6)

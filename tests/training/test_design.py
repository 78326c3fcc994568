"""Designs as data: shapes and parameters against a real forward pass, the text form's round trip,
and one sentence for each kind of design that cannot work."""
from __future__ import annotations

import pytest
import torch

from core.training.capacity import check_fits
from core.training.config import TrainConfig
from core.training.design import Conv, Dense, Design, DesignError
from core.training.design_text import format_design, parse
from core.training.models import MODELS, named_design
from core.training.network import build
from core.training.walk import block_receptive_fields, totals, walk
from tests.training.forward_shapes import forward_shapes
from tests.training.random_designs import random_designs

RANDOM = random_designs(20, first_seed=18)


@pytest.mark.parametrize("design", RANDOM, ids=[format_design(d) for d in RANDOM])
def test_the_walk_matches_a_real_forward_pass(design):
    model = build(design)
    real = forward_shapes(model)
    rows = walk(design)
    assert sum(row.parameters for row in rows) == sum(p.numel() for p in model.parameters()) == totals(design).parameters
    for index, row in enumerate(rows[1:], 1):
        shape, parameters = real[row.name]
        assert parameters == row.parameters, row.name
        block = design.blocks[int(row.block[5:]) - 1] if row.block.startswith("layer") else None
        if block is not None and row.kind in ("ReLU", "Tanh", "Sigmoid") and block.pool == "max" and not block.pool_first:
            assert shape == rows[index + 1].shape, row.name  # it runs after the max pool (exact, 4x fewer values)
        else:
            assert shape == row.shape, row.name
    assert model(torch.rand(2, 1, 28, 28)).shape == (2, 10)


def test_the_random_designs_cover_every_kind_of_layer():
    blocks = [block for design in RANDOM for block in design.blocks]
    assert {block.pool for block in blocks} == {"none", "max", "avg"} and {block.kernel for block in blocks} == {1, 3, 5, 7}
    assert {block.activation for block in blocks} == {"relu", "tanh", "sigmoid"} and any(b.pool_first for b in blocks)
    assert {design.head for design in RANDOM} == {"flatten", "gap"} and {len(d.hidden) for d in RANDOM} >= {0, 1, 2}


def test_the_receptive_field_is_where_the_gradient_reaches():
    """An independent answer: the input pixels that one central output value depends on."""
    design = parse("c4k5-avg,c4k7-avg,c4k1-avg,fc10")
    model = build(design).double()
    for block in (model.layer1, model.layer2, model.layer3):
        torch.nn.init.constant_(block[0].weight, 1.0)  # all-positive: no gradient cancels inside the field
    image = torch.ones(1, 1, 28, 28, dtype=torch.float64, requires_grad=True)
    out = model.layer3(model.layer2(model.layer1(image)))  # (1,4,3,3)
    out[0, 0, 1, 1].backward()
    rows, cols = image.grad[0, 0].abs().sum(1).nonzero(), image.grad[0, 0].abs().sum(0).nonzero()
    assert block_receptive_fields(design)[-1] == len(rows) == len(cols) == 24


@pytest.mark.parametrize("name", list(MODELS))
def test_the_named_designs_round_trip_through_text_and_json(name):
    design = named_design(name)
    text = format_design(design)
    assert parse(text) == design and format_design(parse(text)) == text
    assert Design.from_dict(design.to_dict()) == design


@pytest.mark.parametrize("design", RANDOM, ids=[format_design(d) for d in RANDOM])
def test_random_designs_round_trip_through_text(design):
    assert parse(format_design(design)) == design


def test_the_lecture_texts_are_as_documented():
    assert format_design(named_design("cnn")) == "c32-max,c64-max,fc10"
    assert format_design(named_design("deep_cnn", 0.5)) == "c32-max,c64-max,c128-maxp1,fc625-d0.5,fc10"
    assert parse("C32-MAX, c64-relu-max ,fc10") == named_design("cnn")  # case, spaces and a named ReLU are accepted


# name -> (a design that cannot work, words its one sentence must hold)
INVALID = {
    "pool on 1x1": (lambda: parse("c8-max,c8-max,c8-max,c8-max,c8-max,fc10"),
                    ["block 5", "already 1x1", "nothing to pool", "remove the pooling or the block"]),
    "too many channels": (lambda: parse("c300,fc10"), ["block 1", "channels", "1 to 256", "300"]),
    "bad kernel": (lambda: parse("c8k4,fc10"), ["block 1", "kernel", "1, 3, 5 or 7", "4"]),
    "too many blocks": (lambda: parse("c1,c1,c1,c1,c1,c1,fc10"), ["conv blocks", "1 to 5", "6"]),
    "too many hidden layers": (lambda: parse("c8,fc8,fc8,fc8,fc8,fc10"), ["hidden layers", "0 to 3", "4"]),
    "too many units": (lambda: parse("c8,fc4096,fc10"), ["hidden layer 1", "units", "1 to 2048", "4096"]),
    "dropout of 1": (lambda: Design((Conv(8),), hidden=(Dense(8, 1.0),)), ["hidden layer 1", "dropout"]),
    "unknown activation": (lambda: Design((Conv(8, activation="gelu"),)), ["block 1", "activation", "gelu"]),
    "unknown pooling": (lambda: Design((Conv(8, pool="min"),)), ["block 1", "pooling", "min"]),
    "padding without a pool": (lambda: Design((Conv(8, pool_padding=1),)), ["block 1", "padding", "needs a pooling"]),
    "pool first without batch norm": (lambda: parse("c8-max-tanh,fc10"), ["block 1", "order"]),
    "no classifier": (lambda: parse("c32-max,c64-max"), ["no classifier", "fc10"]),
    "dropout on the classifier": (lambda: parse("c32,fc10-d0.5"), ["classifier", "no dropout"]),
    "a layer out of place": (lambda: parse("fc10,c32"), ["layer 1", "out of place"]),
    "not a layer": (lambda: parse("c32-max-foo,fc10"), ["block 1", "'foo' is not a layer"]),
    "unknown field": (lambda: Design.from_dict({"blocks": [{"channels": 8, "stride": 2}]}), ["does not know", "stride"]),
    "wrong class count": (lambda: TrainConfig(design="c8,fc7"), ["7 outputs", "10 classes", "fc10"]),
    "custom with no design": (lambda: TrainConfig(model="custom"), ["custom model needs a design"]),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_each_kind_of_invalid_design_is_refused_in_one_sentence(case):
    make, words = INVALID[case]
    with pytest.raises(DesignError) as error:
        make()
    message = str(error.value)
    assert "\n" not in message and message.endswith(".")
    for word in words:
        assert word in message, (case, message)


# 28*28*256 = 200,704 features into 2,048 units: 411M of its 424M parameters (x16 bytes with Adam's moments)
BIG = parse("c256k7,c256k7,c256k7,c256k7,c256k7,fc2048,fc10")


def test_a_design_too_large_for_memory_is_refused_with_its_size():
    assert totals(BIG).parameters > 400_000_000
    with pytest.raises(DesignError, match=r"423,923,210 parameters: training them with Adam needs about 6.3 GB, more than the 2.4 GB free on this machine"):
        check_fits(BIG, 100, free=4 * 2**30)
    with pytest.raises(DesignError, match=r"a batch of 60000 needs about [\d.]+ GB for the layers' outputs"):
        check_fits(parse("c256k7,c256k7,fc10"), 60_000)  # measured free memory: no machine of ours has ~1.5 TB
    check_fits(named_design("deep_cnn"), 100)  # the lecture's networks fit


def test_a_saved_config_without_a_design_gets_its_named_models():
    old = {key: value for key, value in TrainConfig(model="deep_cnn", dropout=0.3).to_dict().items() if key != "design"}
    config = TrainConfig.from_dict(old)
    assert config.design == named_design("deep_cnn", 0.3) and config.model == "deep_cnn"


def test_the_model_label_follows_the_design():
    assert TrainConfig(design="c16-max-bn,c32-max-bn,c64-max-bn,fc10,torch-init").model == "fast_cnn"
    custom = TrainConfig(design="c8-bn-max,gap,fc10")
    assert custom.model == "custom" and TrainConfig.from_dict(custom.to_dict()) == custom
    assert custom.with_changes(model="cnn").design == named_design("cnn")
    assert TrainConfig(model="deep_cnn").with_changes(dropout=0.2).design.hidden == (Dense(625, 0.2),)
    assert TrainConfig().with_changes(design=parse("c32-max,c64-max,fc10")).model == "cnn"

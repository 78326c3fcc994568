"""Feature maps, filters and Grad-CAM layers for any design: the shapes core.training.walk predicts,
titles that say what each block's output comes after."""
import numpy as np
import pytest
import torch

from core.explain.attributions import grad_cam
from core.explain.feature_maps import block_steps, feature_maps, first_layer_filters, layer_names
from core.training.design_text import format_design, parse
from core.training.network import build
from core.training.walk import walk
from tests.training.random_designs import random_designs

DESIGNS = random_designs(10)


def expected_shapes(design) -> dict[str, tuple[int, ...]]:
    """From the walk alone: each block's conv output (layer<i>.0) and its last row (the block's output)."""
    shapes: dict[str, tuple[int, ...]] = {}
    for row in walk(design):
        if row.block.startswith("layer"):
            if row.kind == "Conv":
                shapes[f"{row.block}.0"] = row.shape
            shapes[row.block] = row.shape  # overwritten by each later row of the block
    return shapes


@pytest.mark.parametrize("design", DESIGNS, ids=format_design)
def test_feature_maps_of_any_design_have_the_walks_shapes(design):
    torch.manual_seed(0)
    model = build(design).eval()
    layers, logits = feature_maps(model, torch.rand(1, 1, 28, 28))
    assert {layer.name: layer.maps.shape for layer in layers} == expected_shapes(design)
    assert [layer.name for layer in layers] == [name for name, _ in layer_names(model)]
    assert logits.shape == (design.classes,)
    kernel = design.blocks[0].kernel
    assert first_layer_filters(model).shape == (design.blocks[0].channels, kernel, kernel)
    assert np.array_equal(first_layer_filters(model), model.layer1[0].weight.detach()[:, 0].numpy())


@pytest.mark.parametrize("design", DESIGNS[:5], ids=format_design)
def test_grad_cam_runs_at_every_layer_the_picker_lists(design):
    torch.manual_seed(0)
    model = build(design).eval()
    names = [name for name, _ in layer_names(model)]
    assert names == [name for number in range(1, len(design.blocks) + 1) for name in (f"layer{number}.0", f"layer{number}")]
    for name in names:
        cam = grad_cam(model, torch.rand(1, 1, 28, 28), target=3, layer=name)
        assert cam.shape == (1, 1, 28, 28) and torch.isfinite(cam).all()


@pytest.mark.parametrize("text, titles", [
    ("c32-max,c64-max,fc10", ["layer1: after ReLU + max pool", "layer2: after ReLU + max pool"]),
    ("c8-bn-tanh,c16k5-sigmoid-avg,gap,fc10", ["layer1: after batch norm + tanh", "layer2: after sigmoid + avg pool"]),
    ("c16-max-bn,c32-max-bn,fc10", ["layer1: after max pool + batch norm + ReLU", "layer2: after max pool + batch norm + ReLU"]),
    ("c4k1,fc10", ["layer1: after ReLU"]),
])
def test_block_titles_say_what_the_output_comes_after_in_the_designs_order(text, titles):
    model = build(parse(text))
    assert [title for name, title in layer_names(model) if "." not in name] == titles
    assert block_steps(parse(text).blocks[0]) == titles[0].split("after ", 1)[1]


def test_a_block_after_sigmoid_is_not_signed_and_after_tanh_it_is():
    torch.manual_seed(0)
    layers, _ = feature_maps(build(parse("c8-sigmoid,c8-tanh,fc10")).eval(), torch.rand(1, 1, 28, 28))
    by_name = {layer.name: layer for layer in layers}
    assert not by_name["layer1"].signed and (by_name["layer1"].maps > 0).all()
    assert by_name["layer2"].signed

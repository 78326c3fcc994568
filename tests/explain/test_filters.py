"""Filter views on a real (tiny) trained cnn run: the top 9 against brute force, the optimised input
against the test images' mean, the crop's size and place, the cache's faults."""
from __future__ import annotations

import torch

from core.explain import filter_views
from core.explain.feature_maps import feature_maps
from core.explain.top_images import block_geometry, crop_around, top_images
from core.map.maps import epoch_model
from core.training.models import named_design
from core.training.walk import block_receptive_fields
from tests.explain.inside_run import EPOCHS, trained_run


def test_the_top_9_are_the_brute_force_top_9(tiny_mnist_dir, tiny_mnist, tmp_path):
    model = epoch_model(trained_run(tiny_mnist_dir, tmp_path), EPOCHS)
    images = tiny_mnist.test.images[:120]
    top = top_images(model, "layer2", images, batch=50)  # batches of 50: the running top must cross batches
    # the oracle: feature_maps' hooks on each image alone, the block output's largest value per channel
    peaks = torch.stack([torch.from_numpy(feature_maps(model, image[None])[0][3].maps).flatten(1).max(1).values
                         for image in images]).T  # (64,120)
    expected, _ = peaks.sort(1, descending=True)
    assert torch.allclose(top.peaks, expected[:, :9], atol=1e-5)
    for channel in range(64):
        assert torch.allclose(peaks[channel, top.indices[channel]], top.peaks[channel], atol=1e-5)


def test_the_crop_is_the_receptive_field_around_the_peak(tiny_mnist_dir, tiny_mnist, tmp_path):
    design = named_design("cnn")
    assert [block_geometry(design, index).field for index in (0, 1)] == block_receptive_fields(design) == [4, 10]
    image = torch.zeros(28, 28)
    image[9:13, 5:9] = 1.0  # what layer1's output pixel (5, 3) sees: pool rows 10-11 of 3x3 convs, so rows 9-12, columns 5-8
    crop = crop_around(image, torch.tensor([5, 3]), block_geometry(design, 0))
    assert crop.shape == (4, 4) and bool((crop == 1).all())
    corner = crop_around(image, torch.tensor([0, 0]), block_geometry(design, 1))  # beyond the edge: zeros, still 10x10
    assert corner.shape == (10, 10)


def test_the_optimised_input_excites_its_channel_more_than_the_test_images(tiny_mnist_dir, tiny_mnist, tmp_path):
    run_dir = trained_run(tiny_mnist_dir, tmp_path)
    views = filter_views.block_views(run_dir, EPOCHS, "layer1", tiny_mnist.test)
    assert views.wanted.shape == (32, 1, 28, 28) and 0 <= float(views.wanted.min()) and float(views.wanted.max()) <= 1
    beats = views.wanted_activation > views.top.channel_means
    assert int(beats.sum()) >= 30, (views.wanted_activation, views.top.channel_means)  # 32 of 32 when measured
    assert float(views.wanted_activation.mean()) > 2 * float(views.top.channel_means.mean())


def test_the_cache_is_read_back_and_a_damaged_one_is_recomputed(tiny_mnist_dir, tiny_mnist, tmp_path, monkeypatch):
    monkeypatch.setattr(filter_views.feature_vis, "STEPS", 16)  # what is cached matters here, not how good it is
    run_dir = trained_run(tiny_mnist_dir, tmp_path)
    assert filter_views.cached_views(run_dir, 1, "layer2", tiny_mnist.test) is None
    first = filter_views.block_views(run_dir, 1, "layer2", tiny_mnist.test)
    again = filter_views.cached_views(run_dir, 1, "layer2", tiny_mnist.test)
    assert again is not None and torch.equal(again.wanted, first.wanted) and torch.equal(again.top.indices, first.top.indices)
    path = filter_views.cache_path(run_dir, "layer2", 1)
    path.write_bytes(path.read_bytes()[:200])  # cut short, as by a full disk
    assert filter_views.cached_views(run_dir, 1, "layer2", tiny_mnist.test) is None
    redone = filter_views.block_views(run_dir, 1, "layer2", tiny_mnist.test)
    assert torch.equal(redone.top.indices, first.top.indices)
    assert filter_views.cached_views(run_dir, 1, "layer2", tiny_mnist.test) is not None
    # another epoch's weights are other weights: epoch 1's file is not served for epoch 2
    filter_views.cache_path(run_dir, "layer2", 2).write_bytes(path.read_bytes())
    assert filter_views.cached_views(run_dir, 2, "layer2", tiny_mnist.test) is None

"""core.pixel_scale against an independent computation: the IDX file's bytes read with numpy, multiplied,
and fed to the model in one pass; and its two ends against core.evaluate."""
from __future__ import annotations

import gzip

import numpy as np
import pytest
import torch

from core.data.loading import FILES
from core.evaluate import lecture_accuracy, predict
from core.pixel_scale import SCALES, accuracy_by_scale, scaled
from core.training.config import TrainConfig
from core.training.fit import fit, new_run


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_mnist):
    config = TrainConfig(epochs=1, batch_size=32, max_batches=8)
    trainer, run_dir = new_run(config, tiny_mnist, tmp_path_factory.mktemp("scale-runs"), device="cpu", name="scale")
    for _ in fit(trainer, run_dir):
        pass
    return trainer.model.eval()


def file_test_set(folder) -> tuple[np.ndarray, np.ndarray]:
    """(N,28,28) uint8 and (N,) labels straight from the gzipped IDX bytes (16- and 8-byte headers)."""
    images = np.frombuffer(gzip.open(folder / f"{FILES['test_images']}.gz").read()[16:], np.uint8).reshape(-1, 28, 28)
    labels = np.frombuffer(gzip.open(folder / f"{FILES['test_labels']}.gz").read()[8:], np.uint8)
    return images, labels


def all_at_once(model, images: np.ndarray, labels: np.ndarray, scale: float) -> float:
    """One forward pass over every image, in float64 numpy until the model's input."""
    x = torch.from_numpy((images.astype(np.float64) / 255 * scale).astype(np.float32)).unsqueeze(1)  # (N,1,28,28)
    with torch.no_grad():
        guesses = model(x).argmax(1).numpy()
    return float((guesses == labels).mean())


def test_the_curve_matches_an_independent_computation(trained, tiny_mnist, tiny_mnist_dir):
    images, labels = file_test_set(tiny_mnist_dir)
    curve = accuracy_by_scale(trained, tiny_mnist.test, SCALES)
    assert [scale for scale, _ in curve] == list(SCALES)
    for scale, accuracy in curve:
        assert accuracy == pytest.approx(all_at_once(trained, images, labels, scale), abs=1.5 / len(labels)), scale


def test_its_ends_are_the_correct_accuracy_and_the_lectures(trained, tiny_mnist):
    curve = dict(accuracy_by_scale(trained, tiny_mnist.test, (1, 255)))
    assert curve[1] == predict(trained, tiny_mnist.test).accuracy
    assert curve[255] == lecture_accuracy(trained, tiny_mnist.test)
    assert curve[1] > 0.5  # it learned the synthetic digits, so the curve says something


@pytest.mark.parametrize("scale", [1, 7, 255])
def test_the_scaled_pixels_are_the_files_bytes_times_the_scale_over_255(tiny_mnist, tiny_mnist_dir, scale):
    """The synthetic digits are answered alike at every scale, so the pixels themselves are checked too."""
    images, _ = file_test_set(tiny_mnist_dir)
    pixels = scaled(tiny_mnist.test, scale).images.squeeze(1).double().numpy()
    assert np.allclose(pixels, images.astype(np.float64) * scale / 255, rtol=1e-6, atol=0)
    if scale == 255:
        assert np.array_equal(pixels, images)  # exactly the raw values the lecture feeds

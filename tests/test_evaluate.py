"""The lecture's accuracy (raw 0-255 pixels into a model trained on [0, 1]) against one counted here."""
from __future__ import annotations

import gzip

import numpy as np
import pytest
import torch
from torch import nn

from core.data.loading import FILES
from core.evaluate import lecture_accuracy


def square_reader() -> nn.Module:
    """Finds the tiny set's class square (tests/conftest.py), plus a bias towards 9 that only squares at full 0-255 brightness beat."""
    weight = torch.zeros(10, 28, 28)
    for label in range(10):
        row, col = 3 + (label // 5) * 12, 1 + (label % 5) * 5
        weight[label, row : row + 6, col : col + 6] = 1 / 36  # the square's mean brightness
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    with torch.no_grad():
        model[1].weight.copy_(weight.view(10, 784))
        model[1].bias.copy_(torch.tensor([0.0] * 9 + [200.0]))
    return model.eval()


def test_lecture_accuracy_is_the_models_accuracy_on_the_raw_test_bytes(tiny_mnist, tiny_mnist_dir):
    model = square_reader()
    with gzip.open(tiny_mnist_dir / f"{FILES['test_images']}.gz") as images, gzip.open(tiny_mnist_dir / f"{FILES['test_labels']}.gz") as labels:
        raw = np.frombuffer(images.read()[16:], dtype=np.uint8).reshape(-1, 784).astype(np.float64)  # IDX: 16-byte header
        truth = np.frombuffer(labels.read()[8:], dtype=np.uint8)
    weight, bias = model[1].weight.detach().double().numpy(), model[1].bias.detach().double().numpy()
    expected = ((raw @ weight.T + bias).argmax(1) == truth).mean()
    assert expected > 0.9  # squares of 255 beat the bias (noise is below 40); at half that scale the bias wins
    assert lecture_accuracy(model, tiny_mnist.test) == pytest.approx(expected, abs=1e-7)


def test_the_confusion_matrix_pairs_and_worst_first_order_match_a_hand_count():
    from core.evaluate import Predictions

    targets = torch.tensor([3, 3, 3, 5, 5, 1, 1, 1])
    predicted = torch.tensor([5, 5, 8, 3, 5, 1, 7, 1])
    losses = torch.tensor([0.5, 2.0, 1.0, 3.0, 0.2, 0.1, 0.7, 0.3])
    table = Predictions(torch.nn.functional.one_hot(predicted, 10).float(), targets, losses)
    expected = np.zeros((10, 10), dtype=np.int64)  # row = true digit, column = predicted
    expected[3, 5], expected[3, 8], expected[5, 3], expected[5, 5], expected[1, 1], expected[1, 7] = 2, 1, 1, 1, 2, 1
    assert np.array_equal(table.confusion_matrix().numpy(), expected)
    pairs = table.most_confused(10)
    assert pairs[0] == (3, 5, 2) and sorted(pairs[1:]) == [(1, 7, 1), (3, 8, 1), (5, 3, 1)]
    assert table.mistakes().tolist() == [3, 1, 2, 6, 0]  # the mistakes by loss, highest first
    assert table.mistakes(true=3).tolist() == [1, 2, 0] and table.mistakes(predicted=3).tolist() == [3]

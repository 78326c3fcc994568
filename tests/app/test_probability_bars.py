"""ui.probability_bars: ten bars whose heights, labels and exact values follow the probabilities."""
from __future__ import annotations

import dataclasses
import re

import pytest
import torch

from core.data.datasets import FASHION_MNIST, MNIST
from ui.probability_bars import probability_bars_html


def test_each_bar_is_as_tall_as_its_probability_and_the_most_likely_one_stands_out():
    probabilities = torch.tensor([0.0, 0.05, 0.0, 0.7, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0])
    page = probability_bars_html(probabilities)
    heights = [float(h) for h in re.findall(r'style="height:([\d.]+)%"', page)]
    assert heights == [0.0, 5.0, 0.0, 70.0, 0.0, 0.0, 0.0, 25.0, 0.0, 0.0]
    assert re.findall(r'class="pbar( best)?"', page).index(" best") == 3
    assert [float(v) for v in re.search(r'data-probabilities="([^"]+)"', page).group(1).split(",")] == \
        pytest.approx(probabilities.tolist(), abs=1e-8)
    assert re.findall(r"<span>(\d+)%</span>", page) == ["0", "5", "0", "70", "0", "0", "0", "25", "0", "0"]


def test_class_names_come_from_the_dataset_and_are_escaped():
    page = probability_bars_html(torch.full((10,), 0.1), FASHION_MNIST)
    assert "T-shirt/top" in page and "Ankle boot" in page
    hostile = dataclasses.replace(MNIST, classes=("<b>zero</b>",) + MNIST.classes[1:])
    assert "<b>zero" not in probability_bars_html(torch.full((10,), 0.1), hostile)


def test_logits_ride_in_the_tooltips_and_the_explained_class_is_outlined():
    probabilities = torch.tensor([0.1, 0.6, 0.3] + [0.0] * 7)
    logits = torch.tensor([1.25, 3.0, 2.5] + [-4.0] * 7)
    page = probability_bars_html(probabilities, MNIST, logits, explained=2)
    titles = re.findall(r'class="pbar[^"]*" title="([^"]+)"', page)
    assert titles[1] == "digit 1: 60.0% (logit 3.00)" and titles[9].endswith("(logit -4.00)")
    logit_row = re.search(r'class="pnames plogits"[^>]*>(.*?)</div>', page).group(1)
    assert re.findall(r"<span>([-\d.]+)</span>", logit_row) == ["1.25", "3.00", "2.50"] + ["-4.00"] * 7
    classes = re.findall(r'class="pbar([^"]*)" title', page)
    assert classes[1] == " best" and classes[2] == " explained"
    plain = probability_bars_html(probabilities)  # as on Draw: nothing explained, no logits
    assert not re.search(r'class="pbar[^"]*explained', plain) and "(logit" not in plain and "plogits\"" not in plain

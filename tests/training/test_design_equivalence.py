"""The named designs are the networks they replace: the hand-written classes (tests/training/
legacy_models.py, as they were before designs) trained side by side from one seed give identical
costs and weights, batch for batch."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from core.training.models import build_model, place
from tests.training.legacy_models import LEGACY


def train_steps(model: torch.nn.Module, images: torch.Tensor, labels: torch.Tensor, batch: int) -> list[float]:
    model = place(model, "cpu").train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    costs = []
    for start in range(0, len(images), batch):
        optimizer.zero_grad()
        cost = F.cross_entropy(model(images[start : start + batch]), labels[start : start + batch])
        cost.backward()
        optimizer.step()
        costs.append(cost.item())
    return costs


@pytest.mark.parametrize("name", list(LEGACY))
def test_design_built_and_hand_written_networks_train_identically(name):
    generator = torch.Generator().manual_seed(0)
    images = torch.rand(5 * 32, 1, 28, 28, generator=generator)
    labels = torch.randint(0, 10, (5 * 32,), generator=generator)
    torch.manual_seed(777)
    legacy = LEGACY[name](dropout=0.5)
    legacy_costs = train_steps(legacy, images, labels, 32)
    torch.manual_seed(777)  # dropout's masks come from the same RNG: same draws only if the layers run alike
    ours = build_model(name, dropout=0.5)
    assert list(ours.state_dict()) == list(legacy.state_dict())  # the notebook's keys
    our_costs = train_steps(ours, images, labels, 32)
    assert our_costs == legacy_costs and len(our_costs) == 5
    for key, value in legacy.state_dict().items():
        assert torch.equal(ours.state_dict()[key], value), key

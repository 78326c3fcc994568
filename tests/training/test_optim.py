"""Optimizers and the one-cycle schedule, checked against torch's own optimizers run directly."""
from __future__ import annotations

import threading

import pytest
import torch
from torch import nn

from core.training.config import TrainConfig
from core.training.events import EpochEnd
from core.training.fit import fit, new_run, resume_run
from core.training.optim import build_optimizer, build_schedule


def steps(model: nn.Module, optimizer: torch.optim.Optimizer, count: int = 5) -> torch.Tensor:
    """Train a copy-identical model a few steps on fixed data; its weights after, flattened."""
    inputs, targets = torch.linspace(-1, 1, 24).reshape(6, 4), torch.tensor([0, 1, 2, 0, 1, 2])
    for _ in range(count):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(inputs), targets).backward()
        optimizer.step()
    return torch.cat([p.detach().flatten() for p in model.parameters()])


def pair() -> tuple[nn.Module, nn.Module]:
    torch.manual_seed(0)
    ours = nn.Linear(4, 3)
    theirs = nn.Linear(4, 3)
    theirs.load_state_dict(ours.state_dict())
    return ours, theirs


@pytest.mark.parametrize("config, oracle", [
    (TrainConfig(optimizer="sgd", lr=0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    (TrainConfig(optimizer="sgd", lr=0.1, momentum=0.5, weight_decay=0.1),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5, weight_decay=0.1)),
    (TrainConfig(optimizer="adam", lr=0.05, weight_decay=0.1), lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.1)),
    (TrainConfig(optimizer="adamw", lr=0.05, weight_decay=0.5), lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.5)),
])
def test_each_optimizer_setting_trains_as_torchs_own_optimizer(config, oracle):
    ours, theirs = pair()
    ours_after = steps(ours, build_optimizer(ours, config))
    assert torch.allclose(ours_after, steps(theirs, oracle(theirs.parameters())), atol=1e-6)


@pytest.mark.parametrize("changed, plain", [
    (TrainConfig(optimizer="sgd", lr=0.1, momentum=0.9), TrainConfig(optimizer="sgd", lr=0.1, momentum=0.0)),
    (TrainConfig(optimizer="sgd", lr=0.1, momentum=0.0, weight_decay=0.5), TrainConfig(optimizer="sgd", lr=0.1, momentum=0.0)),
    # AdamW decays the weights apart from the gradient; Adam's weight_decay is an L2 term inside it
    (TrainConfig(optimizer="adamw", lr=0.05, weight_decay=0.5), TrainConfig(optimizer="adam", lr=0.05, weight_decay=0.5)),
])
def test_momentum_weight_decay_and_adamw_each_change_training(changed, plain):
    """The oracle test above passes for a setting the optimizer ignores only if torch ignores it too; this one cannot."""
    first, second = pair()
    assert not torch.allclose(steps(first, build_optimizer(first, changed)), steps(second, build_optimizer(second, plain)), atol=1e-4)


def test_one_cycle_peaks_at_the_configs_learning_rate():
    config = TrainConfig(lr=0.02, epochs=3, schedule="onecycle")
    optimizer = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=config.lr)
    schedule = build_schedule(optimizer, config, batches_per_epoch=10)
    rates = []
    for _ in range(30):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        schedule.step()
    assert max(rates) == pytest.approx(0.02)
    assert rates[0] < 0.02 / 10 and rates[-1] < 0.02 / 100  # it warms up and anneals: a cycle, not a constant


ONE_CYCLE = TrainConfig(epochs=4, batch_size=64, max_batches=3, lr=0.01, schedule="onecycle")


def test_a_resumed_one_cycle_run_continues_the_same_schedule(tiny_mnist, runs_dir):
    straight, straight_dir = new_run(ONE_CYCLE, tiny_mnist, runs_dir, "cpu", name="straight")
    rates = [event.lr for event in fit(straight, straight_dir) if isinstance(event, EpochEnd)]

    stop = threading.Event()
    halted, halted_dir = new_run(ONE_CYCLE, tiny_mnist, runs_dir, "cpu", name="halted")
    for event in fit(halted, halted_dir, stop):
        if isinstance(event, EpochEnd) and event.epoch == 2:
            stop.set()
    resumed = resume_run(halted_dir, tiny_mnist, 4, "cpu")
    later = [event.lr for event in fit(resumed, halted_dir) if isinstance(event, EpochEnd)]
    assert later == pytest.approx(rates[2:], rel=1e-9)


def test_resuming_a_one_cycle_run_to_another_epoch_count_is_refused_with_a_sentence(tiny_mnist, runs_dir):
    stop = threading.Event()
    trainer, run_dir = new_run(ONE_CYCLE, tiny_mnist, runs_dir, "cpu", name="cycle")
    for event in fit(trainer, run_dir, stop):
        if isinstance(event, EpochEnd):
            stop.set()
    with pytest.raises(ValueError, match="one-cycle schedule planned for 4 epochs; resume it with 4 epochs"):
        resume_run(run_dir, tiny_mnist, 6, "cpu")

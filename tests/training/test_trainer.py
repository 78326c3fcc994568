"""The training loop: the lecture's batch order, learning, events, stop and resume."""
import threading

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from core.training.config import TrainConfig
from core.training.events import BatchEnd, EpochEnd, Stopped
from core.training.trainer import Trainer, lecture_batch_order, resolve_device


def test_batch_order_is_the_shuffled_dataloaders():
    """DataLoader(shuffle=True, drop_last=True) is the oracle, epoch after epoch, with RNG use in between."""
    dataset = TensorDataset(torch.arange(1000))
    torch.manual_seed(777)
    loader = DataLoader(dataset, batch_size=100, shuffle=True, drop_last=True)
    expected = []
    for _ in range(3):
        expected.append(torch.cat([batch for (batch,) in loader]))
        torch.rand(5)  # stands in for dropout drawing from the same generator
    torch.manual_seed(777)
    ours = []
    for _ in range(3):
        ours.append(lecture_batch_order(1000))
        torch.rand(5)
    for theirs, mine in zip(expected, ours):
        assert torch.equal(theirs, mine)


def test_trainer_overfits_a_tiny_set(tiny_mnist):
    config = TrainConfig(epochs=8, batch_size=32, lr=0.003)
    trainer = Trainer(config, tiny_mnist, device="cpu")
    epochs = [e for e in trainer.run() if isinstance(e, EpochEnd)]
    assert len(epochs) == 8
    assert epochs[-1].cost < epochs[0].cost / 4
    assert epochs[-1].test_accuracy > 0.95


def test_events_report_progress_and_epoch_results(tiny_mnist):
    trainer = Trainer(TrainConfig(epochs=1, batch_size=64), tiny_mnist, device="cpu")
    events = list(trainer.run())
    batches = [e for e in events if isinstance(e, BatchEnd)]
    assert [b.batch for b in batches] == list(range(1, 9)) and batches[0].batches == 8  # 512 // 64
    epoch = events[-1]
    assert isinstance(epoch, EpochEnd) and epoch.epoch == 1
    assert epoch.cost == pytest.approx(sum(b.cost for b in batches) / 8)
    assert 0 <= epoch.test_accuracy <= 1 and epoch.images_per_second > 0 and epoch.seconds > 0


def test_max_batches_caps_an_epoch(tiny_mnist):
    trainer = Trainer(TrainConfig(epochs=1, batch_size=16, max_batches=3), tiny_mnist, device="cpu")
    assert sum(isinstance(e, BatchEnd) for e in trainer.run()) == 3


def test_same_seed_same_costs(tiny_mnist):
    def costs():
        trainer = Trainer(TrainConfig(epochs=1, batch_size=64), tiny_mnist, device="cpu")
        return [e.cost for e in trainer.run() if isinstance(e, BatchEnd)]

    assert costs() == costs()


def test_stop_is_honoured_between_batches(tiny_mnist):
    stop = threading.Event()
    trainer = Trainer(TrainConfig(epochs=3, batch_size=64), tiny_mnist, device="cpu")
    seen = []
    for event in trainer.run(stop):
        seen.append(event)
        if isinstance(event, BatchEnd) and event.epoch == 2 and event.batch == 3:
            stop.set()
    assert isinstance(seen[-1], Stopped) and seen[-1].reason == "stopped"
    assert seen[-1].epochs_done == 1 and trainer.epochs_done == 1


def test_resume_continues_exactly_where_a_run_left_off(tiny_mnist):
    config = TrainConfig(epochs=3, batch_size=64)
    straight = Trainer(config, tiny_mnist, device="cpu")
    straight_costs = [e.cost for e in straight.run() if isinstance(e, EpochEnd)]

    first = Trainer(config.with_changes(epochs=1), tiny_mnist, device="cpu")
    list(first.run())
    resumed = Trainer(config, tiny_mnist, device="cpu", checkpoint=first.checkpoint())
    resumed_costs = [e.cost for e in resumed.run() if isinstance(e, EpochEnd)]
    assert [e["cost"] for e in resumed.history] == pytest.approx(straight_costs, rel=1e-5)
    assert len(resumed_costs) == 2


def test_divergence_stops_training(tiny_mnist):
    trainer = Trainer(TrainConfig(model="deep_cnn", epochs=2, batch_size=32, lr=10, optimizer="sgd"), tiny_mnist, device="cpu")
    last = list(trainer.run())[-1]
    assert isinstance(last, Stopped) and last.reason == "diverged" and "smaller" in last.message


def test_device_auto_is_cpu_without_cuda():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA"):
            resolve_device("cuda")


@pytest.mark.real_data
def test_first_epoch_cost_is_the_lectures(real_mnist):
    """The lecture prints [Epoch:    1] cost = 0.225650638 for the basic CNN at its defaults."""
    trainer = Trainer(TrainConfig(epochs=1), real_mnist, device="cpu")
    epoch = [e for e in trainer.run() if isinstance(e, EpochEnd)][0]
    assert epoch.cost == pytest.approx(0.225650638, rel=0.01)
    assert epoch.test_accuracy > 0.975

"""Pause, step one batch, resume: the job holds, a step trains exactly one batch and says what it changed,
a paused and stepped run ends bit-identical to one never paused, and stop works in every state."""
import time

import numpy as np
import torch

from core.runs import checkpoints
from core.training.config import TrainConfig
from core.training.jobs import JobRegistry
from tests.training.test_jobs import ended, wait_for

CONFIG = TrainConfig(epochs=2, batch_size=32, max_batches=8)


def done_batches(snapshot) -> int:
    return (snapshot.epoch - 1) * snapshot.batches + snapshot.batch if snapshot.epoch else 0


def held_still(registry: JobRegistry) -> int:
    """Wait until a paused job has finished its current batch and holds; returns batches done."""
    time.sleep(0.3)
    held = done_batches(registry.snapshot())
    time.sleep(0.3)
    assert done_batches(registry.snapshot()) == held, "a paused job kept training"
    return held


def final_weights(run_dir) -> dict:
    return checkpoints.load_checkpoint(run_dir)["model"]


def test_a_paused_and_stepped_run_ends_bit_identical_to_one_never_paused(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    registry.start(CONFIG, tiny_mnist_dir, runs_dir, device="cpu")
    wait_for(registry, lambda s: s.status == "running" and s.batch >= 1)
    assert registry.step() is False  # not paused: nothing to step
    assert registry.pause() is True and registry.snapshot().paused
    held = held_still(registry)
    for expected in range(held + 1, held + 4):  # three single steps, one crossing nothing but a batch
        assert registry.step() is True
        stepped = wait_for(registry, lambda s: s.step_change is not None and s.step_change.step == expected)
        assert held_still(registry) == expected
        change = stepped.step_change
        assert change.filters_before.shape == change.filters_after.shape == (32, 3, 3)
        assert not np.array_equal(change.filters_before, change.filters_after)  # one batch moved them
        assert [name for name, _ in change.update_ratio] == ["layer1", "layer2", "fc"]
        assert all(0 < ratio < 1 for _, ratio in change.update_ratio)
    assert registry.resume() is True and not registry.snapshot().paused
    paused_run = wait_for(registry, ended)
    assert paused_run.status == "finished", paused_run.message

    registry.start(CONFIG, tiny_mnist_dir, runs_dir, device="cpu")
    plain_run = wait_for(registry, ended)
    assert plain_run.status == "finished" and plain_run.run_dir != paused_run.run_dir
    paused, plain = final_weights(paused_run.run_dir), final_weights(plain_run.run_dir)
    assert all(torch.equal(paused[key], plain[key]) for key in plain)
    assert paused_run.batch_costs == plain_run.batch_costs
    assert len(paused_run.records) == len(plain_run.records) == 16


def test_stop_works_while_paused_and_after_a_step(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    registry.start(TrainConfig(epochs=50, batch_size=16, max_batches=4), tiny_mnist_dir, runs_dir, device="cpu")
    wait_for(registry, lambda s: len(s.history) >= 1)
    registry.pause()
    held = held_still(registry)
    registry.step()
    wait_for(registry, lambda s: s.step_change is not None and s.step_change.step == held + 1)
    assert registry.stop() is True
    final = wait_for(registry, ended, timeout=10)
    assert final.status == "stopped" and done_batches(final) == held + 1
    assert registry.pause() is False and registry.resume() is False

"""Each plain-language reading, provoked by a real run that has the problem; a healthy run has none."""
import subprocess
import sys

import torch

from core.data.loading import PROJECT_ROOT
from core.training.config import TrainConfig
from core.training.readings import Watch, read
from core.training.trainer import Trainer


def readings_of(config: TrainConfig, data, prepare=None, every: int = 1) -> dict:
    """Train `config`, recording every `every` batches; {kind: the sentences that fired}."""
    trainer = Trainer(config, data, device="cpu")
    trainer.recorder.every = every
    if prepare:
        prepare(trainer.model)
    watch, fired = Watch(), {}
    for event in trainer.run():
        for reading in watch.see(event):
            fired.setdefault(reading.kind, []).append(reading.sentence)
    return fired


def test_a_healthy_run_reads_nothing(tiny_mnist):
    assert readings_of(TrainConfig(epochs=1, batch_size=16), tiny_mnist) == {}


def test_lr_0_1_with_adam_reads_learning_rate_too_high(tiny_mnist):
    fired = readings_of(TrainConfig(epochs=1, batch_size=16, lr=0.1, optimizer="adam"), tiny_mnist)
    [sentence] = fired["lr_too_high"]
    assert sentence.startswith("Learning rate too high") and "10x smaller" in sentence


def test_a_layer_with_most_units_dead_is_named(tiny_mnist):
    def kill_most_of_layer2(model):
        with torch.no_grad():
            model.layer2[0].bias[:40].fill_(-1e4)  # 40 of its 64 channels can never be positive

    fired = readings_of(TrainConfig(epochs=1, batch_size=64), tiny_mnist, kill_most_of_layer2)
    [sentence] = fired["dead_units"]
    assert sentence.startswith("More than half of layer2's units are dead: ") and "%" in sentence


def test_a_five_block_sigmoid_design_reads_vanishing_gradients(tiny_mnist):
    design = "c8-sigmoid,c8-sigmoid,c8-sigmoid,c8-sigmoid,c8-sigmoid-max,fc10"
    fired = readings_of(TrainConfig(epochs=1, batch_size=64, design=design), tiny_mnist)
    [sentence] = fired["vanishing_gradients"]
    assert sentence.startswith("Gradients vanish toward the input: layer1's gradient norm")


def test_a_cost_that_does_not_fall_in_300_batches_is_said(tiny_mnist):
    config = TrainConfig(epochs=3, batch_size=4, lr=1e-7, optimizer="sgd")  # 128 batches an epoch
    fired = readings_of(config, tiny_mnist, every=20)  # batch 300 is a record's
    assert list(fired) == ["cost_flat"]
    after = int(fired["cost_flat"][0].split("has not fallen after ")[1].split(" ")[0])
    assert 300 <= after < 320  # said at the first record past 300 batches
    assert read([], [2.3 - 0.002 * i for i in range(300)]) == []  # a cost that falls is fine


def test_core_train_prints_the_readings_as_warning_lines(tiny_mnist_dir, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "core.train", "--lr", "0.1", "--batch-size", "8", "--epochs", "1",
         "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(tmp_path), "--device", "cpu"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning: ")]
    assert any(line.startswith("warning: Learning rate too high") for line in warnings), result.stdout
    assert len(warnings) == len(set(warnings))  # each said once

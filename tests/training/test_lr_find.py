"""The learning-rate finder: a range test on a throwaway copy that leaves the RNG and the runs alone,
its CLI with core.train's options, the background job, and (real MNIST) a suggestion that trains."""
import random
import subprocess
import sys

import pytest
import torch

from core.data.loading import PROJECT_ROOT
from core.runs import checkpoints
from core.training.config import TrainConfig
from core.training.jobs import JobBusy, JobRegistry
from core.training.lr_find import RULE, find_lr, suggest
from core.training.trainer import Trainer
from tests.training.test_jobs import ended, wait_for


def test_the_range_test_leaves_the_global_rng_untouched(tiny_mnist):
    torch.manual_seed(123)
    random.seed(5)
    torch_state, python_state = torch.get_rng_state(), random.getstate()
    result = find_lr(TrainConfig(batch_size=16), tiny_mnist, batches=30)
    assert torch.equal(torch.get_rng_state(), torch_state) and random.getstate() == python_state
    assert len(result.lrs) == len(result.costs) == len(result.smoothed) <= 30
    assert result.lrs[0] == pytest.approx(1e-7) and all(b > a for a, b in zip(result.lrs, result.lrs[1:]))
    assert result.lrs[0] <= result.suggestion <= result.lrs[-1] and result.rule == RULE


def test_the_same_settings_find_the_same_rate(tiny_mnist):
    first = find_lr(TrainConfig(batch_size=16), tiny_mnist, batches=30)
    assert find_lr(TrainConfig(batch_size=16), tiny_mnist, batches=30).costs == first.costs


def test_the_suggestion_is_the_steepest_fall_before_the_lowest_cost():
    lrs = [10 ** (-7 + i * 0.1) for i in range(60)]
    smoothed = [2.3] * 20 + [2.3 - 0.05 * i for i in range(1, 21)] + [1.3 + 0.1 * i for i in range(20)]
    smoothed[30] -= 0.2  # the steepest drop lands at index 29-30
    assert lrs.index(suggest(lrs, smoothed)) in (29, 30)


def test_cli_takes_core_trains_options_and_ends_with_the_suggestion(tiny_mnist_dir, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "core.lr_find", "--batch-size", "16", "--optimizer", "sgd", "--arch", "c8-max,fc10",
         "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(tmp_path), "--device", "cpu"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("suggested lr: ") and 1e-7 <= float(last.split(": ")[1]) <= 10
    assert "sgd" in result.stdout and "c8-max,fc10" in result.stdout
    assert list(tmp_path.iterdir()) == []  # nothing saved
    refused = subprocess.run([sys.executable, "-m", "core.lr_find", "--lr", "abc"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "python -m core.lr_find: error" in refused.stderr


def test_the_finder_is_the_apps_one_background_job(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    registry.start_lr_find(TrainConfig(batch_size=16), tiny_mnist_dir, device="cpu")
    with pytest.raises(JobBusy, match="learning-rate finder"):
        registry.start(TrainConfig(epochs=1), tiny_mnist_dir, runs_dir, device="cpu")
    final = wait_for(registry, ended, timeout=120)
    assert final.status == "finished" and final.kind == "lr_find", final.message
    assert final.batch == len(final.lr_result.costs) or final.batch == final.batches
    assert 1e-7 <= final.lr_result.suggestion <= 10
    assert not runs_dir.exists() or checkpoints.list_runs(runs_dir) == []


@pytest.mark.real_data
def test_lecture_cnn_with_adam_gets_a_rate_that_trains_to_97_percent_in_one_epoch(real_mnist):
    config = TrainConfig(epochs=1)  # the lecture's basic CNN, Adam, batch 100
    result = find_lr(config, real_mnist)
    print(f"suggested lr {result.suggestion:.3g} in {result.seconds:.1f} s")
    assert 1e-4 <= result.suggestion <= 1e-2
    trainer = Trainer(config.with_changes(lr=result.suggestion), real_mnist, device="cpu")
    *_, epoch = trainer.run()
    print(f"one epoch at {result.suggestion:.3g}: test accuracy {epoch.test_accuracy:.4f}")
    assert epoch.test_accuracy >= 0.97

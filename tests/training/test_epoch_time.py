"""The time-per-epoch estimate: the fit, the epoch arithmetic, and the per-machine cache."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from core.training import epoch_time
from core.training.design_text import parse
from core.training.epoch_time import Speed, fit_nonnegative, load_speed, machine_key, measure_speed
from core.training.walk import totals

TINY = (("c2,fc10", 8), ("c4-max,fc10", 8), ("c2,fc10", 2))  # a fit from milliseconds of steps


def test_the_fit_recovers_known_coefficients_and_never_goes_negative():
    rows = np.array([[1e9, 1e6, 1], [4e9, 3e6, 1], [2e9, 9e6, 1], [8e9, 1e6, 1]])
    truth = np.array([2e-11, 5e-9, 3e-3])
    assert fit_nonnegative(rows, rows @ truth) == pytest.approx(tuple(truth), rel=1e-6)
    # seconds that fall as values grow would need b < 0: b is dropped and a, c refitted
    seconds = rows @ np.array([2e-11, 0, 3e-3]) - rows[:, 1] * 1e-10
    a, b, c = fit_nonnegative(rows, seconds)
    assert b == 0 and a > 0 and c >= 0


def test_an_epoch_is_its_batches_times_the_batch_time():
    speed = Speed(per_flop=1e-11, per_value=1e-9, per_step=2e-3, machine="m", measured_at="now")
    design = parse("c32-max,c64-max,fc10")
    total = totals(design)
    batch = 100 * (1e-11 * total.training_flops + 1e-9 * total.activation_values) + 2e-3
    assert speed.batch_seconds(design, 100) == pytest.approx(batch)
    assert speed.epoch_seconds(design, 100) == pytest.approx(600 * batch)  # 60,000 // 100
    assert speed.epoch_seconds(design, 128) == pytest.approx(468 * speed.batch_seconds(design, 128))  # drop_last
    assert speed.epoch_seconds(design, 100, max_batches=7) == pytest.approx(7 * batch)


def test_a_measured_speed_is_cached_per_machine_and_ranks_designs_by_their_cost(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_CACHE_DIR", str(tmp_path))
    assert load_speed("cpu") is None
    speed = measure_speed("cpu", TINY)
    assert load_speed("cpu") == speed and speed.machine == machine_key("cpu")
    assert f"torch {torch.__version__}" in speed.machine and f"{torch.get_num_threads()} threads" in speed.machine
    big, small = parse("c64,c64-max,fc10"), parse("c2-max,fc10")
    assert speed.epoch_seconds(big, 100) > speed.epoch_seconds(small, 100) > 0
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(threads + 1)  # another thread count is another machine: measure again
        assert load_speed("cpu") is None
    finally:
        torch.set_num_threads(threads)
    (tmp_path / epoch_time.CACHE_NAME).write_text("{not json")
    assert load_speed("cpu") is None  # a damaged cache only means measuring again


def test_the_probe_measures_once_in_the_background(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_CACHE_DIR", str(tmp_path))
    probe = epoch_time.SpeedProbe("cpu", TINY)
    assert probe.speed() is None
    probe.start()
    measured = probe.wait(60)
    assert measured is not None and not probe.measuring and probe.error is None
    assert json.loads((tmp_path / epoch_time.CACHE_NAME).read_text())[machine_key("cpu")]["per_step"] == measured.per_step
    assert epoch_time.SpeedProbe("cpu").speed() == measured  # a new server reads it from disk


def test_measuring_again_replaces_the_speed_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_CACHE_DIR", str(tmp_path))
    probe = epoch_time.SpeedProbe("cpu", TINY)
    probe.start()
    first = probe.wait(60)
    probe.measure_again()
    second = probe.wait(60)
    assert first is not None and second is not None and second != first  # new timings, never bit-equal
    assert load_speed("cpu") == second

"""The recorder costs at most 5% of training time for `cnn` and `fast` (bench/training/telemetry_overhead.py, real MNIST).

Asserted on each call's own clock (a record's seconds over the `every` steps it stands for), which a
machine shared with other work cannot skew the way it skews two wall-clock races; the race's ratio is printed.
"""
import pytest

from bench.training.telemetry_overhead import race


@pytest.mark.real_data
@pytest.mark.parametrize("name", ["cnn", "fast"])
def test_recording_costs_at_most_five_percent(real_mnist, name):
    result = race(name, real_mnist, batches=24, rounds=6)
    print(f"{name}: per call {result['per_call']:+.1%}, race {result['overhead']:+.1%}, "
          f"{result['record_ms']:.1f} ms a record, {result['step_ms']:.1f} ms a step")
    assert result["every"] == {"cnn": 12, "fast": 9}[name]
    assert 0 < result["per_call"] <= 0.05

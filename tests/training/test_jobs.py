"""The background job: progress, stop mid-run, one job at a time, data-set errors as failed jobs."""
from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from core.runs import checkpoints
from core.training.config import TrainConfig
from core.data.loading import missing_help
from core.training.jobs import JobBusy, JobRegistry, JobSnapshot

LONG = TrainConfig(epochs=50, batch_size=16, max_batches=4)  # 200 short batches: long enough to stop mid-run


def wait_for(registry: JobRegistry, condition, timeout: float = 30.0) -> JobSnapshot:
    """Poll snapshots until `condition(snapshot)` holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snapshot = registry.snapshot()
        if condition(snapshot):
            return snapshot
        time.sleep(0.01)
    raise AssertionError(f"timed out; last snapshot: {registry.snapshot()}")


def ended(snapshot: JobSnapshot) -> bool:
    return snapshot.status not in ("loading", "running")


def test_idle_registry_has_nothing_to_stop():
    registry = JobRegistry()
    assert registry.snapshot().status == "idle" and not registry.snapshot().active
    assert registry.stop() is False


def test_a_short_job_finishes_and_saves_its_run(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    config = TrainConfig(epochs=2, batch_size=32, max_batches=3)
    registry.start(config, tiny_mnist_dir, runs_dir, device="cpu")
    final = wait_for(registry, ended)
    assert final.status == "finished", final.message
    assert [epoch["epoch"] for epoch in final.history] == [1, 2]
    assert len(final.batch_costs) == 2 * 3 and final.batches == 3
    assert (final.epoch, final.batch, final.eta) == (2, 3, 0.0)
    [run] = checkpoints.list_runs(runs_dir)
    assert run.name == final.run_name and run.path == final.run_dir
    assert run.meta["status"] == "finished"
    assert run.meta["metrics"]["test_accuracy"] == pytest.approx(final.test_accuracy)
    assert final.history[0]["cost"] == pytest.approx(sum(final.batch_costs[:3]) / 3)


def test_progress_is_visible_and_stop_keeps_the_finished_epochs(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    registry.start(LONG, tiny_mnist_dir, runs_dir, device="cpu")
    running = wait_for(registry, lambda s: s.status == "running" and s.batch > 0)
    assert running.active and running.run_name and running.batches == 4
    assert running.eta is not None and running.eta > 0
    after_epoch = wait_for(registry, lambda s: len(s.history) >= 1 and s.batch_costs)
    assert after_epoch.batch_costs[0] == running.batch_costs[0]  # one growing trace, not restarted
    assert not registry.snapshot().stopping
    assert registry.stop() is True
    assert registry.snapshot().stopping
    final = wait_for(registry, ended)
    assert final.status == "stopped" and "Stopped" in final.message
    assert 1 <= len(final.history) < LONG.epochs
    meta = checkpoints.read_meta(final.run_dir)
    assert meta["status"] == "stopped" and meta["metrics"]["epochs_done"] == len(final.history)
    assert registry.snapshot().elapsed == pytest.approx(final.elapsed)  # the clock stops with the job


def test_snapshots_are_frozen_copies(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    registry.start(LONG, tiny_mnist_dir, runs_dir, device="cpu")
    early = wait_for(registry, lambda s: len(s.batch_costs) >= 2)
    taken = len(early.batch_costs)
    wait_for(registry, lambda s: len(s.batch_costs) > taken + 2)
    assert len(early.batch_costs) == taken
    with pytest.raises(dataclasses.FrozenInstanceError):
        early.status = "finished"
    registry.stop()
    wait_for(registry, ended)


def test_a_second_start_is_refused_naming_the_running_job(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    registry.start(LONG, tiny_mnist_dir, runs_dir, device="cpu")
    running = wait_for(registry, lambda s: s.status == "running")
    with pytest.raises(JobBusy, match=running.run_name) as refused:
        registry.start(TrainConfig(model="deep_cnn"), tiny_mnist_dir, runs_dir, device="cpu")
    assert "(cnn)" in str(refused.value)
    assert registry.snapshot().job_id == running.job_id
    registry.stop()
    wait_for(registry, ended)
    again = registry.start(TrainConfig(epochs=1, batch_size=64, max_batches=1), tiny_mnist_dir, runs_dir, "cpu")
    assert again.job_id == running.job_id + 1
    assert wait_for(registry, ended).status == "finished"


def test_a_start_refused_while_the_first_job_loads_names_it(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    first = registry.start(LONG, tiny_mnist_dir, runs_dir, device="cpu")
    # start returns the job as it claimed the slot, even when its thread is already training
    assert first.status == "loading" and first.run_name.startswith("cnn-")
    # straight away, perhaps before the data has loaded: the job already has the name its run folder will get
    with pytest.raises(JobBusy, match=first.run_name):
        registry.start(LONG, tiny_mnist_dir, runs_dir, device="cpu")
    running = wait_for(registry, lambda s: s.status == "running")
    assert running.run_name == first.run_name
    registry.stop()
    wait_for(registry, ended)


def test_two_simultaneous_starts_make_exactly_one_job(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press_start() -> None:
        barrier.wait()
        try:
            registry.start(LONG, tiny_mnist_dir, runs_dir, device="cpu")
            outcomes.append("started")
        except JobBusy:
            outcomes.append("busy")

    threads = [threading.Thread(target=press_start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["busy", "started"]
    assert registry.snapshot().job_id == 1
    wait_for(registry, lambda s: s.status == "running")
    registry.stop()
    wait_for(registry, ended)
    assert len(checkpoints.list_runs(runs_dir)) <= 1


def test_a_missing_data_set_becomes_a_failed_job_with_the_fix(tmp_path, runs_dir):
    registry = JobRegistry()
    empty = tmp_path / "no-mnist-here"
    empty.mkdir()
    registry.start(TrainConfig(epochs=1), empty, runs_dir, device="cpu")
    final = wait_for(registry, ended)
    assert final.status == "failed"
    assert final.message == missing_help(empty)
    assert not final.active and checkpoints.list_runs(runs_dir) == []


def test_a_batch_larger_than_the_data_set_fails_with_a_sentence(tiny_mnist_dir, runs_dir):
    registry = JobRegistry()
    registry.start(TrainConfig(batch_size=1024), tiny_mnist_dir, runs_dir, device="cpu")
    final = wait_for(registry, ended)
    assert final.status == "failed" and "batch_size 1024" in final.message

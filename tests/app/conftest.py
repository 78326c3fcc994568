"""AppTest fixtures: temp data and run folders through the env vars, fresh caches, no job left running."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.training.config import TrainConfig
from core.training.fit import fit, new_run

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 30  # seconds one script run may take (torch imports on the first)


@pytest.fixture(scope="session")
def machine_speed():
    """This machine's training speed, measured once per session on three tiny designs (a tenth of a second)
    into the session's cache folder, so the Train page reads it instead of measuring in the background."""
    from core.training.epoch_time import measure_speed
    from core.training.trainer import resolve_device

    return measure_speed(resolve_device("auto"), (("c2,fc10", 8), ("c4-max,fc10", 8), ("c2,fc10", 2)))


@pytest.fixture
def app_env(tmp_path: Path, tiny_mnist_dir: Path, tiny_fashion_dir: Path, monkeypatch: pytest.MonkeyPatch, machine_speed) -> Path:
    """Both data folders -> tiny data sets, MNIST_CHECKPOINT_DIR -> an empty temp folder; caches cleared;
    the machine's speed known (machine_speed)."""
    runs = tmp_path / "runs"
    runs.mkdir()
    monkeypatch.setenv("MNIST_DATA_DIR", str(tiny_mnist_dir))
    monkeypatch.setenv("FASHION_MNIST_DATA_DIR", str(tiny_fashion_dir))
    monkeypatch.setenv("MNIST_CHECKPOINT_DIR", str(runs))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield runs
    stop_job()
    st.cache_resource.clear()
    st.cache_data.clear()


def registry():
    """The registry the pages use (cache_resource is process-wide, so AppTest and this share it)."""
    from ui.resources import job_registry

    return job_registry()


def wait_for(condition, timeout: float = 30.0):
    """Poll the job's snapshot until `condition(snapshot)`; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snapshot = registry().snapshot()
        if condition(snapshot):
            return snapshot
        time.sleep(0.02)
    raise AssertionError(f"timed out; last snapshot: {registry().snapshot()}")


def stop_job() -> None:
    registry().stop()
    wait_for(lambda snapshot: not snapshot.active)


def open_page(page: str | None = None) -> AppTest:
    """Run the home page, then switch to `page` ("pages/1_Train.py") as a user would."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if page is not None:
        at.switch_page(page).run()
    return at


def make_run(root: Path, data, name: str, **settings) -> Path:
    """A real saved run, trained on the tiny set in a blink (1 epoch of 2 batches unless told)."""
    config = TrainConfig(**{"epochs": 1, "batch_size": 32, "max_batches": 2, **settings})
    trainer, run_dir = new_run(config, data, root, device="cpu", name=name)
    for _ in fit(trainer, run_dir):
        pass
    return run_dir


@pytest.fixture(scope="session")
def saved_runs(tmp_path_factory: pytest.TempPathFactory, tiny_mnist) -> Path:
    """Two real runs trained once per session: run-a (the lecture's settings) and run-b (lr 0.01, seed 1)."""
    root = tmp_path_factory.mktemp("saved-runs")
    make_run(root, tiny_mnist, "run-a")
    make_run(root, tiny_mnist, "run-b", lr=0.01, seed=1)
    return root


CUSTOM_DESIGN = "c8-bn-max,c16-bn-tanh-avg,gap,fc32-d0.2,fc10"  # batch norm, tanh, avg pool, GAP, a hidden layer


@pytest.fixture(scope="session")
def custom_run(tmp_path_factory: pytest.TempPathFactory, tiny_mnist) -> Path:
    """A real run of a custom design (CUSTOM_DESIGN), every epoch kept: 2 epochs of 2 batches."""
    return make_run(tmp_path_factory.mktemp("custom-runs"), tiny_mnist, "run-custom", design=CUSTOM_DESIGN, epochs=2)


def add_run(root: Path, saved_runs: Path, name: str = "run-a", as_name: str | None = None) -> Path:
    """Copy a session run into this test's runs folder (copying is much faster than training)."""
    return Path(shutil.copytree(saved_runs / name, root / (as_name or name)))


def add_damaged_run(root: Path, saved_runs: Path, name: str = "broken-run") -> Path:
    """A run whose model.pt was overwritten with garbage."""
    run_dir = add_run(root, saved_runs, "run-a", as_name=name)
    (run_dir / "model.pt").write_bytes(b"this is not a checkpoint")
    return run_dir


@pytest.fixture(scope="session")
def tiny_data(tiny_mnist):
    """The tiny synthetic MNIST, loaded (an alias other page tests use)."""
    return tiny_mnist


def make_damaged_run(root: Path, data, name: str = "broken-run") -> Path:
    """A freshly trained run whose model.pt was then overwritten with garbage."""
    run_dir = make_run(root, data, name)
    (run_dir / "model.pt").write_bytes(b"this is not a checkpoint")
    return run_dir

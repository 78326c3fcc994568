"""AppTest fixtures: temp data and run folders through the env vars, fresh caches, no job left running."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.config import TrainConfig
from core.fit import fit, new_run
from tests.conftest import make_mnist_dir

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 30  # seconds one script run may take (torch imports on the first)


@pytest.fixture
def app_env(tmp_path: Path, tiny_mnist_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MNIST_DATA_DIR -> the tiny data set, MNIST_CHECKPOINT_DIR -> an empty temp folder; caches cleared."""
    runs = tmp_path / "runs"
    runs.mkdir()
    monkeypatch.setenv("MNIST_DATA_DIR", str(tiny_mnist_dir))
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


@pytest.fixture(scope="session")
def tiny_data(tiny_mnist_dir: Path):
    from core.data import load_mnist

    return load_mnist(tiny_mnist_dir, allow_download=False)


def make_run(root: Path, data, name: str, **settings) -> Path:
    """A real saved run, trained on the tiny set in a blink (1 epoch of 2 batches unless told)."""
    config = TrainConfig(**{"epochs": 1, "batch_size": 32, "max_batches": 2, **settings})
    trainer, run_dir = new_run(config, data, root, device="cpu", name=name)
    for _ in fit(trainer, run_dir):
        pass
    return run_dir


def make_damaged_run(root: Path, data, name: str = "broken-run") -> Path:
    """A run whose model.pt was overwritten with garbage."""
    run_dir = make_run(root, data, name)
    (run_dir / "model.pt").write_bytes(b"this is not a checkpoint")
    return run_dir


def make_empty_dir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


__all__ = ["APP", "make_mnist_dir", "open_page", "registry", "wait_for", "make_run", "make_damaged_run"]

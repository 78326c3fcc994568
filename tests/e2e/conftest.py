"""A real Streamlit server on a free loopback port, and headless Debian Chromium driven by Playwright.

One server per test session, on tiny synthetic MNIST; its runs folder is `e2e_runs_dir`,
so a test can save a run there with core before opening a page.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from core.training.config import TrainConfig
from core.data.loading import load_mnist
from core.training.fit import fit, new_run
from tests.conftest import make_mnist_dir
from tests.e2e.chromium import CHROMIUM, VIEWPORT, launch
from tests.e2e.server import serve


@pytest.fixture(scope="session")
def e2e_data_dir(tmp_path_factory) -> Path:
    return make_mnist_dir(tmp_path_factory.mktemp("e2e-mnist"))


@pytest.fixture(scope="session")
def e2e_runs_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e-runs")


@pytest.fixture(scope="session")
def server(e2e_data_dir, e2e_runs_dir):
    """`streamlit run app.py` headless on 127.0.0.1, with tiny synthetic MNIST and the (at first empty) runs folder."""
    try:
        with serve(e2e_data_dir, e2e_runs_dir) as url:
            yield url
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def draw_run(e2e_data_dir, e2e_runs_dir) -> Path:
    """A saved run for the Draw page: one full epoch on the tiny set (about a second), so it has opinions."""
    config = TrainConfig(epochs=1, batch_size=32)
    trainer, run_dir = new_run(config, load_mnist(e2e_data_dir, allow_download=False), e2e_runs_dir, "cpu", "e2e-draw")
    for _ in fit(trainer, run_dir):
        pass
    return run_dir


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()

"""A Mistakes tile's "Look inside" link opens the Inside page on that same test image, feature maps drawn."""
import re

import pytest

from core.training.config import TrainConfig
from core.data.loading import load_mnist
from core.training.fit import fit, new_run
from tests.e2e.streamlit_dom import PAGE_TIMEOUT, assert_no_exception, choose_option, keyed, open_page, poll

pytestmark = pytest.mark.e2e
RUN = "e2e-inside"


@pytest.fixture(scope="module")
def half_trained_run(e2e_data_dir, e2e_runs_dir):
    """Two batches of training: plenty of mistakes to click, and an epoch 0 and 1 to look at."""
    config = TrainConfig(epochs=1, batch_size=32, max_batches=2)
    trainer, run_dir = new_run(config, load_mnist(e2e_data_dir, allow_download=False), e2e_runs_dir, "cpu", RUN)
    for _ in fit(trainer, run_dir):
        pass
    return run_dir


def test_look_inside_from_a_mistake_tile_shows_that_images_feature_maps(server, page, half_trained_run):
    open_page(page, f"{server}/Mistakes", ".st-key-mistakes_run")
    choose_option(page, "mistakes_run", RUN)
    link = page.get_by_role("link", name=re.compile("Look inside")).first
    link.wait_for(timeout=PAGE_TIMEOUT)  # the page scores the test set first
    index = int(re.search(r"[?&]test=(\d+)", link.get_attribute("href")).group(1))
    true_digit = re.match(r"true (\d)", page.get_by_test_id("stImage").first.inner_text()).group(1)
    link.click()
    page.wait_for_url(re.compile(r"/Inside\?"), timeout=30_000)
    mosaic = keyed(page, "inside_maps_layer1_0").locator("img")
    mosaic.wait_for(timeout=PAGE_TIMEOUT)
    assert keyed(page, "inside_index").locator("input").input_value() == str(index)
    caption = page.get_by_test_id("stImage").first.inner_text()
    assert f"test image {index}: a {true_digit}" in caption
    # the mosaic of all 32 channels of layer1's 28x28 convolution output: 6x6 tiles of 28 with 1-pixel gaps
    assert "layer1: convolution · 32×28×28" in keyed(page, "inside_maps_layer1_0").inner_text()
    size = poll(lambda: mosaic.evaluate("img => img.complete ? [img.naturalWidth, img.naturalHeight] : null"), bool)
    assert size == [6 * 29 - 1, 6 * 29 - 1]
    assert mosaic.evaluate("img => img.getBoundingClientRect().width") > 300  # shown large, nearest neighbour
    assert_no_exception(page)

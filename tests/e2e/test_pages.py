"""Every page opens in a real browser without an exception."""
import pytest

pytestmark = pytest.mark.e2e

PAGES = ["", "Train", "Runs", "Mistakes", "Draw", "Inside", "Map"]


@pytest.mark.parametrize("path", PAGES)
def test_page_opens_without_exception(server, page, path):
    page.goto(f"{server}/{path}")
    page.wait_for_selector('[data-testid="stApp"]', timeout=90_000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1, [data-testid="stMainBlockContainer"] h2', timeout=90_000)
    page.wait_for_timeout(1500)  # let the script finish its run
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")

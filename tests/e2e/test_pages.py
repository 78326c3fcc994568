"""Every page opens in a real browser without an exception."""
import pytest

from tests.e2e.streamlit_dom import wait_until_idle

pytestmark = pytest.mark.e2e

PAGES = ["", "Lecture", "Train", "Runs", "Mistakes", "Draw", "Inside", "Map", "Sweeps", "Handwriting", "Filters"]


@pytest.mark.parametrize("path", PAGES)
def test_page_opens_without_exception(server, page, path):
    page.goto(f"{server}/{path}")
    page.wait_for_selector('[data-testid="stApp"]', timeout=90_000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1, [data-testid="stMainBlockContainer"] h2', timeout=90_000)
    # the heading comes early in a run: an error later in it shows only once the run has ended
    wait_until_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


def test_the_sidebar_says_home_not_the_file_name(server, page):
    """Streamlit would name the home page after app.py; ui.page_links draws the sidebar instead."""
    page.goto(f"{server}/Runs")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Home", exact=True).wait_for(timeout=90_000)
    labels = [text.strip() for text in sidebar.locator('[data-testid="stPageLink"]').all_inner_texts()]
    assert [label.split("\n")[-1] for label in labels][:5] == ["Home", "Lecture", "Train", "Runs", "Mistakes"]
    assert "app" not in [label.split("\n")[-1] for label in labels]
    sidebar.get_by_text("Home", exact=True).click()
    page.get_by_role("heading", name="MNIST CNN Studio").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # Streamlit's own list, with "app", is off

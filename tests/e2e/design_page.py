"""Read the Train page's network designer in a real browser: the picture's stacks and the layer table's text."""
from __future__ import annotations

from playwright.sync_api import Page

# each read is one step inside the page: a rerun may replace the element between two Playwright calls
SHAPES = "() => Array.from(document.querySelectorAll('svg.network-picture g[data-shape]')).map(g => g.dataset.shape)"
LAYERS = """() => document.querySelector('[data-testid="stTable"]')?.innerText ?? null"""
# st.dataframe (the Runs table) draws on a canvas; its accessibility <table> beside it holds the cells' text
GRID = """() => document.querySelector('[data-testid="stDataFrame"] [aria-rowcount]')?.innerText ?? null"""


def picture_shapes(page: Page) -> list[str]:
    """data-shape of each drawn stack and bar, e.g. ['1x28x28', '32x14x14', '64x7x7', '10']."""
    return page.evaluate(SHAPES)


def layer_text(page: Page) -> str | None:
    """The Train page's layer table as text, or None before it is drawn."""
    return page.evaluate(LAYERS)


def grid_text(page: Page) -> str | None:
    """The first st.dataframe's visible cells as text (header first), or None before it is drawn."""
    return page.evaluate(GRID)

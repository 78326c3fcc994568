"""Drive the Train page in a real browser: settings for a run long enough to watch, Start, what is live, Stop."""
from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.streamlit_dom import keyed, open_page, plotly_traces, progress, slide_to_end

# 50 epochs of 32 batches of 16 tiny images: tens of seconds, long enough to watch and stop mid-run;
# the most epochs and the smallest batch the sliders offer
EPOCHS, BATCH_SIZE = 50, 16


def open_train(page: Page, server: str) -> None:
    """Open Train and pick settings for a run that lasts long enough to watch."""
    open_page(page, f"{server}/Train", ".st-key-train_start button")
    slide_to_end(page, "train_epochs", "End", str(EPOCHS))
    slide_to_end(page, "train_batch_size", "Home", str(BATCH_SIZE))


def live_view(page: Page) -> tuple[int, str, int] | None:
    """(progress %, progress text, batch costs in the cost chart), or None until both are drawn."""
    bar = progress(page)
    traces = plotly_traces(page, "train_cost")
    if bar is None or not traces:
        return None
    return bar[0], bar[1], len(traces[0])


def stop(page: Page) -> None:
    keyed(page, "train_stop").get_by_role("button", name="Stop").click()

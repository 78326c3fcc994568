"""What a learner waits for in the browser, measured in headless Chromium against a real server; plus screenshots.

Run:  .venv/bin/python -m bench.browser.ui_timings --run /work/reports/runs/<run> [--data-dir DIR] [--screens DIR] [--draw-only]

It serves a copy of the run (so nothing is written beside it) with the given MNIST, and reports:
- opening Mistakes the first time (MNIST loaded, 10k test images scored) and the second time (cached);
- over 20 strokes on the Draw page, the time from mouse-up to the probability bars changing
  (the canvas sends on mouse-up; the answer is redrawn by a fragment, not the whole page);
- the server-side part of that: core.data.preprocess.canvas_to_tensor plus the forward pass, in this process;
- on the Inside page, from committing a new test-image index to every chart drawn for it (5 picks);
and saves one full-page screenshot per page. The Train screenshot starts the run's preset on the
real data for a few seconds, then stops it.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench.latency import prediction_ms
from core.runs.checkpoints import load_model
from tests.e2e.chromium import VIEWPORT, launch
from tests.e2e.drawing import SURFACE, canvas_origin, canvas_rgba, seven, stroke
from tests.e2e.server import serve
from tests.e2e.streamlit_dom import PAGE_TIMEOUT, keyed, open_page, poll, progress, set_number

MISTAKES_READY = "text=worst (highest cost) first"
BARS = ".st-key-draw_probabilities [data-probabilities]"
BARS_NOW = f"() => {{ const el = document.querySelector('{BARS}'); return el ? el.dataset.probabilities : null; }}"


SCREEN = {"width": 1400, "height": 1500}  # tall enough to show each page's main parts in one shot
CHARTS_DRAWN = """() => document.querySelector('[data-testid="stApp"]').dataset.testScriptState === 'notRunning'
    && Array.from(document.querySelectorAll('.js-plotly-plot')).every(chart => chart.data)
    && Array.from(document.querySelectorAll('[data-testid="stMain"] img')).every(img => img.complete)
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def new_page(browser: Browser, viewport: dict[str, int] = VIEWPORT) -> Page:
    """A fresh context, so every page is a new session, as a new visitor's would be."""
    return browser.new_context(viewport=viewport).new_page()


def screenshot(page: Page, path: Path) -> None:
    """Once the script has finished and every chart is drawn."""
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    page.wait_for_timeout(500)  # plotly's own transitions
    page.screenshot(path=path)


def seconds_to_open(page: Page, url: str, ready: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.locator(ready).first.wait_for(timeout=PAGE_TIMEOUT * 4)
    return time.perf_counter() - start


def mistakes_open_times(browser: Browser, url: str, screens: Path) -> tuple[float, float]:
    """Seconds until the mistake grid shows: first visit, then a second one in a new session."""
    open_page(new_page(browser), url, "h1")  # a fresh server imports torch on its first page; not Mistakes' cost
    first = seconds_to_open(new_page(browser), f"{url}/Mistakes", MISTAKES_READY)
    page = new_page(browser, SCREEN)
    second = seconds_to_open(page, f"{url}/Mistakes", MISTAKES_READY)
    screenshot(page, screens / "mistakes.png")
    return first, second


def short_stroke(index: int) -> list[tuple[float, float]]:
    """The index-th short dash on a 4x5 grid, so the drawing changes with every stroke; every
    further 20 strokes shift the grid 8 px right and down, so any number of strokes stays on the canvas."""
    lap, place = divmod(index, 20)
    x, y = 50 + 45 * (place % 5) + 8 * lap, 50 + 55 * (place // 5) + 8 * lap
    return [(x, y), (x + 15, y + 10), (x + 30, y + 20)]


def one_stroke_latency(page: Page, points: list[tuple[float, float]], surface: str = SURFACE, bars_now: str = BARS_NOW) -> float:
    """Seconds from releasing the mouse to the probability bars showing new values (`bars_now`: JS reading them)."""
    left, top = canvas_origin(page, surface=surface)
    page.mouse.move(left + points[0][0], top + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(left + x, top + y)
    page.evaluate(f"() => {{ window.__bars = ({bars_now})(); }}")
    start = time.perf_counter()
    page.mouse.up()
    page.wait_for_function(f"() => {{ const now = ({bars_now})(); return now !== null && now !== window.__bars; }}",
                           polling="raf", timeout=30_000)
    return time.perf_counter() - start


def stroke_latencies(browser: Browser, url: str, strokes: int) -> list[float]:
    page = new_page(browser)
    open_page(page, f"{url}/Draw", SURFACE)
    return [one_stroke_latency(page, short_stroke(index)) for index in range(strokes)]


def draw_screenshot(browser: Browser, url: str, screens: Path) -> Page:
    """Draw a 7, wait for its prediction, save the screenshot; returns the page (its canvas holds the 7)."""
    page = new_page(browser)
    open_page(page, f"{url}/Draw", SURFACE)
    stroke(page, seven())
    poll(lambda: page.evaluate(BARS_NOW), lambda bars: bars is not None)
    screenshot(page, screens / "draw.png")
    return page


def server_side_ms(page: Page, run_dir: Path, repeats: int = 200) -> float:
    """Median ms of canvas_to_tensor + forward pass on the pixels the page's canvas holds."""
    model, _ = load_model(run_dir)
    return prediction_ms(model, canvas_rgba(page), repeats)


def train_screenshot(browser: Browser, url: str, screens: Path) -> None:
    """Start the lecture's settings on the Train page, screenshot them live in epoch 2, stop."""
    page = new_page(browser, SCREEN)
    open_page(page, f"{url}/Train", ".st-key-train_start button")
    keyed(page, "train_start").get_by_role("button").click()
    # into epoch 2, so the chart has an epoch's average cost and the accuracy panel its first point
    poll(lambda: progress(page), lambda bar: bar is not None and "Epoch 2/" in bar[1], timeout=300, every=1)
    page.wait_for_timeout(1200)  # half-way between two of the panel's refreshes
    # the whole page, not the viewport: scrolling to the chart races the panel that redraws it
    page.screenshot(path=screens / "train.png", full_page=True)
    keyed(page, "train_stop").get_by_role("button", name="Stop").click()
    page.get_by_text("stopped").wait_for(timeout=60_000)


def inside_choose_times(browser: Browser, url: str, run: str, screens: Path, picks: int = 5) -> list[float]:
    """Seconds from committing a new test index on the Inside page to every part drawn for that image."""
    page = new_page(browser, SCREEN)
    seconds_to_open(page, f"{url}/Inside?run={run}&test=0", ".st-key-inside_attr_grad_cam img")
    page.wait_for_function(CHARTS_DRAWN, timeout=PAGE_TIMEOUT * 4)
    times = []
    for index in range(1, picks + 1):
        start = time.perf_counter()
        set_number(page, "inside_index", index)
        page.get_by_text(f"test image {index}:").wait_for(timeout=60_000)
        page.wait_for_function(CHARTS_DRAWN, polling="raf", timeout=60_000)
        times.append(time.perf_counter() - start)
    screenshot(page, screens / "inside.png")
    return times


def page_screenshot(browser: Browser, url: str, ready: str, path: Path) -> None:
    page = new_page(browser, SCREEN)
    open_page(page, url, ready)
    screenshot(page, path)


def stroke_numbers(latencies: list[float]) -> dict[str, float]:
    return {"stroke to prediction median ms": 1000 * statistics.median(latencies),
            "stroke to prediction min ms": 1000 * min(latencies), "stroke to prediction max ms": 1000 * max(latencies)}


def measure(run: Path, data_dir: Path, screens: Path, strokes: int, draw_only: bool = False) -> dict[str, float]:
    """Every number and screenshot (or only the strokes' latencies), against one server serving a copy of `run`."""
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        runs = Path(folder) / "runs"
        shutil.copytree(run, runs / run.name)
        with serve(data_dir, runs) as url:
            browser = launch(playwright)
            if draw_only:
                return stroke_numbers(stroke_latencies(browser, url, strokes))
            first, second = mistakes_open_times(browser, url, screens)
            latencies = stroke_latencies(browser, url, strokes)
            draw_page = draw_screenshot(browser, url, screens)
            server_ms = server_side_ms(draw_page, run)
            inside = inside_choose_times(browser, url, run.name, screens)
            page_screenshot(browser, url, "text=Latest runs", screens / "home.png")
            page_screenshot(browser, f"{url}/Runs", "h1", screens / "runs.png")
            train_screenshot(browser, url, screens)
            browser.close()
    return {"mistakes first open s": first, "mistakes second open s": second,
            **stroke_numbers(latencies), "server canvas_to_tensor + forward median ms": server_ms,
            "inside: new test image to page drawn median ms": 1000 * statistics.median(inside),
            "inside: new test image to page drawn max ms": 1000 * max(inside)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True, help="a saved run folder (it is copied, not changed)")
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist")
    parser.add_argument("--screens", type=Path, default=Path("screens"), help="folder for the five screenshots")
    parser.add_argument("--strokes", type=int, default=20)
    parser.add_argument("--draw-only", action="store_true", help="measure only the strokes on the Draw page")
    args = parser.parse_args()
    args.screens.mkdir(parents=True, exist_ok=True)
    for name, value in measure(args.run.resolve(), args.data_dir, args.screens, args.strokes, args.draw_only).items():
        print(f"{name:45s} {value:9.2f}")


if __name__ == "__main__":
    main()

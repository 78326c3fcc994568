"""The first start, in a real Chromium: from `./dev.sh app` to Home drawn, and from a first click on each
page in the sidebar to that page drawn.

Run:  .venv/bin/python -m bench.browser.first_start [--command "./dev.sh app"] [--runs DIR] [--repeat 3] [--json FILE]

The command is started as a user starts it (a new process, MNIST from $MNIST_DATA_DIR, runs from a copy of
--runs, the port from $STREAMLIT_SERVER_PORT), while Chromium is already open, as a user's browser would be.
"Drawn" means the page's script has finished, its heading is shown, every plotly chart has its data and
every image has loaded (bench.browser.ui_timings.CHARTS_DRAWN). A page is timed from the click on its sidebar link.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.browser.ui_timings import CHARTS_DRAWN
from tests.e2e.chromium import VIEWPORT, launch
from tests.e2e.server import PROJECT, free_port, wait_healthy

TIMEOUT_MS = 240_000


def drawn(page: Page, heading_not: str | None = None) -> str:
    """Wait until the page is drawn; returns its heading (a heading other than `heading_not`, after a click)."""
    page.wait_for_function("""(old) => {
        const h = document.querySelector('[data-testid="stMainBlockContainer"] h1');
        return h && h.innerText.trim() && h.innerText.trim() !== old; }""", arg=heading_not, timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
    return page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text().strip()


def one_start(browser, command: list[str], runs: Path, pages: bool) -> dict[str, float]:
    """Seconds from starting `command` to healthy and to Home drawn; then, if `pages`, per sidebar page."""
    port = free_port()
    url = f"http://localhost:{port}"
    env = {**os.environ, "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_HEADLESS": "true",
           "MNIST_CHECKPOINT_DIR": str(runs)}
    page = browser.new_context(viewport=VIEWPORT).new_page()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(url, TIMEOUT_MS / 1000)
        times = {"healthy": time.perf_counter() - start}
        page.goto(url)
        page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for(timeout=TIMEOUT_MS)
        times["home_heading"] = time.perf_counter() - start  # the title shows; the script runs on
        heading = drawn(page)
        times["home"] = time.perf_counter() - start
        if pages:
            links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a')
            names = [text.strip().split("\n")[-1] for text in links.all_inner_texts()][1:]  # not Home
            for name in names:
                clicked = time.perf_counter()
                links.filter(has=page.get_by_text(name, exact=True)).first.click()  # the label, not the icon's text
                heading = drawn(page, heading)
                times[name] = time.perf_counter() - clicked
        return times
    finally:
        page.context.close()
        os.killpg(process.pid, signal.SIGTERM)  # the command's own process group only
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", default="./dev.sh app", help="what starts the app (default: ./dev.sh app)")
    parser.add_argument("--runs", type=Path, help="saved runs to copy in (default: none)")
    parser.add_argument("--repeat", type=int, default=3, help="starts timed to Home (the first also times each page)")
    parser.add_argument("--json", type=Path, help="write the numbers here too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        runs = Path(scratch) / "runs"
        shutil.copytree(args.runs, runs) if args.runs else runs.mkdir()
        browser = launch(playwright)
        starts = [one_start(browser, shlex.split(args.command), runs, pages=index == 0) for index in range(args.repeat)]
        browser.close()
    result = {"command": args.command, "starts": starts,
              "home_median_s": statistics.median(start["home"] for start in starts),
              "healthy_median_s": statistics.median(start["healthy"] for start in starts)}
    for name, seconds in starts[0].items():
        print(f"{name:>12}: {seconds:6.2f} s" + ("  (from the command)" if name in ("healthy", "home_heading", "home") else "  (from the click)"))
    print(f"Home drawn, median of {args.repeat}: {result['home_median_s']:.2f} s from the command")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

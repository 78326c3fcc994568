"""Stroke-to-answer latency of two checkouts' Draw pages, measured turn about, so a busy machine slows both alike.

Run:  .venv/bin/python -m bench.browser.draw_ab --run RUN --other /path/to/other/checkout [--strokes 30]

Both servers serve a copy of the same run; one Chromium draws a stroke on this checkout's page,
then one on the other's, and so on. The other page's canvas and bars are found by `--other-surface` and
`--other-bars` (defaults: a checkout from before issue 12, with streamlit-drawable-canvas).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.browser import ui_timings
from tests.e2e.chromium import launch
from tests.e2e.drawing import SURFACE
from tests.e2e.server import PROJECT, serve
from tests.e2e.streamlit_dom import open_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--other-surface", default="canvas.upper-canvas")
    parser.add_argument("--other-bars", default=ui_timings.BARS_NOW, help="JS function returning the other page's bars as a string")
    parser.add_argument("--data-dir", type=Path, default=PROJECT.parent / "shared" / "datasets" / "mnist")
    parser.add_argument("--strokes", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright, ExitStack() as servers:
        runs = Path(folder) / "runs"
        shutil.copytree(args.run, runs / args.run.name)
        sides = {"this": (PROJECT, SURFACE, ui_timings.BARS_NOW), "other": (args.other.resolve(), args.other_surface, args.other_bars)}
        browser = launch(playwright)
        pages = {}
        for name, (project, surface, _) in sides.items():
            url = servers.enter_context(serve(args.data_dir, runs, project=project))
            pages[name] = ui_timings.new_page(browser)
            open_page(pages[name], f"{url}/Draw", surface)
        latencies: dict[str, list[float]] = {name: [] for name in sides}
        for index in range(args.strokes):
            for name, page in pages.items():
                _, surface, bars = sides[name]
                latencies[name].append(ui_timings.one_stroke_latency(page, ui_timings.short_stroke(index % 20), surface, bars))
        browser.close()
    for name, values in latencies.items():
        print(f"{name:6s} {sides[name][0]}: median {1000 * statistics.median(values):6.0f} ms, "
              f"quartiles {1000 * statistics.quantiles(values, n=4)[0]:.0f}-{1000 * statistics.quantiles(values, n=4)[2]:.0f} ms")


if __name__ == "__main__":
    main()

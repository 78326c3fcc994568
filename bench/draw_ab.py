"""Stroke-to-answer latency of two checkouts' Draw pages, measured turn about, so a busy machine slows both alike.

Run:  .venv/bin/python -m bench.draw_ab --run RUN --other /path/to/other/checkout [--strokes 30]

Both servers serve a copy of the same run; one Chromium draws a stroke on this checkout's page,
then one on the other's, and so on. Each page is found by its own canvas selector (`--other-surface`,
for a checkout that still uses streamlit-drawable-canvas: "canvas.upper-canvas").
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import ui_timings
from tests.e2e.chromium import launch
from tests.e2e.drawing import SURFACE
from tests.e2e.server import PROJECT, serve
from tests.e2e.streamlit_dom import open_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--other-surface", default="canvas.upper-canvas")
    parser.add_argument("--data-dir", type=Path, default=PROJECT.parent / "shared" / "datasets" / "mnist")
    parser.add_argument("--strokes", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright, ExitStack() as servers:
        runs = Path(folder) / "runs"
        shutil.copytree(args.run, runs / args.run.name)
        sides = {"this": (PROJECT, SURFACE), "other": (args.other.resolve(), args.other_surface)}
        browser = launch(playwright)
        pages = {}
        for name, (project, surface) in sides.items():
            url = servers.enter_context(serve(args.data_dir, runs, project=project))
            pages[name] = ui_timings.new_page(browser)
            open_page(pages[name], f"{url}/Draw", surface)
        latencies: dict[str, list[float]] = {name: [] for name in sides}
        for index in range(args.strokes):
            for name, page in pages.items():
                latencies[name].append(ui_timings.one_stroke_latency(page, ui_timings.short_stroke(index % 20), sides[name][1]))
        browser.close()
    for name, values in latencies.items():
        print(f"{name:6s} {sides[name][0]}: median {1000 * statistics.median(values):6.0f} ms, "
              f"quartiles {1000 * statistics.quantiles(values, n=4)[0]:.0f}-{1000 * statistics.quantiles(values, n=4)[2]:.0f} ms")


if __name__ == "__main__":
    main()

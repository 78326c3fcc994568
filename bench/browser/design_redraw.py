"""A slider change on the Train page's designer, to the table and picture redrawn: server and browser.

    PYTHONPATH=. .venv/bin/python -m bench.browser.design_redraw [--changes 10] [--server-only]

- server, pure: the designer's widgets to a checked config, the walk, the table rows, the SVG and the
  totals (what a rerun computes for the design), median over 200 designs;
- server, AppTest: the whole Train script rerun after block 1's channels slider moves (AppTest's own
  overhead included), median over `changes`;
- the same picture as a plotly figure with one shape per sheet, built and serialised, for comparison;
- browser: headless Chromium against a real server on tiny data, from the arrow key on block 1's
  channels slider to the picture and the layer table both showing the new channels, `changes` times
  (Streamlit's own send of the slider's value included).
Targets: <= 200 ms on the server, <= 500 ms in the browser.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from ui.train import form
from ui.train.design_form import CHANNEL_CHOICES, block_key
from ui.network_picture import _items, network_svg

ROOT = Path(__file__).resolve().parents[1]


def ms(seconds: list[float]) -> dict[str, float]:
    return {"median_ms": 1000 * statistics.median(seconds), "max_ms": 1000 * max(seconds)}


def pure_redraw_seconds(repeats: int = 200) -> list[float]:
    """What one rerun computes for the design, timed per channels value."""
    from core.training.walk import totals, walk

    state: dict = {}
    form.init_state(state)
    times = []
    for repeat in range(repeats):
        state[block_key(1, "channels")] = CHANNEL_CHOICES[repeat % len(CHANNEL_CHOICES)]
        started = time.perf_counter()
        config, _ = form.checked_config(state, "cpu")
        form.layer_table(walk(config.design))
        network_svg(config.design)
        totals(config.design)
        times.append(time.perf_counter() - started)
    return times


def plotly_picture_seconds(repeats: int = 50) -> list[float]:
    """The picture as plotly rectangles (one per sheet), built and turned into JSON, for comparison."""
    import plotly.graph_objects as go

    from core.training.design_text import parse

    design = parse("c32-max,c64-max,c128-maxp1,fc625-d0.5,fc10")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        figure, x = go.Figure(), 0.0
        for _kind, _shape, height, depth, _label in _items(design):
            for sheet in range(int(depth // 3) + 1):
                figure.add_shape(type="rect", x0=x + 3 * sheet, x1=x + 3 * sheet + height, y0=3 * sheet, y1=3 * sheet + height)
            x += height + depth + 34
        figure.to_json()
        times.append(time.perf_counter() - started)
    return times


def apptest_rerun_seconds(changes: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/1_Train.py").run()
    from ui.resources import speed_probe

    speed_probe().wait(120)  # the first visit measures the machine's speed in the background: not while timing
    times = []
    for change in range(changes):
        started = time.perf_counter()
        at.select_slider(key=block_key(1, "channels")).set_value(CHANNEL_CHOICES[4 + change % 6]).run()
        times.append(time.perf_counter() - started)
    assert not at.exception
    return times


def browser_seconds(url: str, changes: int) -> list[float]:
    """Arrow key on block 1's channels to the picture and the layer table both showing the new value."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.chromium import VIEWPORT, launch
    from tests.e2e.design_page import LAYERS, SHAPES
    from tests.e2e.streamlit_dom import keyed, open_page

    shown = f"""(channels) => {{ const shapes = ({SHAPES})(), table = ({LAYERS})();
        return shapes[1] && shapes[1].startsWith(channels + 'x') && table && table.includes('28, 28, ' + channels + ')'); }}"""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        open_page(page, f"{url}/Train", "svg.network-picture")
        page.get_by_text("per epoch").first.wait_for(timeout=120_000)  # the server's speed probe is done: not while timing
        thumb = keyed(page, "train_block1_channels").get_by_role("slider")
        index, times = CHANNEL_CHOICES.index(32), []
        for change in range(changes):
            step = 1 if change % 2 == 0 else -1  # 32 -> 48 -> 32 -> ...
            index += step
            started = time.perf_counter()
            thumb.press("ArrowRight" if step > 0 else "ArrowLeft")
            page.wait_for_function(shown, arg=CHANNEL_CHOICES[index], polling="raf", timeout=30_000)
            times.append(time.perf_counter() - started)
            page.wait_for_timeout(300)
        browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser.design_redraw", description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--server-only", action="store_true")
    args = parser.parse_args(argv)
    from tests.conftest import make_mnist_dir
    from tests.e2e.server import serve

    with tempfile.TemporaryDirectory(prefix="design-redraw-") as folder:
        data, runs = make_mnist_dir(Path(folder) / "mnist"), Path(folder) / "runs"
        runs.mkdir()
        os.environ.update(MNIST_DATA_DIR=str(data), MNIST_CHECKPOINT_DIR=str(runs))
        numbers = {"server: design -> config, table rows, SVG, totals": ms(pure_redraw_seconds()),
                   "server: the same picture as a plotly figure, to JSON": ms(plotly_picture_seconds()),
                   "server: AppTest rerun of Train after a slider change": ms(apptest_rerun_seconds(args.changes))}
        if not args.server_only:
            with serve(data, runs) as url:
                numbers["browser: arrow key -> picture and table redrawn"] = ms(browser_seconds(url, args.changes))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, value in numbers.items():
        print(f"{name:55s} median {value['median_ms']:7.1f} ms   max {value['max_ms']:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The README's screenshots: short runs trained on the real MNIST, a real server, headless Chromium, one PNG per page.

Run:  ./dev.sh screenshots [--data-dir DIR] [--runs DIR] [--out docs/images]

It trains two short lecture runs (the basic CNN: 15 epochs of 40 batches; the deeper: 2 epochs of 40
batches) into --runs unless they are there already, serves a copy of them with MNIST from --data-dir
($MNIST_DATA_DIR), and saves docs/images/<page>.png for every page in ui/page_links.py, plus the
Lecture page's testing step and the Lecture page in Korean. Each PNG is reduced to 256 colours (and downscaled if it is still too
big) so that it stays under MAX_BYTES.
"""
from __future__ import annotations

import argparse
import io
import shutil
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, sync_playwright

from bench.browser.ui_timings import SCREEN, draw_screenshot, new_page, screenshot, train_screenshot
from core.data.loading import data_dir, load_mnist
from core.training.config import TrainConfig
from core.training.fit import fit, new_run
from core.training.trainer import resolve_device
from tests.e2e.chromium import launch
from tests.e2e.server import serve
from tests.e2e.streamlit_dom import keyed, open_page
from ui.page_links import HOME, LECTURE, PAGES

MAX_BYTES = 500_000
READY = {"filters": ".st-key-filters_overview img"}  # pages that compute in the background: wait for the result, not the heading
READY_TIMEOUT_MS = 600_000
RUNS = {  # name -> the lecture's settings, cut short
    "lecture-cnn": TrainConfig(max_batches=40),
    "lecture-deep": TrainConfig(model="deep_cnn", epochs=2, max_batches=40),
}


def train_runs(root: Path, folder: Path) -> None:
    """Each run in RUNS that `root` lacks, trained on the real MNIST in `folder`."""
    data = load_mnist(folder, allow_download=False)
    for name, config in RUNS.items():
        if (root / name / "run.json").is_file():
            continue
        trainer, run_dir = new_run(config, data, root, device=resolve_device("auto"), name=name)
        for _ in fit(trainer, run_dir):
            pass
        print(f"trained {run_dir}")


def shrink(path: Path) -> int:
    """Rewrite the PNG with 256 colours, halving its size until it is under MAX_BYTES; returns its bytes."""
    image = Image.open(path).convert("RGB")
    while True:
        buffer = io.BytesIO()
        image.quantize(256, method=Image.Quantize.MEDIANCUT).save(buffer, "PNG", optimize=True)
        if buffer.tell() < MAX_BYTES:
            path.write_bytes(buffer.getvalue())
            return buffer.tell()
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.Resampling.LANCZOS)


def url_path(page_file: str) -> str:
    """Streamlit's URL for a page file: pages/0_Lecture.py -> "Lecture", app.py -> ""."""
    return "" if page_file == HOME else Path(page_file).stem.split("_", 1)[1]


def lecture_testing(browser: Browser, url: str, out: Path) -> None:
    """The Lecture page at its testing step, the slider moved to x255."""
    page = new_page(browser, SCREEN)
    open_page(page, f"{url}/Lecture", ".st-key-lecture_scale_chart_cnn .js-plotly-plot")
    keyed(page, "lecture_scale_cnn").get_by_role("slider").press("End")
    page.get_by_text("Test accuracy at x255").wait_for(timeout=120_000)
    page.get_by_text("5. Testing").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -80)")
    screenshot(page, out / "lecture-testing.png")


def lecture_korean(browser: Browser, url: str, out: Path) -> None:
    """The Lecture page in Korean (?lang=ko), for README's line on languages (Hangul needs a Korean font: fonts-nanum)."""
    page = new_page(browser, SCREEN)
    open_page(page, f"{url}/Lecture?lang=ko", ".st-key-lecture_scale_chart_cnn .js-plotly-plot")
    screenshot(page, out / "lecture-ko.png")
    page.context.close()
    print("lecture-ko.png")


def take(browser: Browser, url: str, out: Path) -> None:
    """Train last: its screenshot starts a run, and the pages after it would show that run."""
    for page_file, (title, _wording, _icon) in PAGES.items():
        name = title.lower()
        if name == "draw":
            draw_screenshot(browser, url, out).context.close()
        elif name == "train":
            continue
        else:
            page = new_page(browser, SCREEN)
            open_page(page, f"{url}/{url_path(page_file)}", '[data-testid="stMainBlockContainer"] h1')
            if name in READY:
                page.locator(READY[name]).first.wait_for(timeout=READY_TIMEOUT_MS)
            screenshot(page, out / f"{name}.png")
            page.context.close()
        print(f"{name}.png")
    if LECTURE in PAGES:
        lecture_testing(browser, url, out)
        lecture_korean(browser, url, out)
    train_screenshot(browser, url, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="MNIST folder (default: $MNIST_DATA_DIR, else data/)")
    parser.add_argument("--runs", type=Path, default=Path("bench/results/screenshot-runs"), help="where the short runs are kept")
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    args = parser.parse_args()
    folder = data_dir(args.data_dir)
    args.runs.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    train_runs(args.runs, folder)
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        served = Path(shutil.copytree(args.runs, Path(scratch) / "runs"))  # the Train screenshot adds a run: not to ours
        browser = launch(playwright)
        with serve(folder, served, timeout=240) as url:
            take(browser, url, args.out)
        browser.close()
    for path in sorted(args.out.glob("*.png")):
        print(f"{path}: {shrink(path):,} bytes")


if __name__ == "__main__":
    main()

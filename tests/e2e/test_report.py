"""The report: Chromium (playwright, /usr/bin/chromium) opens the file with networking disabled and finds
no console error, no request leaving the file, and every chart drawn."""
from __future__ import annotations

import pytest

from core.export.report import WORST, report_html
from tests.app.conftest import make_run

CLASSES = tuple(str(digit) for digit in range(10))


@pytest.mark.e2e
def test_the_report_opens_offline_with_every_chart_drawn(tmp_path, tiny_mnist, browser):
    # the session's browser: a second sync_playwright() in one process fails while the first is open
    run_dir = make_run(tmp_path / "runs", tiny_mnist, "run", epochs=2)
    page_file = tmp_path / "report.html"
    page_file.write_text(report_html(run_dir, tiny_mnist.test, CLASSES))
    errors, requests = [], []
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_file.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=20000)
    charts = page.locator(".js-plotly-plot").count()
    drawn = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('.main-svg') && p._fullData && p._fullData.length).length")
    pictures = page.evaluate("[...document.querySelectorAll('.mistakes img')].filter(i => i.complete && i.naturalWidth === 28).length")
    text = page.inner_text("body")
    context.close()
    assert charts == 4 and drawn == 4  # cost, accuracy, per-class accuracy, confusion matrix
    assert errors == []
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
    assert pictures == min(WORST, text.count("taken for"))
    assert "Library versions" in text and "torch" in text and "c32-max,c64-max,fc10" in text

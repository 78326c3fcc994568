"""A run's report: one self-contained HTML file, to keep or hand in as homework.

    html = report_html(run_dir, test_split, class_names)

It makes no network request: plotly's script is inlined once, pictures are data URIs. It holds the
design and settings, the cost and accuracy curves, per-class accuracy, the confusion matrix, the 16
worst mistakes with their probabilities, and the versions of the libraries it was made with.
"""
from __future__ import annotations

import base64
import html
import io
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.offline
from PIL import Image

from core.data.loading import Split
from core.evaluate import Predictions, predict
from core.runs import checkpoints
from core.training.config import TrainConfig
from core.training.design_text import format_design
from core.training.walk import walk

WORST = 16
LIBRARIES = ("torch", "torchvision", "numpy", "plotly", "onnx", "onnxruntime", "nbformat")
_STYLE = ("body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse}"
          "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}.mistakes{display:flex;flex-wrap:wrap;gap:12px}"
          ".mistakes figure{margin:0;width:110px;font-size:12px}.mistakes img{width:84px;image-rendering:pixelated}")


def report_html(run_dir: Path, test: Split, classes: tuple[str, ...]) -> str:
    """The whole page as text."""
    model, checkpoint = checkpoints.load_model(run_dir)
    config = TrainConfig.from_dict(checkpoint["config"])
    history = checkpoint["history"]
    predictions = predict(model, test)
    sections = [
        f"<h1>Run {html.escape(run_dir.name)}</h1>",
        f"<p>Test accuracy {predictions.accuracy:.2%} on {len(test):,} images after {len(history)} epoch(s).</p>",
        "<h2>Design</h2>", f"<p><code>{html.escape(format_design(config.design))}</code></p>", _design_table(config),
        "<h2>Settings</h2>", _table(["setting", "value"], [(key, value) for key, value in config.to_dict().items() if key != "design"]),
        "<h2>Cost and accuracy</h2>", _chart(_curves(history, "cost", "Cost per epoch")),
        _chart(_curves(history, "test_accuracy", "Test accuracy per epoch")),
        "<h2>Per-class accuracy</h2>", _chart(_per_class(predictions, classes)),
        "<h2>Confusion matrix</h2>", _chart(_confusion(predictions, classes)),
        f"<h2>The {WORST} worst mistakes</h2>", _mistakes(predictions, test, classes),
        "<h2>Library versions</h2>", _table(["library", "version"], _versions()),
    ]
    script = f"<script>{plotly.offline.get_plotlyjs()}</script>"  # inline: the page needs no network
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Run {html.escape(run_dir.name)}</title>"
            f"<style>{_STYLE}</style>{script}</head><body>{''.join(sections)}</body></html>")


def _chart(figure: go.Figure) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, config={"displayModeBar": False})


def _table(header: list[str], rows: list[tuple[Any, ...]]) -> str:
    head = "".join(f"<th>{html.escape(str(cell))}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _design_table(config: TrainConfig) -> str:
    rows = [(row.name, row.lecture, f"{row.parameters:,}", f"{row.macs:,}") for row in walk(config.design)]
    return _table(["module", "layer", "parameters", "multiply-adds"], rows)


def _curves(history: list[dict[str, Any]], metric: str, title: str) -> go.Figure:
    epochs = [entry["epoch"] for entry in history]
    figure = go.Figure(go.Scatter(x=epochs, y=[entry[metric] for entry in history], mode="lines+markers"))
    return figure.update_layout(title=title, xaxis_title="epoch", height=320, margin=dict(t=40, b=40))


def _per_class(predictions: Predictions, classes: tuple[str, ...]) -> go.Figure:
    matrix = predictions.confusion_matrix().numpy()  # (10, 10), row = true class
    accuracy = matrix.diagonal() / np.maximum(matrix.sum(1), 1)
    figure = go.Figure(go.Bar(x=list(classes), y=accuracy, text=[f"{value:.1%}" for value in accuracy]))
    return figure.update_layout(yaxis_tickformat=".0%", height=320, margin=dict(t=20, b=40))


def _confusion(predictions: Predictions, classes: tuple[str, ...]) -> go.Figure:
    matrix = predictions.confusion_matrix().numpy()
    figure = go.Figure(go.Heatmap(z=matrix, x=list(classes), y=list(classes), colorscale="Blues", text=matrix, texttemplate="%{text}"))
    return figure.update_layout(xaxis_title="predicted", yaxis_title="true", yaxis_autorange="reversed", height=520)


def _mistakes(predictions: Predictions, test: Split, classes: tuple[str, ...]) -> str:
    worst = predictions.mistakes()[:WORST].tolist()
    if not worst:
        return "<p>No test image was misclassified.</p>"
    figures = []
    for index in worst:
        probabilities = predictions.probabilities[index]
        true, guess = int(predictions.targets[index]), int(probabilities.argmax())
        figures.append(
            f"<figure><img alt='test image {index}' src='{_png_uri(test.images[index, 0].numpy())}'>"
            f"<figcaption>#{index}: {html.escape(classes[true])} taken for {html.escape(classes[guess])} "
            f"({probabilities[guess]:.1%}; {html.escape(classes[true])} {probabilities[true]:.1%})</figcaption></figure>"
        )
    return f"<div class='mistakes'>{''.join(figures)}</div>"


def _png_uri(image: np.ndarray) -> str:
    """(28, 28) floats in [0, 1] -> a PNG data URI."""
    buffer = io.BytesIO()
    Image.fromarray((image * 255).round().astype(np.uint8), mode="L").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _versions() -> list[tuple[str, str]]:
    found = [("python", platform.python_version())]
    for name in LIBRARIES:
        try:
            found.append((name, version(name)))
        except Exception:  # not installed here
            found.append((name, "not installed"))
    return found

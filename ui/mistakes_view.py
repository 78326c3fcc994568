"""The Mistakes page's pieces: confusion-matrix heatmap (cells clickable), confused pairs, image grid."""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from core.evaluate import Predictions
from ui import inside_state, page_links
from ui.pixels import enlarge

DIGITS = list(range(10))
GRID_COLUMNS = 6


def confusion_figure(matrix: torch.Tensor, normalised: bool) -> go.Figure:
    """Heatmap, row = true digit, column = predicted; an invisible point on each cell makes it clickable."""
    counts = matrix.numpy()
    shares = counts / np.maximum(counts.sum(1, keepdims=True), 1)  # share of each true digit
    values, cell_text = (shares, "%{z:.1%}") if normalised else (counts, "%{z}")
    # plotly heatmaps emit no selection events, so clicks land on this scatter layer instead
    xs, ys = np.meshgrid(DIGITS, DIGITS)
    figure = go.Figure(
        [
            go.Heatmap(z=values, x=DIGITS, y=DIGITS, colorscale="Blues", texttemplate=cell_text, hoverinfo="skip"),
            go.Scatter(
                x=xs.flatten(),
                y=ys.flatten(),
                mode="markers",
                marker={"size": 28, "symbol": "square", "color": "rgba(0,0,0,0)"},
                customdata=counts.flatten(),
                hovertemplate="true %{y} → predicted %{x}: %{customdata} images<extra></extra>",
                showlegend=False,
            ),
        ]
    )
    figure.update_xaxes(title="predicted digit", dtick=1, range=[-0.5, 9.5])
    figure.update_yaxes(title="true digit", dtick=1, range=[9.5, -0.5])  # 0 at the top, as matrices are read
    figure.update_layout(height=460, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return figure


def selected_cell(selection: dict[str, Any] | None) -> tuple[int, int] | None:
    """(true, predicted) of the clicked confusion-matrix cell, or None."""
    points = (selection or {}).get("selection", {}).get("points", [])
    if not points:
        return None
    return int(points[0]["y"]), int(points[0]["x"])


def confused_pairs(pairs: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    """Rows for st.dataframe: the most-confused (true → predicted) pairs."""
    return [{"true → predicted": f"{true} → {predicted}", "images": count} for true, predicted, count in pairs]


def mistakes_grid(images: torch.Tensor, predictions: Predictions, indices: torch.Tensor, run: str) -> None:
    """The test images at `indices`, enlarged, captioned with true label, prediction and confidence,
    each with a "Look inside" link to the Inside page for that image."""
    for slot, index in enumerate(indices.tolist()):
        if slot % GRID_COLUMNS == 0:  # a row of columns at a time keeps reading order = worst-first order
            columns = st.columns(GRID_COLUMNS)
        true, guess = int(predictions.targets[index]), int(predictions.predicted[index])
        caption = f"true {true} → predicted {guess} ({float(predictions.confidence[index]):.0%})"
        with columns[slot % GRID_COLUMNS]:
            st.image(enlarge(images[index], 6), output_format="PNG", caption=caption)
            page_links.link(page_links.INSIDE, "Look inside", inside_state.links_to_test_image(run, index))


def describe(digit: int | None) -> str:
    """A filter choice as the select box shows it."""
    return "any" if digit is None else str(digit)

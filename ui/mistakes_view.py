"""The Mistakes page's pieces: confusion-matrix heatmap (cells clickable), confused pairs, image grid."""
from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st
import torch

from core.data.datasets import DatasetSpec
from core.evaluate import Predictions
from ui import inside_state, page_links
from ui.i18n import _, class_names, noun
from ui.pixels import enlarge

GRID_COLUMNS = 6


def confusion_figure(matrix: torch.Tensor, normalised: bool, spec: DatasetSpec) -> go.Figure:
    """Heatmap, row = true class, column = predicted; an invisible point on each cell makes it clickable."""
    counts = matrix.numpy()
    labels = list(range(len(spec.classes)))
    shares = counts / np.maximum(counts.sum(1, keepdims=True), 1)  # share of each true class
    values, cell_text = (shares, "%{z:.1%}") if normalised else (counts, "%{z}")
    # plotly heatmaps emit no selection events, so clicks land on this scatter layer instead
    xs, ys = np.meshgrid(labels, labels)
    names = np.array(class_names(spec), dtype=object)
    figure = go.Figure(
        [
            go.Heatmap(z=values, x=labels, y=labels, colorscale="Blues", texttemplate=cell_text, hoverinfo="skip"),
            go.Scatter(
                x=xs.flatten(),
                y=ys.flatten(),
                mode="markers",
                marker={"size": 28, "symbol": "square", "color": "rgba(0,0,0,0)"},
                customdata=np.stack([counts.flatten(), names[ys.flatten()], names[xs.flatten()]], axis=1),
                hovertemplate=_("true %{customdata[1]} → predicted %{customdata[2]}: %{customdata[0]} images")
                + "<extra></extra>",
                showlegend=False,
            ),
        ]
    )
    ticks = {"tickmode": "array", "tickvals": labels, "ticktext": list(names)}
    figure.update_xaxes(title=_("predicted {noun}").format(noun=noun(spec)), range=[-0.5, len(labels) - 0.5], **ticks)
    figure.update_yaxes(title=_("true {noun}").format(noun=noun(spec)), range=[len(labels) - 0.5, -0.5], **ticks)  # 0 at the top
    figure.update_layout(height=460, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return figure


def selected_cell(selection: dict[str, Any] | None) -> tuple[int, int] | None:
    """(true, predicted) of the clicked confusion-matrix cell, or None."""
    points = (selection or {}).get("selection", {}).get("points", [])
    if not points:
        return None
    return int(points[0]["y"]), int(points[0]["x"])


def confused_pairs(pairs: list[tuple[int, int, int]], spec: DatasetSpec) -> list[dict[str, Any]]:
    """Rows for st.dataframe: the most-confused (true → predicted) pairs, by class name, headers in the current language."""
    names, pair, images = class_names(spec), _("true → predicted"), _("images")
    return [{pair: f"{names[true]} → {names[predicted]}", images: count} for true, predicted, count in pairs]


def mistakes_grid(images: torch.Tensor, predictions: Predictions, indices: torch.Tensor, spec: DatasetSpec, run: str) -> None:
    """The test images at `indices`, enlarged, captioned with true class, prediction and confidence,
    each with a "Look inside" link to the Inside page for that image."""
    names = class_names(spec)
    for slot, index in enumerate(indices.tolist()):
        if slot % GRID_COLUMNS == 0:  # a row of columns at a time keeps reading order = worst-first order
            columns = st.columns(GRID_COLUMNS)
        true, guess = names[int(predictions.targets[index])], names[int(predictions.predicted[index])]
        caption = _("true {true} → predicted {predicted} ({confidence:.0%})").format(
            true=true, predicted=guess, confidence=float(predictions.confidence[index]))
        with columns[slot % GRID_COLUMNS]:
            st.image(enlarge(images[index], 6), output_format="PNG", caption=caption)
            page_links.link(page_links.INSIDE, _("Look inside"), inside_state.links_to_test_image(run, index))


def describer(spec: DatasetSpec):
    """How a filter choice (a label or None) reads in the select box: "any", "7", "Sneaker" (in the current language)."""
    return lambda label: _("any") if label is None else class_names(spec)[label]

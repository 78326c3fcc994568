"""A picture of a design's network: one box per shape the image takes, left to right.

A box's height is the picture's side (28, 14, 7, ...) and its width grows with the channels, so
pooling visibly shrinks the picture while the convolutions deepen it; after flatten a box is a
column of values. Drawn from core.training.walk's rows, never from a model class.
(The Train page may get its own network picture; the two should become one piece in ui/.)
"""
from __future__ import annotations

import math

import plotly.graph_objects as go

from core.training.design import Design
from core.training.walk import LayerRow, walk

DRAWN = {"Input", "Conv", "MaxPool", "AvgPool", "GlobalAvgPool", "Flatten", "Linear"}
COLOURS = {"Input": "#9e9e9e", "Conv": "#1f77b4", "MaxPool": "#ff7f0e", "AvgPool": "#ff7f0e",
           "GlobalAvgPool": "#ff7f0e", "Flatten": "#7f7f7f", "Linear": "#2ca02c"}
GAP = 1.2  # space between boxes


def _box_size(row: LayerRow) -> tuple[float, float]:
    """(width, height) of a row's box."""
    if len(row.shape) == 3:
        channels, side, _ = row.shape
        return 0.6 + math.log2(channels + 1) * 0.5, max(side, 1) / 28 * 10
    return 0.5, 2 + math.log10(row.shape[0]) * 2  # a column of values: taller for more


def _label(row: LayerRow) -> str:
    return "x".join(map(str, row.shape[1:] + row.shape[:1])) if len(row.shape) == 3 else str(row.shape[0])


def network_figure(design: Design) -> go.Figure:
    """The boxes, each named by its kind and its shape (H x W x C, the lecture's order, or its width)."""
    figure, x = go.Figure(), 0.0
    for row in (row for row in walk(design) if row.kind in DRAWN):
        width, height = _box_size(row)
        figure.add_shape(type="rect", x0=x, x1=x + width, y0=-height / 2, y1=height / 2,
                         fillcolor=COLOURS[row.kind], opacity=0.75, line=dict(width=1, color="#333"))
        name = "Pool" if row.kind.endswith("Pool") and row.kind != "GlobalAvgPool" else row.kind
        figure.add_annotation(x=x + width / 2, y=height / 2 + 0.4, text=f"{name}<br>{_label(row)}",
                              showarrow=False, yanchor="bottom", font=dict(size=11))
        x += width + GAP
    figure.update_xaxes(visible=False, range=[-0.5, x])
    figure.update_yaxes(visible=False, range=[-6, 9], scaleanchor=None)
    figure.update_layout(height=260, margin=dict(l=0, r=0, t=10, b=0), showlegend=False, plot_bgcolor="white")
    return figure

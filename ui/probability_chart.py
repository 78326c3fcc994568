"""Bar chart of the ten class probabilities for one drawn digit; the predicted digit stands out."""
from __future__ import annotations

import plotly.graph_objects as go
import torch


def probability_figure(probabilities: torch.Tensor) -> go.Figure:
    """(10,) probabilities -> bars for digits 0-9, the most likely one highlighted."""
    values = probabilities.tolist()
    best = int(probabilities.argmax())
    colours = ["#1f77b4" if digit == best else "#aec7e8" for digit in range(10)]
    figure = go.Figure(
        go.Bar(
            x=list(range(10)),
            y=values,
            marker_color=colours,
            text=[f"{value:.0%}" for value in values],
            textposition="outside",
            hovertemplate="digit %{x}: %{y:.1%}<extra></extra>",
        )
    )
    figure.update_xaxes(title="digit", dtick=1)
    figure.update_yaxes(title="probability", range=[0, 1.1], tickformat=".0%")
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return figure

"""Bar chart of the class probabilities for one image; the predicted class stands out."""
from __future__ import annotations

import plotly.graph_objects as go
import torch

from core.datasets import MNIST, DatasetSpec


def probability_figure(probabilities: torch.Tensor, spec: DatasetSpec = MNIST) -> go.Figure:
    """(C,) probabilities -> one bar per class, named, the most likely one highlighted."""
    values = probabilities.tolist()
    best = int(probabilities.argmax())
    colours = ["#1f77b4" if label == best else "#aec7e8" for label in range(len(values))]
    figure = go.Figure(
        go.Bar(
            x=list(spec.classes),
            y=values,
            marker_color=colours,
            text=[f"{value:.0%}" for value in values],
            textposition="outside",
            hovertemplate=f"{spec.noun} %{{x}}: %{{y:.1%}}<extra></extra>",
        )
    )
    figure.update_xaxes(title=spec.noun, type="category")
    figure.update_yaxes(title="probability", range=[0, 1.1], tickformat=".0%")
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return figure

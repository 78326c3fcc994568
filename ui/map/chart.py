"""The map as a plotly figure: one trace per true class, mistakes with their own symbol, a drawing as a star.

Every test point carries its test-set index as customdata, so a box or lasso selection
(st.plotly_chart(on_select=...)) says which images were picked, whatever trace they are in.
"""
from __future__ import annotations

from typing import Any, Sequence

import plotly.graph_objects as go
import torch
from plotly.colors import qualitative

from ui.i18n import _

COLOURS = qualitative.D3  # ten distinct colours, one per class
MISTAKE_SYMBOL = "x"


def map_figure(
    coords: torch.Tensor, targets: torch.Tensor, predicted: torch.Tensor,
    class_names: Sequence[str], drawing: torch.Tensor | None = None, title: str = "",
) -> go.Figure:
    """(N,2) positions of the test images; colour = true class, an x = a mistake; `drawing` (2,) adds a star."""
    traces = []
    wrong = predicted != targets
    your_drawing = _("your drawing")
    for label, name in enumerate(class_names):
        for mistakes in (False, True):
            chosen = ((targets == label) & (wrong == mistakes)).nonzero().flatten()
            if mistakes and len(chosen) == 0:
                continue
            traces.append(go.Scattergl(
                x=coords[chosen, 0].tolist(), y=coords[chosen, 1].tolist(), mode="markers",
                name=_("{name} (mistakes)").format(name=name) if mistakes else name, legendgroup=name,
                marker={"color": COLOURS[label % len(COLOURS)], "size": 7 if mistakes else 4,
                        "symbol": MISTAKE_SYMBOL if mistakes else "circle", "opacity": 0.9 if mistakes else 0.6},
                customdata=chosen.tolist(),
                text=[class_names[int(p)] for p in predicted[chosen]],
                # %{{...}} are plotly's own fields, written doubled so .format() keeps them
                hovertemplate=_("test image %{{customdata}}<br>true {name}, predicted %{{text}}").format(name=name) + "<extra></extra>",
            ))
    if drawing is not None:
        traces.append(go.Scatter(
            x=[float(drawing[0])], y=[float(drawing[1])], mode="markers", name=your_drawing,
            marker={"symbol": "star", "size": 22, "color": "black", "line": {"color": "white", "width": 2}},
            hovertemplate=your_drawing + "<extra></extra>",
        ))
    figure = go.Figure(traces)
    figure.update_layout(
        height=620, margin={"l": 10, "r": 10, "t": 40, "b": 10}, title=title, dragmode="select",
        legend={"itemsizing": "constant"}, xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
    )
    return figure


def selected_indices(event: Any) -> list[int]:
    """Test-set indices of the points a box or lasso selection picked (the drawing's star has none)."""
    points = ((event or {}).get("selection") or {}).get("points") or []
    indices = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list):
            data = data[0] if data else None
        if isinstance(data, (int, float)):
            indices.append(int(data))
    return sorted(set(indices))

"""The Runs page's design comparison: every run's test accuracy against its size and its training time.

Built from the table's rows (ui.runs_table.run_rows), one trace per dataset so the legend colours
them; hovering a point names the run and its design's text.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from ui.runs_table import ACCURACY, DESIGN, PARAMETERS, SECONDS

AXES = {  # column -> (what it is, axis title, axis type, its value on hover)
    PARAMETERS: ("parameters", "parameters (log scale)", "log", "%{x:,} parameters"),
    SECONDS: ("training time", "training time (s)", "linear", "trained in %{x:.1f} s"),
}


def accuracy_scatter(rows: Sequence[dict[str, Any]], x: str) -> go.Figure:
    """Test accuracy (%) against `x` (PARAMETERS or SECONDS), one colour per dataset; runs without a score are left out."""
    what, title, scale, hover = AXES[x]
    scored = [row for row in rows if row.get(ACCURACY) is not None and row.get(x) is not None]
    figure = go.Figure()
    for dataset in dict.fromkeys(row["dataset"] for row in scored):
        points = [row for row in scored if row["dataset"] == dataset]
        figure.add_trace(go.Scatter(
            x=[row[x] for row in points], y=[row[ACCURACY] for row in points], name=dataset, mode="markers",
            marker={"size": 10}, customdata=[[row["name"], row[DESIGN]] for row in points],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>" + hover + "<br>test accuracy %{y:.2f}%<extra></extra>",
        ))
    figure.update_layout(
        title=f"Test accuracy against {what}", xaxis={"title": {"text": title}, "type": scale},
        yaxis={"title": {"text": "test accuracy (%)"}}, height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"title": {"text": "dataset"}, "orientation": "h", "y": -0.25},
    )
    return figure

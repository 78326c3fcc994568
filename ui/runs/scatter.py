"""The Runs page's design comparison: every run's test accuracy against its size and its training time.

Built from the table's rows (ui.runs_table.run_rows), one trace per dataset so the legend colours
them; hovering a point names the run and its design's text.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from ui.i18n import N_, _
from ui.runs_table import ACCURACY, DESIGN, PARAMETERS, SECONDS

AXES = {  # column -> (chart title, axis title, axis type, its value on hover)
    PARAMETERS: (N_("Test accuracy against parameters"), N_("parameters (log scale)"), "log", N_("%{x:,} parameters")),
    SECONDS: (N_("Test accuracy against training time"), N_("training time (s)"), "linear", N_("trained in %{x:.1f} s")),
}


def accuracy_scatter(rows: Sequence[dict[str, Any]], x: str) -> go.Figure:
    """Test accuracy (%) against `x` (PARAMETERS or SECONDS), one colour per dataset; runs without a score are left out."""
    chart_title, title, scale, hover = AXES[x]
    hover = "%{customdata[0]}<br>%{customdata[1]}<br>" + _(hover) + "<br>" + _("test accuracy %{y:.2f}%") + "<extra></extra>"
    scored = [row for row in rows if row.get(ACCURACY) is not None and row.get(x) is not None]
    figure = go.Figure()
    for dataset in dict.fromkeys(row["dataset"] for row in scored):
        points = [row for row in scored if row["dataset"] == dataset]
        figure.add_trace(go.Scatter(
            x=[row[x] for row in points], y=[row[ACCURACY] for row in points], name=dataset, mode="markers",
            marker={"size": 10}, customdata=[[row["name"], row[DESIGN]] for row in points],
            hovertemplate=hover,
        ))
    figure.update_layout(
        title=_(chart_title), xaxis={"title": {"text": _(title)}, "type": scale},
        yaxis={"title": {"text": _("test accuracy (%)")}}, height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"title": {"text": _("dataset")}, "orientation": "h", "y": -0.25},
    )
    return figure

"""Plotly figures of training curves: one run's live cost and accuracy, several saved runs overlaid.

Pure functions of plain history lists (the per-epoch dicts of run.json or a job snapshot), worded in the
current language (so never cache a figure without the language in its key).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from ui.i18n import _

Epochs = Sequence[Mapping[str, Any]]  # each has at least "epoch", "cost", "test_accuracy"
MAX_EPOCH_TICKS = 15


def epoch_axis(last_epoch: float) -> dict[str, Any]:
    """An epoch axis with whole-number ticks only (plotly's own choice shows 1.5, 2.5): every epoch,
    or every 2nd, 5th, ... when there are more than MAX_EPOCH_TICKS."""
    step = next(step for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if int(last_epoch) / step <= MAX_EPOCH_TICKS)
    return {"tickmode": "linear", "tick0": 0, "dtick": step, "tickformat": "d"}


def _layout(figure: go.Figure, title: str, y_title: str) -> go.Figure:
    last = max((x for trace in figure.data for x in (trace.x or ()) if x is not None), default=1)
    figure.update_layout(
        title=title, xaxis_title=_("epoch"), yaxis_title=y_title, height=320,
        margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.25),
        xaxis=epoch_axis(max(last, figure.layout.xaxis.range[1] if figure.layout.xaxis.range else 0)),
    )
    return figure


def cost_figure(history: Epochs, batch_costs: Sequence[float] = (), batches: int = 0, epochs: int = 0) -> go.Figure:
    """The lecture's average cost per epoch, over a faint trace of every batch's cost; x spans `epochs` if given."""
    figure = go.Figure()
    if batch_costs and batches:
        # batch i of the run sits at epoch (i + 1) / batches, so both traces share the epoch axis
        x = [(i + 1) / batches for i in range(len(batch_costs))]
        figure.add_trace(go.Scatter(
            x=x, y=list(batch_costs), name=_("cost per batch"), mode="lines",
            line=dict(width=1, color="rgba(99, 110, 250, 0.25)"),
        ))
    figure.add_trace(go.Scatter(
        x=[epoch["epoch"] for epoch in history], y=[epoch["cost"] for epoch in history],
        name=_("average cost per epoch"), mode="lines+markers", line=dict(width=3, color="rgb(99, 110, 250)"),
    ))
    if epochs:
        figure.update_xaxes(range=[0, epochs + 0.1])  # the curve grows into a fixed frame while training
    return _layout(figure, _("Cost"), _("cost (cross-entropy)"))


def accuracy_figure(history: Epochs) -> go.Figure:
    """Test accuracy (percent) after each epoch."""
    figure = go.Figure(go.Scatter(
        x=[epoch["epoch"] for epoch in history], y=[100 * epoch["test_accuracy"] for epoch in history],
        name=_("test accuracy"), mode="lines+markers", line=dict(width=3, color="rgb(0, 160, 120)"),
    ))
    return _layout(figure, _("Test accuracy"), _("accuracy (%)"))


def overlay_figure(histories: Mapping[str, Epochs], metric: str) -> go.Figure:
    """One line per run for `metric` ("cost" or "test_accuracy"), to compare runs."""
    scale = 100 if metric == "test_accuracy" else 1
    figure = go.Figure()
    for name, history in histories.items():
        figure.add_trace(go.Scatter(
            x=[epoch["epoch"] for epoch in history], y=[scale * epoch[metric] for epoch in history],
            name=name, mode="lines+markers",
        ))
    if metric == "test_accuracy":
        return _layout(figure, _("Test accuracy"), _("accuracy (%)"))
    return _layout(figure, _("Average cost per epoch"), _("cost (cross-entropy)"))

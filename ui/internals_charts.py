"""Plotly figures of a run's recorded internals (core.training.telemetry records): pure functions of plain lists.

filters_figure: the first conv's filters as one mosaic; series_figure: a per-layer signal over steps on a
log axis with its healthy band shaded; dead_figure: each layer's share of dead units;
distribution_figure: one layer's weight histograms stacked over steps (TensorBoard's "distributions").
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ui.i18n import N_, _

Record = Mapping[str, Any]
# (low, high, what it means) per signal; cs231n: an update ratio near 1e-3 is healthy
BANDS = {
    "update_ratio": (1e-4, 1e-2, N_("healthy: about 1e-3")),
    "grad_norm": (1e-3, 1e1, N_("neither vanishing nor exploding")),
}
TITLES = {"update_ratio": N_("Update size ||dw|| / ||w||"), "grad_norm": N_("Gradient norm ||grad w||")}
AXES = {"update_ratio": N_("update ratio"), "grad_norm": N_("grad norm")}  # the signals' y axes


def _small(figure: go.Figure, title: str, height: int = 300) -> go.Figure:
    figure.update_layout(title=title, height=height, margin=dict(l=10, r=10, t=40, b=10),
                         legend=dict(orientation="h", y=-0.25))
    return figure


def mosaic(filters: Sequence) -> np.ndarray:
    """(C,k,k) filters -> one (rows*(k+1)-1, cols*(k+1)-1) picture, NaN in the 1-pixel gaps."""
    array = np.asarray(filters, dtype=np.float32)
    count, k = array.shape[0], array.shape[-1]
    cols = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / cols))
    picture = np.full((rows * (k + 1) - 1, cols * (k + 1) - 1), np.nan, dtype=np.float32)
    for index, kernel in enumerate(array):
        r, c = divmod(index, cols)
        picture[r * (k + 1): r * (k + 1) + k, c * (k + 1): c * (k + 1) + k] = kernel
    return picture


def filters_figure(filters: Sequence, title: str | None = None) -> go.Figure:
    """Diverging colours centred at zero (CNN Explainer): red pushes a pixel up, blue down; `title` is shown as
    given (translated by the caller), the first conv layer's by default."""
    picture = mosaic(filters)
    reach = float(np.nanmax(np.abs(picture))) or 1.0
    figure = go.Figure(go.Heatmap(z=picture[::-1], colorscale="RdBu_r", zmin=-reach, zmax=reach, showscale=False,
                                  hoverinfo="skip"))
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x")
    return _small(figure, title or _("First conv layer's filters"), height=320)


def series_figure(records: Sequence[Record], signal: str, upto: int | None = None) -> go.Figure:
    """`signal` (update_ratio | grad_norm) of every weight layer over steps, log y, the healthy band shaded."""
    shown = records[: upto + 1] if upto is not None else records
    figure = go.Figure()
    low, high, meaning = BANDS[signal]
    figure.add_hrect(y0=low, y1=high, fillcolor="green", opacity=0.08, line_width=0,
                     annotation_text=_(meaning), annotation_position="top left")
    steps = [r["step"] for r in shown]
    for layer in (shown[-1]["weights"] if shown else {}):
        values = [max(r["weights"][layer][signal], 1e-12) for r in shown if layer in r["weights"]]
        figure.add_trace(go.Scatter(x=steps, y=values, name=layer, mode="lines"))
    figure.update_yaxes(type="log", title=_(AXES[signal]))
    figure.update_xaxes(title=_("batch"))
    return _small(figure, _(TITLES[signal]))


def dead_figure(record: Record) -> go.Figure:
    """Each activation layer's share of units that were <= 0 for every probe image."""
    layers = list(record["activations"])
    shares = [record["activations"][layer]["dead"] for layer in layers]
    figure = go.Figure(go.Bar(x=layers, y=shares, marker_color=["#d62728" if s > 0.5 else "#1f77b4" for s in shares],
                              text=[f"{s:.0%}" for s in shares], textposition="outside"))
    figure.add_hline(y=0.5, line_dash="dot", annotation_text=_("half dead"))
    figure.update_yaxes(range=[0, 1.1], tickformat=".0%", title=_("dead units"))
    return _small(figure, _("Dead units per layer"))


def distribution_figure(records: Sequence[Record], span: Sequence[float], layer: str, kind: str = "weights",
                        upto: int | None = None) -> go.Figure:
    """One layer's histograms stacked over steps: x batch, y value, colour how many (log scale)."""
    shown = records[: upto + 1] if upto is not None else records
    counts = np.array([r[kind][layer]["histogram"] for r in shown if layer in r[kind]], dtype=np.float64)  # (T, bins)
    bins = counts.shape[1] if counts.size else 1
    low, high = span
    centres = low + (np.arange(bins) + 0.5) * (high - low) / bins
    figure = go.Figure(go.Heatmap(x=[r["step"] for r in shown], y=centres, z=np.log1p(counts).T if counts.size else [[0]],
                                  colorscale="Viridis", showscale=False,
                                  hovertemplate=_("batch %{x}<br>value %{y:.3g}") + "<extra></extra>"))
    figure.update_xaxes(title=_("batch"))
    figure.update_yaxes(title=_("value"))
    title = (_("Distribution of {layer}'s weights over training") if kind == "weights"
             else _("Distribution of {layer}'s activations over training"))
    return _small(figure, title.format(layer=layer))


def top_guesses(probabilities: Sequence[float], names: Sequence[str], count: int = 3) -> str:
    """'7 98% · 1 1% · 9 0%': the highest `count` classes, ConvNetJS-style."""
    order = np.argsort(probabilities)[::-1][:count]
    return " · ".join(f"{names[i]} {probabilities[i]:.0%}" for i in order)

"""The Inside page's plotly figures: feature-map mosaics, attribution overlays, scores, epochs.

Heatmaps draw each value as a flat cell, so upscaling is nearest-neighbour; signed values use a
diverging map centred at 0 (CNN Explainer), attributions are clipped like Captum's visualize_image_attr.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.attributions import SIGNED, clip_outliers
from core.inspection import EpochProbabilities, Inspection

DIVERGING = "RdBu_r"  # blue below 0, white at 0, red above
POSITIVE = "Viridis"


def _square(figure: go.Figure, height: int) -> go.Figure:
    figure.update_xaxes(visible=False, constrain="domain")
    figure.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")  # row 0 at the top, square pixels
    figure.update_layout(height=height, margin={"l": 0, "r": 0, "t": 30, "b": 0})
    return figure


def mosaic_figure(picture: np.ndarray, signed: bool, title: str, height: int = 420) -> go.Figure:
    """A mosaic (NaN gaps) with a colour bar; signed values on a diverging map centred at 0."""
    finite = picture[np.isfinite(picture)]
    peak = float(np.abs(finite).max()) if finite.size else 1.0
    peak = peak or 1.0
    colours = {"colorscale": DIVERGING, "zmin": -peak, "zmax": peak} if signed else {
        "colorscale": POSITIVE, "zmin": 0.0, "zmax": peak}
    heatmap = go.Heatmap(z=picture, hoverongaps=False, hovertemplate="%{z:.3f}<extra></extra>", **colours)
    return _square(go.Figure(heatmap, layout={"title": {"text": title, "font": {"size": 14}}}), height)


def attribution_figure(image: np.ndarray, attribution: np.ndarray, method: str, height: int = 300) -> go.Figure:
    """The attribution, 2% outliers clipped, laid over the grey digit, with a colour bar."""
    signed = SIGNED[method]
    shown, limit = clip_outliers(attribution, signed)
    digit = go.Heatmap(z=image, colorscale="gray", zmin=0, zmax=1, showscale=False, hoverinfo="skip")
    overlay = go.Heatmap(
        z=np.where(np.abs(shown) > limit * 0.02, shown, np.nan),  # near-zero cells let the digit show
        colorscale=DIVERGING if signed else "Reds", zmin=-limit if signed else 0.0, zmax=limit,
        opacity=0.75, hoverongaps=False, hovertemplate="%{z:.4f}<extra></extra>",
        colorbar={"thickness": 12},
    )
    return _square(go.Figure([digit, overlay], layout={"title": {"text": method, "font": {"size": 14}}}), height)


def scores_figure(found: Inspection, names: tuple[str, ...]) -> go.Figure:
    """The ten probabilities as bars (the predicted and explained classes stand out), logits on hover."""
    colours = ["#1f77b4" if label == found.predicted else "#aec7e8" for label in range(len(names))]
    figure = go.Figure(go.Bar(
        x=list(names), y=found.probabilities, marker_color=colours, customdata=found.logits,
        text=[f"{value:.0%}" for value in found.probabilities], textposition="outside",
        hovertemplate="%{x}: %{y:.1%} (logit %{customdata:.2f})<extra></extra>",
    ))
    figure.update_xaxes(type="category")
    figure.update_yaxes(title="probability", range=[0, 1.15], tickformat=".0%")
    figure.update_layout(height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return figure


def epochs_figure(history: EpochProbabilities, names: tuple[str, ...], current: int | None) -> go.Figure:
    """Each class's probability at every epoch; epochs that could not be read are greyed with their reason."""
    figure = go.Figure()
    for label, name in enumerate(names):
        figure.add_trace(go.Scatter(
            x=history.epochs, y=history.probabilities[:, label], name=name, mode="lines+markers",
            hovertemplate=f"{name}: " + "%{y:.1%} at epoch %{x}<extra></extra>",
        ))
    for epoch, problem in history.problems.items():
        figure.add_vrect(x0=epoch - 0.4, x1=epoch + 0.4, fillcolor="lightgrey", opacity=0.6, line_width=0)
        figure.add_trace(go.Scatter(  # an invisible point that carries the reason on hover
            x=[epoch], y=[0.5], mode="markers", marker={"color": "grey", "symbol": "x"}, showlegend=False,
            hovertemplate=f"epoch {epoch} not shown: {problem}<extra></extra>",
        ))
    if current is not None:
        figure.add_vline(x=current, line_dash="dot", line_color="black")
    figure.update_xaxes(title="epoch (0 = before training)", dtick=1)
    figure.update_yaxes(title="probability", range=[0, 1.02], tickformat=".0%")
    figure.update_layout(height=340, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"title": "class"})
    return figure

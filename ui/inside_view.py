"""The Inside page's plotly figures: feature-map mosaics, attribution overlays, scores, epochs.

Heatmaps draw each value as a flat cell, so upscaling is nearest-neighbour; signed values use a
diverging map centred at 0 (CNN Explainer), attributions are clipped like Captum's visualize_image_attr.

Each figure is built from one dict in one go: plotly's update_xaxes/update_layout calls cost
~20 ms a figure (measured), and the page draws 13 of them whenever the image changes.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.attributions import SIGNED, clip_outliers
from core.inspection import EpochProbabilities, Inspection

DIVERGING = "RdBu_r"  # blue below 0, white at 0, red above
POSITIVE = "Viridis"
HIDDEN = {"visible": False}


def _square(data: list[dict], title: str, height: int) -> go.Figure:
    """Pictures with row 0 at the top and square pixels, titled, no axes."""
    return go.Figure({"data": data, "layout": {
        "title": {"text": title, "font": {"size": 14}}, "height": height, "margin": {"l": 0, "r": 0, "t": 30, "b": 0},
        "xaxis": {**HIDDEN, "constrain": "domain"},
        "yaxis": {**HIDDEN, "autorange": "reversed", "scaleanchor": "x"},
    }})


def mosaic_figure(picture: np.ndarray, signed: bool, title: str, height: int = 420) -> go.Figure:
    """A mosaic (NaN gaps) with a colour bar; signed values on a diverging map centred at 0."""
    finite = picture[np.isfinite(picture)]
    peak = float(np.abs(finite).max()) if finite.size else 1.0
    peak = peak or 1.0
    colours = {"colorscale": DIVERGING, "zmin": -peak, "zmax": peak} if signed else {
        "colorscale": POSITIVE, "zmin": 0.0, "zmax": peak}
    heatmap = {"type": "heatmap", "z": picture, "hoverongaps": False, "hovertemplate": "%{z:.3f}<extra></extra>", **colours}
    return _square([heatmap], title, height)


def attribution_figure(image: np.ndarray, attribution: np.ndarray, method: str, height: int = 300) -> go.Figure:
    """The attribution, 2% outliers clipped, laid over the grey digit, with a colour bar."""
    signed = SIGNED[method]
    shown, limit = clip_outliers(attribution, signed)
    digit = {"type": "heatmap", "z": image, "colorscale": "gray", "zmin": 0, "zmax": 1, "showscale": False,
             "hoverinfo": "skip"}
    overlay = {
        "type": "heatmap", "z": np.where(np.abs(shown) > limit * 0.02, shown, np.nan),  # near-zero cells let the digit show
        "colorscale": DIVERGING if signed else "Reds", "zmin": -limit if signed else 0.0, "zmax": limit,
        "opacity": 0.75, "hoverongaps": False, "hovertemplate": "%{z:.4f}<extra></extra>", "colorbar": {"thickness": 12},
    }
    return _square([digit, overlay], method, height)


def _probability_layout(top: float, height: int, **extra) -> dict:
    return {"yaxis": {"title": {"text": "probability"}, "range": [0, top], "tickformat": ".0%"},
            "height": height, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, **extra}


def scores_figure(found: Inspection, names: tuple[str, ...]) -> go.Figure:
    """The ten probabilities as bars (the predicted and explained classes stand out), logits on hover."""
    colours = ["#1f77b4" if label == found.predicted else "#aec7e8" for label in range(len(names))]
    bars = {
        "type": "bar", "x": list(names), "y": found.probabilities, "marker": {"color": colours},
        "customdata": found.logits, "text": [f"{value:.0%}" for value in found.probabilities], "textposition": "outside",
        "hovertemplate": "%{x}: %{y:.1%} (logit %{customdata:.2f})<extra></extra>",
    }
    return go.Figure({"data": [bars], "layout": _probability_layout(1.15, 300, xaxis={"type": "category"})})


def epochs_figure(history: EpochProbabilities, names: tuple[str, ...], current: int | None) -> go.Figure:
    """Each class's probability at every epoch; epochs that could not be read are greyed with their reason."""
    data = [{
        "type": "scatter", "x": history.epochs, "y": history.probabilities[:, label], "name": name,
        "mode": "lines+markers", "hovertemplate": f"{name}: " + "%{y:.1%} at epoch %{x}<extra></extra>",
    } for label, name in enumerate(names)]
    shapes = []
    for epoch, problem in history.problems.items():
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": epoch - 0.4, "x1": epoch + 0.4, "y0": 0, "y1": 1,
                       "fillcolor": "lightgrey", "opacity": 0.6, "line": {"width": 0}, "layer": "below"})
        data.append({  # an invisible point that carries the reason on hover
            "type": "scatter", "x": [epoch], "y": [0.5], "mode": "markers", "marker": {"color": "grey", "symbol": "x"},
            "showlegend": False, "hovertemplate": f"epoch {epoch} not shown: {problem}<extra></extra>",
        })
    if current is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": current, "x1": current, "y0": 0, "y1": 1,
                       "line": {"dash": "dot", "color": "black"}})
    layout = _probability_layout(1.02, 340, shapes=shapes, legend={"title": {"text": "class"}},
                                 xaxis={"title": {"text": "epoch (0 = before training)"}, "dtick": 1})
    return go.Figure({"data": data, "layout": layout})

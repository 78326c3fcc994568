"""The Inside page's pictures: feature-map mosaics and attribution overlays (PNG, see ui.inside.heat_picture)
and the all-epochs chart (plotly); the scores are ui.probability_bars, as on Draw.

Heatmaps draw each value as a flat cell, so upscaling is nearest-neighbour; signed values use a
diverging map centred at 0 (CNN Explainer), attributions are clipped like Captum's visualize_image_attr.

The plotly figure is built from one dict: plotly's update_xaxes/update_layout calls
cost ~20 ms a figure (measured).
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.explain.attributions import SIGNED, clip_outliers
from core.explain.inspection import EpochProbabilities
from ui.i18n import N_, _
from ui.inside import heat_picture
from ui.charts import epoch_axis

DIVERGING, POSITIVE = heat_picture.DIVERGING, heat_picture.POSITIVE
# core.explain.attributions.METHODS -> the title a learner reads
METHOD_TITLES = {"Saliency": N_("Saliency"), "Integrated Gradients": N_("Integrated Gradients"),
                 "Occlusion": N_("Occlusion"), "Grad-CAM": N_("Grad-CAM")}


def mosaic_heat(picture: np.ndarray, signed: bool, title: str, width: int = 420) -> str:
    """A mosaic (NaN gaps) as a picture with a colour bar; signed values on a diverging map centred at 0."""
    finite = picture[np.isfinite(picture)]
    peak = float(np.abs(finite).max()) if finite.size else 1.0
    peak = peak or 1.0
    if signed:
        return heat_picture.heat(picture, DIVERGING, -peak, peak, title, width)
    return heat_picture.heat(picture, POSITIVE, 0.0, peak, title, width)


def attribution_heat(image: np.ndarray, attribution: np.ndarray, method: str) -> str:
    """The attribution, 2% outliers clipped, laid over the grey digit, with a colour bar."""
    signed = SIGNED[method]
    shown, limit = clip_outliers(attribution, signed)
    visible = np.where(np.abs(shown) > limit * 0.02, shown, np.nan)  # near-zero cells let the digit show
    title = _(METHOD_TITLES.get(method, method))
    if signed:
        return heat_picture.over_digit(image, visible, DIVERGING, -limit, limit, 0.75, title)
    return heat_picture.over_digit(image, visible, "Reds", 0.0, limit, 0.75, title)


def epochs_figure(history: EpochProbabilities, names: tuple[str, ...], current: int | None) -> go.Figure:
    """Each class's probability at every epoch; epochs that could not be read are greyed with their reason."""
    hover = _("{name}: {probability} at epoch {epoch}")
    data = [{
        "type": "scatter", "x": history.epochs, "y": history.probabilities[:, label], "name": name, "mode": "lines+markers",
        "hovertemplate": hover.format(name=name, probability="%{y:.1%}", epoch="%{x}") + "<extra></extra>",
    } for label, name in enumerate(names)]
    shapes = []
    for epoch, problem in history.problems.items():
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": epoch - 0.4, "x1": epoch + 0.4, "y0": 0, "y1": 1,
                       "fillcolor": "lightgrey", "opacity": 0.6, "line": {"width": 0}, "layer": "below"})
        data.append({  # an invisible point that carries the reason on hover
            "type": "scatter", "x": [epoch], "y": [0.5], "mode": "markers", "marker": {"color": "grey", "symbol": "x"},
            "showlegend": False,
            "hovertemplate": _("epoch {epoch} not shown: {problem}").format(epoch=epoch, problem=problem) + "<extra></extra>",
        })
    if current is not None:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": current, "x1": current, "y0": 0, "y1": 1,
                       "line": {"dash": "dot", "color": "black"}})
    last = max([*history.epochs, *history.problems], default=1)
    layout = {"yaxis": {"title": {"text": _("probability")}, "range": [0, 1.02], "tickformat": ".0%"},
              "xaxis": {"title": {"text": _("epoch (0 = before training)")}, **epoch_axis(last)},
              "height": 340, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "shapes": shapes,
              "legend": {"title": {"text": _("class")}}}
    return go.Figure({"data": data, "layout": layout})

"""The Inside page's pictures as PNG bytes, drawn with matplotlib (no display needed), for the CLI.

Attributions are drawn by Captum's own visualize_image_attr (blended over the digit, outliers
clipped, colour bar); feature maps as mosaics on a diverging colour map centred at 0.
"""
from __future__ import annotations

import io

import numpy as np
from captum.attr import visualization
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from core.explain.attributions import SIGNED
from core.explain.feature_maps import LayerMaps, mosaic
from core.explain.inspection import EpochProbabilities, Inspection


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def image_png(image: np.ndarray, title: str) -> bytes:
    """(28,28) in [0,1], large, nearest-neighbour."""
    figure = Figure(figsize=(4, 4))
    axes = figure.add_subplot()
    axes.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    axes.set_title(title)
    axes.axis("off")
    return _png(figure)


def mosaic_png(picture: np.ndarray, title: str, signed: bool) -> bytes:
    """A mosaic (NaN gaps) with a colour bar; signed values on a diverging map centred at 0."""
    figure = Figure(figsize=(7, 6))
    axes = figure.add_subplot()
    finite = picture[np.isfinite(picture)]
    peak = float(np.abs(finite).max()) if finite.size and np.abs(finite).max() > 0 else 1.0
    if signed:
        shown = axes.imshow(picture, cmap="RdBu_r", norm=TwoSlopeNorm(0, -peak, peak), interpolation="nearest")
    else:
        shown = axes.imshow(picture, cmap="viridis", vmin=0, vmax=peak, interpolation="nearest")
    figure.colorbar(shown, ax=axes)
    axes.set_title(title)
    axes.axis("off")
    return _png(figure)


def layer_png(layer: LayerMaps, per_channel: bool) -> bytes:
    scale = "each channel scaled to its own range" if per_channel else "one range for the layer"
    title = f"{layer.title}: {layer.maps.shape[0]} channels, highest mean first ({scale})"
    return mosaic_png(mosaic(layer.maps[layer.order], per_channel), title, layer.signed)


def attribution_png(attribution: np.ndarray, image: np.ndarray, method: str, target_name: str) -> bytes:
    """Captum's blended heat map over the digit, 2% outliers clipped, with a colour bar."""
    figure = Figure(figsize=(5, 4.5))
    axes = figure.add_subplot()
    visualization.visualize_image_attr(
        attribution[..., None],  # (28,28,1): Captum wants (H,W,C)
        image[..., None],
        method="blended_heat_map",
        sign="all" if SIGNED[method] else "absolute_value",
        plt_fig_axis=(figure, axes),
        show_colorbar=True,
        title=f"{method} for class {target_name}",
        use_pyplot=False,
    )
    return _png(figure)


def scores_png(found: Inspection, class_names: tuple[str, ...]) -> bytes:
    """The 10 logits and the 10 probabilities side by side."""
    figure = Figure(figsize=(9, 3.5))
    logit_axes, probability_axes = figure.subplots(1, 2)
    positions = np.arange(len(class_names))
    logit_axes.bar(positions, found.logits, color="tab:gray")
    logit_axes.set_title("logits (scores before softmax)")
    probability_axes.bar(positions, found.probabilities, color="tab:blue")
    probability_axes.set_title("probabilities")
    probability_axes.set_ylim(0, 1)
    for axes in (logit_axes, probability_axes):
        axes.set_xticks(positions, class_names, rotation=45 if max(map(len, class_names)) > 2 else 0)
    return _png(figure)


def epochs_png(history: EpochProbabilities, class_names: tuple[str, ...]) -> bytes:
    """Each class's probability across the epochs."""
    figure = Figure(figsize=(8, 4))
    axes = figure.add_subplot()
    for label, name in enumerate(class_names):
        axes.plot(history.epochs, history.probabilities[:, label], marker="o", label=name)
    axes.set_xlabel("epoch (0 = before training)")
    axes.set_ylabel("probability")
    axes.set_ylim(0, 1)
    axes.legend(fontsize="small", ncol=2)
    return _png(figure)

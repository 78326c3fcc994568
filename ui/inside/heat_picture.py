"""Heatmaps as PNG pictures in one HTML block (title, picture, colour bar), for pages that show many at once.

The Inside page shows 11 heatmaps for every image (feature-map mosaics, filters, attributions).
As plotly charts they cost the browser ~1.3 s of main-thread work per new image (measured with
Chromium's profiler: plotly layout, text measurement, React), against the 1 s the page may take.
A small PNG, scaled up by the browser with `image-rendering: pixelated` (nearest neighbour, so
every cell stays a square), costs it almost nothing. Colours come from plotly's own colour scales,
so the pictures match the charts around them; NaN cells (mosaic gaps) are transparent.
"""
from __future__ import annotations

import base64
import html
import io
from functools import cache

import numpy as np
from PIL import Image
from plotly.colors import convert_colors_to_same_type, get_colorscale, unlabel_rgb

DIVERGING = "RdBu_r"  # blue below 0, white at 0, red above
POSITIVE = "Viridis"


@cache
def lut(scale: str) -> np.ndarray:
    """(256,3) uint8: plotly's named colour scale sampled at 256 evenly spaced points."""
    stops = get_colorscale(scale)
    positions = np.array([float(position) for position, _ in stops])
    rgb = convert_colors_to_same_type([colour for _, colour in stops], "rgb")[0]  # hex or rgb() -> 'rgb(r, g, b)'
    colours = np.array([unlabel_rgb(colour) for colour in rgb], dtype=np.float64)  # (S,3)
    samples = np.linspace(0, 1, 256)
    return np.stack([np.interp(samples, positions, colours[:, c]) for c in range(3)], axis=1).round().astype(np.uint8)


def colour(values: np.ndarray, scale: str, zmin: float, zmax: float) -> np.ndarray:
    """(H,W) floats -> (H,W,4) uint8 RGBA; NaN -> transparent, values outside [zmin, zmax] clipped."""
    span = zmax - zmin or 1.0
    finite = np.isfinite(values)
    index = np.clip((np.where(finite, values, zmin) - zmin) / span * 255, 0, 255).round().astype(np.intp)
    rgba = np.empty(values.shape + (4,), np.uint8)
    rgba[..., :3] = lut(scale)[index]
    rgba[..., 3] = np.where(finite, 255, 0)
    return rgba


def png(rgba: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


@cache
def gradient(scale: str) -> str:
    """The scale as a CSS linear-gradient (plotly's lookup of a named scale takes ~2 ms)."""
    stops = ", ".join(f"{colour} {100 * float(position):.0f}%" for position, colour in get_colorscale(scale))
    return f"linear-gradient(to right, {stops})"


def colour_bar(scale: str, zmin: float, zmax: float) -> str:
    """A horizontal bar of the scale with its ends (and 0, when the range is signed) labelled."""
    labels = [f"{zmin:.3g}", "0", f"{zmax:.3g}"] if zmin < 0 < zmax else [f"{zmin:.3g}", f"{zmax:.3g}"]
    spans = "".join(f"<span>{html.escape(label)}</span>" for label in labels)
    return (f'<div style="height:10px;margin-top:4px;border-radius:2px;background:{gradient(scale)}"></div>'
            f'<div style="display:flex;justify-content:space-between;font-size:11px">{spans}</div>')


def block(rgba: np.ndarray, title: str, bar: str, width: int) -> str:
    """Title, the picture at `width` px (nearest neighbour) and its colour bar, as one HTML block."""
    source = "data:image/png;base64," + base64.b64encode(png(rgba)).decode("ascii")
    return (f'<figure style="margin:0;max-width:{width}px"><figcaption style="font-size:14px;font-weight:600">'
            f'{html.escape(title)}</figcaption><img src="{source}" alt="{html.escape(title)}" '
            f'style="width:100%;image-rendering:pixelated;display:block">{bar}</figure>')


def heat(values: np.ndarray, scale: str, zmin: float, zmax: float, title: str, width: int = 420) -> str:
    """(H,W) values (NaN: a gap) as an HTML block: title, picture, colour bar."""
    return block(colour(values, scale, zmin, zmax), title, colour_bar(scale, zmin, zmax), width)


def over_digit(digit: np.ndarray, values: np.ndarray, scale: str, zmin: float, zmax: float, opacity: float,
               title: str, width: int = 280) -> str:
    """`values` (NaN: not drawn) laid over the grey (H,W) digit in [0,1] at `opacity`, as an HTML block."""
    grey = (np.clip(digit, 0, 1) * 255)[..., None]  # (H,W,1)
    top = colour(values, scale, zmin, zmax)
    alpha = (top[..., 3:] / 255.0) * opacity
    rgb = (grey * (1 - alpha) + top[..., :3] * alpha).round().astype(np.uint8)
    rgba = np.concatenate([rgb, np.full(digit.shape + (1,), 255, np.uint8)], axis=2)
    return block(rgba, title, colour_bar(scale, zmin, zmax), width)

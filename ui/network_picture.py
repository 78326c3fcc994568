"""A picture of a design, as the lecture draws a CNN: each block's output a stack of feature maps
(height from its side in pixels, depth from its channels), then the linear layers as bars.

    svg = network_svg(design)   # an <svg> string for st.markdown(unsafe_allow_html=True)

Plain string building, no streamlit. Every stack and bar carries data-shape, e.g. "32x14x14" or "625",
so tests and the browser can read what is drawn. Its words (input, block 1, classes) are in the current language.
"""
from __future__ import annotations

import math
from html import escape

from core.training.design import IMAGE_SIZE, Design
from core.training.design_text import format_design
from ui.i18n import _

PIXELS_PER_SIDE = 4.0  # a 28x28 map is drawn 112 px tall
MIN_SIDE = 8  # a 1x1 map stays visible
SHEET_STEP = 3  # px between two sheets of a stack
GAP = 34  # px between two items
BAR_WIDTH = 16
LABEL_ROOM = 34  # px under the tallest item for two lines of text
COLOURS = {"input": "#d9d9d9", "maps": "#9ecae1", "gap": "#c7e9c0", "linear": "#fdae6b", "classifier": "#e6550d"}


def sheets(channels: int) -> int:
    """How many sheets a stack of `channels` maps is drawn with: 1 for 1 channel, 2 more per doubling."""
    return 1 + 2 * round(math.log2(channels)) if channels > 1 else 1


def network_svg(design: Design) -> str:
    items = _items(design)
    tallest = max(height + depth for _kind, _shape, height, depth, _label in items)
    x, parts = 10.0, []
    for kind, shape, height, depth, label in items:
        width = height if kind != "linear" and kind != "classifier" else BAR_WIDTH
        parts.append(_item(kind, shape, label, x, tallest, width, height, depth))
        x += width + depth + GAP
    total_width, total_height = x - GAP + 10, tallest + LABEL_ROOM + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-picture" data-design="{escape(format_design(design))}" '
        f'width="{total_width:.0f}" height="{total_height:.0f}" viewBox="0 0 {total_width:.0f} {total_height:.0f}" '
        f'style="max-width:100%;height:auto;font:11px sans-serif">' + "".join(parts) + "</svg>"
    )


def _items(design: Design) -> list[tuple[str, str, float, float, str]]:
    """(kind, shape, height px, depth px, label) for the input, each block, the head and each linear layer."""
    def maps(kind: str, channels: int, side: int, label: str) -> tuple[str, str, float, float, str]:
        height = max(MIN_SIDE, PIXELS_PER_SIDE * side)
        return kind, f"{channels}x{side}x{side}", height, SHEET_STEP * (sheets(channels) - 1), label

    items = [maps("input", 1, IMAGE_SIZE, _("input"))]
    for number, (block, side) in enumerate(zip(design.blocks, design.output_sizes()), 1):
        items.append(maps("maps", block.channels, side, _("block {number}").format(number=number)))
    if design.head == "gap":
        items.append(maps("gap", design.blocks[-1].channels, 1, "GAP"))  # global average pooling, as the design writes it
    widths = [design.feature_size, *(layer.units for layer in design.hidden), design.classes]
    for number, units in enumerate(widths[1:], 1):
        kind = "classifier" if number == len(widths) - 1 else "linear"
        label = _("classes") if kind == "classifier" else f"fc{number}"  # fc1, fc2: the design's own names
        items.append((kind, str(units), 24 + 28 * math.log10(units), 0.0, label))
    return items


def _item(kind: str, shape: str, label: str, x: float, tallest: float, width: float, height: float, depth: float) -> str:
    """One stack of sheets (back to front, each SHEET_STEP up and right of the one in front) or one bar."""
    bottom = tallest + 5
    count = int(depth // SHEET_STEP) + 1
    sheets_svg = []
    for sheet in reversed(range(count)):
        left, top = x + sheet * SHEET_STEP, bottom - height - sheet * SHEET_STEP
        sheets_svg.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
                          f'fill="{COLOURS[kind]}" stroke="#3a3a3a" stroke-width="0.6"/>')
    centre = x + (width + depth) / 2
    words = shape.replace("x", "×", 2).replace("×", "@", 1) if "x" in shape else shape
    text = (f'<text x="{centre:.1f}" y="{bottom + 14:.1f}" text-anchor="middle">{escape(words)}</text>'
            f'<text x="{centre:.1f}" y="{bottom + 27:.1f}" text-anchor="middle" fill="#666">{escape(label)}</text>')
    return f'<g data-kind="{kind}" data-shape="{shape}" data-height="{height:.0f}">' + "".join(sheets_svg) + text + "</g>"

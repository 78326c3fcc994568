"""ui.inside.heat_picture: values become the right colours, gaps stay see-through, and the picture keeps its cells."""
from __future__ import annotations

import base64
import io
import re

import numpy as np
from PIL import Image

from ui.inside.heat_picture import colour, heat, lut, over_digit


def decoded(block: str) -> np.ndarray:
    source = re.search(r'src="data:image/png;base64,([^"]+)"', block).group(1)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(source))))


def test_the_ends_and_the_middle_of_the_range_take_the_scales_ends_and_middle():
    values = np.array([[-2.0, 0.0, 2.0, 5.0]])
    rgba = colour(values, "RdBu_r", -2.0, 2.0)
    table = lut("RdBu_r")
    assert (rgba[0, 0, :3] == table[0]).all() and (rgba[0, 2, :3] == table[255]).all()
    assert (rgba[0, 3, :3] == table[255]).all()  # beyond the range: clipped, not wrapped
    assert abs(int(rgba[0, 1, 0]) - 247) <= 2  # RdBu's white-ish middle at 0
    assert (rgba[..., 3] == 255).all()


def test_gaps_are_transparent_and_every_cell_survives_the_png():
    values = np.arange(12, dtype=np.float32).reshape(3, 4)
    values[1, 2] = np.nan
    picture = decoded(heat(values, "Viridis", 0.0, 11.0, "layer1 <conv>"))
    assert picture.shape == (3, 4, 4)  # one pixel per cell: the browser scales it up, pixelated
    assert picture[1, 2, 3] == 0 and picture[0, 0, 3] == 255
    assert (picture[2, 3, :3] == lut("Viridis")[255]).all()
    assert "layer1 &lt;conv&gt;" in heat(values, "Viridis", 0.0, 11.0, "layer1 <conv>")


def test_an_overlay_blends_over_the_digit_and_leaves_it_where_there_is_nothing_to_show():
    digit = np.zeros((2, 2), np.float32)
    digit[0, 0] = 1.0
    values = np.array([[np.nan, 1.0], [np.nan, np.nan]])
    picture = decoded(over_digit(digit, values, "Reds", 0.0, 1.0, 0.75, "Saliency"))
    assert tuple(picture[0, 0, :3]) == (255, 255, 255) and tuple(picture[1, 1, :3]) == (0, 0, 0)
    red = lut("Reds")[255].astype(float)
    assert np.allclose(picture[0, 1, :3], 0.75 * red, atol=1)  # 75% of the colour over black ink-free pixel


def test_a_signed_colour_bar_labels_both_ends_and_zero():
    block = heat(np.array([[-1.5, 1.5]]), "RdBu_r", -1.5, 1.5, "x")
    assert re.findall(r"<span>([^<]+)</span>", block) == ["-1.5", "0", "1.5"]
    assert "linear-gradient" in block

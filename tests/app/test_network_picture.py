"""The network picture: one stack per block output whose height follows its side and whose depth follows
its channels, then a bar per linear layer; and the layer table's memory column in readable units."""
import re

from core.training.design_text import parse
from ui.network_picture import network_svg, sheets
from ui.train.form import memory_text


def drawn(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, shape, height px, sheets) of each item, read back from the SVG."""
    svg = network_svg(parse(text))
    groups = re.findall(r'<g data-kind="(\w+)" data-shape="([^"]+)" data-height="(\d+)">(.*?)</g>', svg)
    return [(kind, shape, int(height), body.count("<rect")) for kind, shape, height, body in groups]


def test_stacks_follow_the_real_sizes_and_channels_then_bars_follow_the_linear_layers():
    items = drawn("c32-max,c64-max,c128-maxp1,fc625-d0.5,fc10")
    assert [shape for _, shape, _, _ in items] == ["1x28x28", "32x14x14", "64x7x7", "128x4x4", "625", "10"]
    heights = [height for _, _, height, _ in items[:4]]
    assert heights == sorted(heights, reverse=True) and heights[0] == 2 * heights[1]  # 28 px a side -> 14
    depths = [count for _, _, _, count in items[:4]]
    assert depths == [1, sheets(32), sheets(64), sheets(128)] and depths == sorted(depths)
    assert [kind for kind, *_ in items[4:]] == ["linear", "classifier"] and items[4][2] > items[5][2]  # 625 units > 10


def test_a_gap_head_draws_one_value_per_channel_and_the_picture_names_its_design():
    items = drawn("c16,c24k5-avg,gap,fc10")
    assert [shape for _, shape, _, _ in items] == ["1x28x28", "16x28x28", "24x14x14", "24x1x1", "10"]
    assert items[3][0] == "gap" and items[3][2] < items[2][2]
    assert 'data-design="c16,c24k5-avg,gap,fc10"' in network_svg(parse("c16,c24k5-avg,gap,fc10"))


def test_memory_per_image_reads_in_bytes_kilobytes_or_megabytes():
    assert (memory_text(40), memory_text(25_088), memory_text(3 * 2**20)) == ("40 B", "24.5 KB", "3.0 MB")

"""How a sweep varies a network design: a few knobs applied to the study's base design.

    vary_design(parse("c32-max,c64-max,fc10"), {"depth": 3, "width": 0.5, "kernel": 5})
    # c16k5-max,c32k5-max,c64k5-max,fc10

    depth         the number of conv blocks: the first ones kept, or more added, each twice as wide as
                  the last (at most 256 channels) and pooled like it while the picture is >= 2x2
    width         a multiplier of every block's channels (rounded, 1-256)
    kernel        every block's kernel size (1, 3, 5 or 7)
    batch_norm    every block with batch norm, or none
    hidden_units  the hidden layers' units; 0: no hidden layer, the classifier alone (a base without
                  one gets one, ReLU then the trial's dropout)
    dropout       (a TrainConfig setting) also the hidden layers' dropout, as for the named models

The result is always a valid Design; the knobs are Optuna's parameter names, so its figures say them.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from core.training.design import IMAGE_SIZE, MAX_CHANNELS, Conv, Dense, Design, pooled_size

KNOBS = ("depth", "width", "kernel", "batch_norm", "hidden_units")


def vary_design(base: Design, knobs: dict[str, Any], dropout: float | None = None) -> Design:
    """`base` with the sampled knobs (names from KNOBS) applied; `dropout` sets the hidden layers' when given."""
    blocks = list(base.blocks)
    if "depth" in knobs:
        blocks = _deepen(blocks[: knobs["depth"]], knobs["depth"])
    if "width" in knobs:
        blocks = [replace(block, channels=min(MAX_CHANNELS, max(1, round(block.channels * knobs["width"])))) for block in blocks]
    if "kernel" in knobs:
        blocks = [replace(block, kernel=knobs["kernel"]) for block in blocks]
    if "batch_norm" in knobs:
        bn = bool(knobs["batch_norm"])
        blocks = [replace(block, batch_norm=bn, pool_first=block.pool_first and bn) for block in blocks]
    hidden = list(base.hidden)
    if "hidden_units" in knobs:
        units = knobs["hidden_units"]
        hidden = [] if units == 0 else [replace(layer, units=units) for layer in hidden] or [Dense(units)]
    if dropout is not None:
        hidden = [replace(layer, dropout=dropout) for layer in hidden]
    return replace(base, blocks=tuple(blocks), hidden=tuple(hidden))


def _deepen(blocks: list[Conv], depth: int) -> list[Conv]:
    """Adds blocks after the last until there are `depth`: twice as wide, pooled only while the picture allows."""
    size = IMAGE_SIZE
    for block in blocks:
        size = pooled_size(size, block) if block.pool != "none" else size
    while len(blocks) < depth:
        last = blocks[-1]
        pooled = last.pool != "none" and size >= 2
        block = replace(last, channels=min(MAX_CHANNELS, 2 * last.channels), pool=last.pool if pooled else "none",
                        pool_padding=last.pool_padding if pooled else 0, pool_first=last.pool_first and pooled)
        size = pooled_size(size, block) if pooled else size
        blocks.append(block)
    return blocks

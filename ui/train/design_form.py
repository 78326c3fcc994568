"""The Train page's network designer as plain data: widget keys, choices, and design <-> widget values.

No streamlit here: functions take any mapping (st.session_state in the page, a dict in tests).
Every block and hidden layer has widget keys whether shown or not (train_block4_channels, ...),
so adding a block back brings its last settings.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.training.design import MAX_BLOCKS, MAX_HIDDEN, Conv, Dense, Design
from ui.i18n import N_

BLOCKS_KEY = "train_blocks"
HEAD_KEY = "train_head"
HIDDEN_KEY = "train_hidden"
INIT_KEY = "train_init"
BLOCK_FIELDS = ("channels", "kernel", "pool", "pool_padding", "batch_norm", "activation", "pool_first")
HIDDEN_FIELDS = ("units", "dropout")
CHANNEL_CHOICES = (1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256)
# powers of two, plus the lecture's 625-unit hidden layer
UNIT_CHOICES = (8, 16, 32, 64, 128, 256, 512, 625, 1024, 2048)
DROPOUT_RANGE = (0.0, 0.9)
# choice -> its words, marked for the catalog and translated where drawn (ui.train.designer)
HEAD_TITLES = {"flatten": N_("Flatten every map"), "gap": N_("Global average pooling (one number per channel)")}
INIT_TITLES = {"xavier": N_("Xavier-uniform (the lecture's)"), "torch": N_("PyTorch's default")}
POOL_TITLES = {"none": N_("none"), "max": N_("max 2×2"), "avg": N_("average 2×2")}
NEW_HIDDEN = Dense(128)  # a hidden layer added beyond a design's own


def block_key(number: int, field: str) -> str:
    """e.g. block_key(1, "channels") == "train_block1_channels" (blocks count from 1)."""
    return f"train_block{number}_{field}"


def hidden_key(number: int, field: str) -> str:
    return f"train_hidden{number}_{field}"


def design_keys() -> list[str]:
    """Every designer widget's key, shown or not."""
    blocks = [block_key(n, field) for n in range(1, MAX_BLOCKS + 1) for field in BLOCK_FIELDS]
    hidden = [hidden_key(n, field) for n in range(1, MAX_HIDDEN + 1) for field in HIDDEN_FIELDS]
    return [BLOCKS_KEY, HEAD_KEY, HIDDEN_KEY, INIT_KEY, *blocks, *hidden]


def nearest(choices: tuple[int, ...], value: int) -> int:
    return min(choices, key=lambda choice: abs(choice - value))


def design_values(design: Design) -> dict[str, Any]:
    """Widget key -> value that shows `design`; blocks past its own repeat its last one, unpooled."""
    values: dict[str, Any] = {BLOCKS_KEY: len(design.blocks), HEAD_KEY: design.head,
                              HIDDEN_KEY: len(design.hidden), INIT_KEY: design.init}
    spare = Conv(design.blocks[-1].channels, design.blocks[-1].kernel)
    for number in range(1, MAX_BLOCKS + 1):
        block = design.blocks[number - 1] if number <= len(design.blocks) else spare
        for field in BLOCK_FIELDS:
            values[block_key(number, field)] = getattr(block, field)
        values[block_key(number, "channels")] = nearest(CHANNEL_CHOICES, block.channels)
    for number in range(1, MAX_HIDDEN + 1):
        layer = design.hidden[number - 1] if number <= len(design.hidden) else NEW_HIDDEN
        values[hidden_key(number, "units")] = nearest(UNIT_CHOICES, layer.units)
        values[hidden_key(number, "dropout")] = float(layer.dropout)
    return values


def block_from_state(state: Mapping[str, Any], number: int) -> Conv:
    """Block `number` as its widgets show it; padding and pool-first count only where they apply."""
    field = {name: state[block_key(number, name)] for name in BLOCK_FIELDS}
    pooled = field["pool"] != "none"
    return Conv(
        channels=int(field["channels"]), kernel=int(field["kernel"]), batch_norm=bool(field["batch_norm"]),
        activation=field["activation"], pool=field["pool"], pool_padding=int(field["pool_padding"]) if pooled else 0,
        pool_first=bool(field["pool_first"]) and pooled and bool(field["batch_norm"]),
    )


def design_from_state(state: Mapping[str, Any], classes: int = 10) -> Design:
    """The design the widgets show; raises DesignError with the designer's one sentence."""
    blocks = tuple(block_from_state(state, number) for number in range(1, int(state[BLOCKS_KEY]) + 1))
    hidden = tuple(
        # a slider's float may come back as 0.30000000000000004: the text form and the named designs say 0.3
        Dense(int(state[hidden_key(n, "units")]), round(float(state[hidden_key(n, "dropout")]), 4))
        for n in range(1, int(state[HIDDEN_KEY]) + 1)
    )
    return Design(blocks, state[HEAD_KEY], hidden, classes, state[INIT_KEY])


def dropout_of(design: Design, default: float) -> float:
    """TrainConfig.dropout for a design: its first hidden layer's, so deep_cnn at 0.3 keeps its name."""
    return float(design.hidden[0].dropout) if design.hidden else default

"""What changed between two designs, block by block, in words a learner reads:

    design_changes(parse("c32-max,c64-max,fc10"), parse("c32-max,c128-max,c128-max,fc10"))
    # ['block 2: channels 64 -> 128', 'block 3: added']

Blocks and hidden layers are compared by position (block 1 with block 1); a longer design's extra
ones are "added", a shorter one's missing ones "removed".
"""
from __future__ import annotations

from dataclasses import fields
from typing import Any

from core.training.design import Conv, Dense, Design

_WORDS = {"batch_norm": "batch norm", "pool_padding": "pool padding", "pool_first": "pool before batch norm"}


def design_changes(first: Design, second: Design) -> list[str]:
    """One line per block, hidden layer or head setting that differs, first -> second."""
    changes = _layers("block", first.blocks, second.blocks) + _layers("hidden layer", first.hidden, second.hidden)
    for name, label in (("head", "head"), ("classes", "classes"), ("init", "linear layers' init")):
        if getattr(first, name) != getattr(second, name):
            changes.append(f"{label}: {getattr(first, name)} -> {getattr(second, name)}")
    return changes


def _layers(kind: str, first: tuple[Conv | Dense, ...], second: tuple[Conv | Dense, ...]) -> list[str]:
    changes = []
    for number in range(1, max(len(first), len(second)) + 1):
        if number > len(first):
            changes.append(f"{kind} {number}: added")
        elif number > len(second):
            changes.append(f"{kind} {number}: removed")
        else:
            differ = _fields(first[number - 1], second[number - 1])
            if differ:
                changes.append(f"{kind} {number}: {', '.join(differ)}")
    return changes


def _fields(a: Conv | Dense, b: Conv | Dense) -> list[str]:
    return [
        f"{_WORDS.get(field.name, field.name)} {_text(getattr(a, field.name))} -> {_text(getattr(b, field.name))}"
        for field in fields(a)
        if getattr(a, field.name) != getattr(b, field.name)
    ]


def _text(value: Any) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else f"{value:g}" if isinstance(value, float) else str(value)

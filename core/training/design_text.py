"""A design's short text form, for the command line and for people; it round-trips exactly.

    c32-max,c64-max,fc10                       the lecture's basic CNN
    c32-max,c64-max,c128-maxp1,fc625-d0.5,fc10 the lecture's deeper CNN
    c16-max-bn,c32-max-bn,c64-max-bn,fc10,torch-init   fast_cnn

Comma-separated layers, in order:
    c<channels>[k<kernel>][-bn][-tanh|-sigmoid][-max|-avg[p1]]   a conv block (ReLU unless named)
    c<channels>[k<kernel>]-max|avg[p1]-bn[-tanh|-sigmoid]         pool before batch norm (fast_cnn's order)
    gap                                                         global average pooling instead of flatten
    fc<units>[-d<dropout>]                                      a hidden layer (ReLU, then dropout)
    fc<classes>                                                 the classifier, always last
    torch-init                                                  PyTorch's default init of the linear layers
"""
from __future__ import annotations

import re

from core.training.design import ACTIVATIONS, Conv, Dense, Design, DesignError

_CONV = re.compile(r"c(\d+)(?:k(\d+))?")
_POOL = re.compile(r"(max|avg)(p1)?")
_FC = re.compile(r"fc(\d+)")
_DROPOUT = re.compile(r"d(\d*\.?\d+(?:e-?\d+)?)")


def format_design(design: Design) -> str:
    """The canonical text of a design: parse(format_design(d)) == d."""
    tokens = [_format_block(block) for block in design.blocks]
    if design.head == "gap":
        tokens.append("gap")
    tokens += [f"fc{layer.units}" + (f"-d{float(layer.dropout)!r}" if layer.dropout else "") for layer in design.hidden]
    tokens.append(f"fc{design.classes}")
    if design.init == "torch":
        tokens.append("torch-init")
    return ",".join(tokens)


def _format_block(block: Conv) -> str:
    parts = [f"c{block.channels}" + (f"k{block.kernel}" if block.kernel != 3 else "")]
    pool = [block.pool + ("p1" if block.pool_padding else "")] if block.pool != "none" else []
    activation = [block.activation] if block.activation != "relu" else []
    bn = ["bn"] if block.batch_norm else []
    parts += pool + bn + activation if block.pool_first else bn + activation + pool
    return "-".join(parts)


def parse(text: str) -> Design:
    """A design from its text; a bad text raises DesignError naming the layer and the reason."""
    tokens = [token.strip().lower() for token in text.strip().split(",")]
    if not text.strip() or any(not token for token in tokens):
        raise DesignError(f"a design is comma-separated layers such as c32-max,c64-max,fc10; got {text!r}.")
    init = "xavier"
    if tokens[-1] == "torch-init":
        init, tokens = "torch", tokens[:-1]
    blocks, head, linears = [], "flatten", []
    for number, token in enumerate(tokens, 1):
        if token.startswith("c") and not linears and head == "flatten":
            blocks.append(_parse_block(token, len(blocks) + 1))
        elif token == "gap" and blocks and not linears and head == "flatten":
            head = "gap"
        elif token.startswith("fc") and blocks:
            linears.append(_parse_linear(token, number))
        else:
            raise DesignError(
                f"layer {number} ({token!r}) is out of place: write conv blocks (c32-max), then gap if wanted, "
                "then hidden layers (fc625-d0.5), then the classifier (fc10)."
            )
    if not linears:
        raise DesignError(f"the design {text!r} has no classifier: end it with fc10.")
    *hidden, (classes, dropout) = linears
    if dropout:
        raise DesignError(f"the classifier (fc{classes}) takes no dropout; put dropout on a hidden layer.")
    return Design(tuple(blocks), head, tuple(Dense(units, rate) for units, rate in hidden), classes, init)


def _parse_block(token: str, number: int) -> Conv:
    where = f"block {number} ({token!r})"
    head, *parts = token.split("-")
    match = _CONV.fullmatch(head)
    if not match:
        raise DesignError(f"{where}: a conv block starts with c and its channels, e.g. c32 or c32k5.")
    fields = {"channels": int(match[1]), "kernel": int(match[2]) if match[2] else 3}
    seen: list[str] = []
    for part in parts:
        pool = _POOL.fullmatch(part)
        if pool:
            kind, fields["pool"], fields["pool_padding"] = "pool", pool[1], 1 if pool[2] else 0
        elif part == "bn":
            kind, fields["batch_norm"] = "bn", True
        elif part in ACTIVATIONS:
            kind, fields["activation"] = "activation", part
        else:
            raise DesignError(f"{where}: {part!r} is not a layer; use bn, tanh, sigmoid, relu, max, avg, maxp1 or avgp1.")
        if kind in seen:
            raise DesignError(f"{where}: it names its {kind} twice.")
        seen.append(kind)
    if seen in (["pool", "bn"], ["pool", "bn", "activation"]):
        fields["pool_first"] = True
    elif seen != [kind for kind in ("bn", "activation", "pool") if kind in seen]:
        raise DesignError(f"{where}: write its layers in the order they run: bn, then the activation, then the pooling.")
    return Conv(**fields)


def _parse_linear(token: str, number: int) -> tuple[int, float]:
    head, *parts = token.split("-")
    match = _FC.fullmatch(head)
    dropout = _DROPOUT.fullmatch(parts[0]) if len(parts) == 1 else None
    if not match or (parts and not dropout):
        raise DesignError(f"layer {number} ({token!r}): a linear layer is fc and its units, with an optional dropout: fc625-d0.5.")
    return int(match[1]), float(dropout[1]) if dropout else 0.0

"""The named networks: designs with a name, a title and a line of description.

`cnn` and `deep_cnn` are the lecture's networks, layer for layer and with the same parameter
names, so their state dicts match the notebook's. Any other network is a design
(core.training.design), written as text or built with the Train page's sliders.

    build_model("deep_cnn", dropout=0.3)   # a fresh network, from its design
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from core.training.design import Design
from core.training.design_text import parse
from core.training.network import build
from core.words import N_

CUSTOM = "custom"  # TrainConfig.model of a design that is none of the named ones


@dataclass(frozen=True)
class ModelInfo:
    text: Callable[[float], str]  # dropout -> the design's text
    title: str
    description: str
    uses_dropout: bool

    def design(self, dropout: float = 0.5) -> Design:
        return parse(self.text(dropout))


MODELS: dict[str, ModelInfo] = {
    "cnn": ModelInfo(lambda _: "c32-max,c64-max,fc10", N_("Basic CNN (lecture)"), "2 conv blocks + 1 linear layer", False),
    "deep_cnn": ModelInfo(
        # the third pool pads 7 to 8 before halving: 4x4x128 enter the hidden layer, as in the lecture
        lambda dropout: f"c32-max,c64-max,c128-maxp1,fc625{f'-d{float(dropout)!r}' if dropout else ''},fc10",
        N_("Deeper CNN (lecture)"), "3 conv blocks + 625-unit hidden layer with dropout", True,
    ),
    # Batch norm after the pool, on 4x fewer values: 13% faster than before it and as accurate (bench/);
    # a one-cycle schedule then takes a 10x larger learning rate. 16-32-64: half the basic CNN's FLOPs.
    "fast_cnn": ModelInfo(
        lambda _: "c16-max-bn,c32-max-bn,c64-max-bn,fc10,torch-init", N_("Fast CNN (batch norm)"),
        "3 conv blocks with batch norm, for the fast preset", False,
    ),
    # the fast CNN at the lecture's widths: about 4x the FLOPs, room to learn augmented digits (README)
    "wide_cnn": ModelInfo(
        lambda _: "c32-max-bn,c64-max-bn,c128-max-bn,fc10,torch-init", N_("Wide CNN (batch norm)"),
        "the fast CNN at 2x width (32-64-128), for the best preset", False,
    ),
}


def named_design(name: str, dropout: float = 0.5) -> Design:
    if name not in MODELS:
        raise KeyError(f"unknown model {name!r}; known: {', '.join(MODELS)}")
    return MODELS[name].design(dropout)


def build_model(name: str, dropout: float = 0.5) -> nn.Module:
    """A freshly initialised named network (draws from torch's global RNG)."""
    return build(named_design(name, dropout))


def place(model: nn.Module, device: torch.device | str) -> nn.Module:
    """`model` moved to `device`, channels_last on the CPU, where oneDNN's convolutions and
    max-pools run 2-4x faster in it (bench/). Only the layout changes, not the math; CUDA
    keeps PyTorch's default layout."""
    layout = torch.channels_last if torch.device(device).type == "cpu" else torch.contiguous_format
    return model.to(device, memory_format=layout)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())

"""The oracle for core.training.walk: each leaf module's output shape and parameters, from a real
forward pass of one image through a built network, keyed by module name."""
from __future__ import annotations

import torch
from torch import nn


def forward_shapes(model: nn.Module) -> dict[str, tuple[tuple[int, ...], int]]:
    """module name -> (one image's output shape, parameters of that module)."""
    seen: dict[str, tuple[tuple[int, ...], int]] = {}
    hooks = []
    for name, module in model.named_modules():
        if name and not list(module.children()):
            params = sum(p.numel() for p in module.parameters(recurse=False))
            hooks.append(module.register_forward_hook(
                lambda _m, _i, out, name=name, params=params: seen.__setitem__(name, (tuple(out.shape[1:]), params))
            ))
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(torch.zeros(1, 1, 28, 28))
    finally:
        for hook in hooks:
            hook.remove()
        model.train(was_training)
    return seen

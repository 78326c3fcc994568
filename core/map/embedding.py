"""What the network sees: the features of the layer before its classifier, for the map and for k-NN.

That layer is the input of the model's last nn.Linear (its classifier), whatever the design:
    no hidden layers        the flattened last block's output, C*H*W   (N, 3136) for c32-max,c64-max,fc10
    with global avg pooling the C channel means                         (N, 64) for ...,c64-max,gap,fc10
    with hidden layers      the last hidden layer, after its ReLU      (N, 625) for the deeper CNN
                            (dropout is off in eval mode)

    features, logits = embed(model, images)   # one pass gives both, batch by batch
"""
from __future__ import annotations

import torch
from torch import nn

from core.evaluate import SCORING_BATCH


def classifier(model: nn.Module) -> nn.Linear:
    """The model's last nn.Linear: the layer that turns features into the ten logits."""
    linears = [module for module in model.modules() if isinstance(module, nn.Linear)]
    if not linears:
        raise ValueError(f"{type(model).__name__} has no linear classifier layer")
    return linears[-1]


def feature_size(model: nn.Module) -> int:
    """D, the width of the features `embed` returns."""
    return classifier(model).in_features


def embed(model: nn.Module, images: torch.Tensor, batch_size: int = SCORING_BATCH) -> tuple[torch.Tensor, torch.Tensor]:
    """(N,D) features and (N,10) logits for (N,1,28,28) images, in eval and inference mode; the model is left as it was."""
    captured: list[torch.Tensor] = []
    hook = classifier(model).register_forward_hook(lambda _m, inputs, _out: captured.append(inputs[0].float().cpu()))
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    try:
        with torch.inference_mode():
            logits = [model(images[i : i + batch_size].to(device)).float().cpu() for i in range(0, len(images), batch_size)]
    finally:
        hook.remove()
        model.train(was_training)
    if not logits:
        return torch.empty(0, feature_size(model)), torch.empty(0, 10)
    return torch.cat(captured).flatten(1), torch.cat(logits)

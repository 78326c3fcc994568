"""What a channel wants to see: an input optimised until the channel's mean activation is as high as it gets.

Lucid's recipe (Distill, "Feature Visualization", 2017) at 28x28, written here rather than taken from
torch-lucent (README says why, with the measurement):
    pixels = sigmoid(logits)              so every pixel stays in [0, 1], the model's input scale
    each step: jitter (a random shift of up to JITTER pixels), then
    cost = -(mean activation of the channel + LEAK * largest value of its conv output)
           + TV_WEIGHT * total variation + L2_WEIGHT * mean pixel^2
    Adam on the logits
The LEAK term keeps a gradient where the channel is silent: after ReLU a silent channel's gradient is
zero, so an image that starts silent would stay so; the conv's largest value pulls one spot towards
the pattern, and the channel's mean follows. (With the conv's mean instead, 6 of 32 channels of a
tiny run stayed at 0, and 8 of cnn's 64 layer2 channels.)
All channels of a block are optimised together, one image each, in one batch.

    images, activation = visualise(model, "layer1")     # (C,1,28,28) in [0,1], (C,) each one's mean activation
"""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from core.explain.top_images import upto

STEPS = 256
LEARNING_RATE = 0.2
LEAK = 0.1
JITTER = 2
TV_WEIGHT = 0.1
L2_WEIGHT = 0.05
SIDE = 28
INIT = 0.0  # logit of the starting pixels
NOISE = 0.1


def total_variation(images: torch.Tensor) -> torch.Tensor:
    """(B,) mean absolute difference between neighbouring pixels of (B,1,H,W) images."""
    across = (images[..., :, 1:] - images[..., :, :-1]).abs().mean((1, 2, 3))
    down = (images[..., 1:, :] - images[..., :-1, :]).abs().mean((1, 2, 3))
    return across + down


def channel_means(head: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """(B,C) mean of every channel's map, for (B,1,28,28) images; gradients flow."""
    return head(images).float().mean((2, 3))


def _objective(head: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """(B,C) channel means of the block's output plus LEAK x the largest value of its conv's output."""
    captured = []
    hook = head[-1][0].register_forward_hook(lambda _module, _inputs, output: captured.append(output))
    try:
        after = head(images).float().mean((2, 3))
    finally:
        hook.remove()
    return after + LEAK * captured[0].float().amax((2, 3))


def visualise(model: nn.Module, block: str, steps: int | None = None, seed: int = 0,
              progress: Callable[[float], None] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(C,1,28,28) images in [0,1], image c optimised for channel c of `block`, and (C,) their mean activations."""
    steps = STEPS if steps is None else steps
    head = upto(model, block).eval()
    channels = head(torch.zeros(1, 1, SIDE, SIDE)).shape[1]
    generator = torch.Generator().manual_seed(seed)
    logits = (torch.randn(channels, 1, SIDE, SIDE, generator=generator) * NOISE + INIT).requires_grad_()
    optimiser = torch.optim.Adam([logits], lr=LEARNING_RATE)
    own = torch.arange(channels)
    for step in range(steps):
        images = torch.sigmoid(logits)
        shift = torch.randint(-JITTER, JITTER + 1, (2,), generator=generator).tolist()
        jittered = torch.roll(images, shifts=shift, dims=(2, 3))
        activation = _objective(head, jittered)[own, own]  # (C,) each image's own channel
        cost = (-activation + TV_WEIGHT * total_variation(images) + L2_WEIGHT * images.pow(2).mean((1, 2, 3))).sum()
        (gradient,) = torch.autograd.grad(cost, [logits])  # the model's own .grad is never touched
        optimiser.zero_grad()
        logits.grad = gradient
        optimiser.step()
        if progress is not None and step % 16 == 15:
            progress((step + 1) / steps)
    images = torch.sigmoid(logits).detach()
    with torch.inference_mode():
        final = channel_means(head, images)[own, own]
    return images, final

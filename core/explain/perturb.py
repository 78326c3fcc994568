"""Perturb one image (rotate, shift, scale, thicken or thin, blur, add noise) and watch the prediction move.

    image2 = apply(image, Perturbation(rotate=20, blur=1.0))        # (1,1,28,28) -> (1,1,28,28)
    values, probabilities = sweep(model, image, settings, "rotate") # (S,), (S,10)
    flips(values, probabilities)                                    # where the predicted class changes

The geometry and the blur are torchvision.transforms.v2.functional's; thickness is grey-level
dilation (a 3x3 max filter) or erosion (a 3x3 min filter), applied `thickness` times.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as TF

from core.evaluate import logits
from core.words import N_


@dataclass(frozen=True)
class Perturbation:
    rotate: float = 0.0  # degrees, counter-clockwise
    shift_x: float = 0.0  # pixels to the right
    shift_y: float = 0.0  # pixels down
    scale: float = 1.0  # 1 = unchanged size
    thickness: int = 0  # > 0 thickens (dilate) that many pixels, < 0 thins (erode)
    blur: float = 0.0  # Gaussian sigma, pixels
    noise: float = 0.0  # standard deviation of added Gaussian noise (pixels are 0..1)
    seed: int = 0  # fixes the noise pattern, so moving the noise slider only scales it


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    step: float
    label: str


RANGES: dict[str, Range] = {
    "rotate": Range(-45, 45, 1, N_("Rotate (degrees)")),
    "shift_x": Range(-8, 8, 0.5, N_("Shift right (pixels)")),
    "shift_y": Range(-8, 8, 0.5, N_("Shift down (pixels)")),
    "scale": Range(0.5, 1.5, 0.05, N_("Scale")),
    "thickness": Range(-2, 3, 1, N_("Thicken (+) or thin (-), pixels")),
    "blur": Range(0, 3, 0.1, N_("Blur (sigma, pixels)")),
    "noise": Range(0, 1, 0.05, N_("Noise (standard deviation)")),
}


def apply(image: torch.Tensor, settings: Perturbation) -> torch.Tensor:
    """(1,1,28,28) or (28,28) image in [0,1] -> the perturbed (1,1,28,28), clamped to [0,1]; no change at the defaults."""
    out = image.float().reshape(1, 1, *image.shape[-2:])
    for _ in range(abs(int(settings.thickness))):
        out = F.max_pool2d(out, 3, stride=1, padding=1) if settings.thickness > 0 else -F.max_pool2d(-out, 3, stride=1, padding=1)
    if (settings.rotate, settings.shift_x, settings.shift_y, settings.scale) != (0.0, 0.0, 0.0, 1.0):
        # TF.affine turns clockwise for a positive angle (unlike TF.rotate); ours, as augment's, turns counter-clockwise
        out = TF.affine(
            out, angle=-float(settings.rotate), translate=[float(settings.shift_x), float(settings.shift_y)],
            scale=float(settings.scale), shear=[0.0, 0.0], interpolation=InterpolationMode.BILINEAR,
        )
    if settings.blur > 0:
        size = 2 * int(3 * settings.blur + 0.5) + 1  # covers +-3 sigma
        out = TF.gaussian_blur(out, kernel_size=[size, size], sigma=[float(settings.blur)] * 2)
    if settings.noise > 0:
        pattern = torch.randn(out.shape, generator=torch.Generator().manual_seed(settings.seed))
        out = out + settings.noise * pattern
    return out.clamp(0, 1)


def values(name: str, count: int = 41) -> torch.Tensor:
    """Evenly spaced values across the slider `name`'s range (its integer steps for thickness)."""
    span = RANGES[name]
    if name == "thickness":
        return torch.arange(int(span.low), int(span.high) + 1, dtype=torch.float32)
    return torch.linspace(span.low, span.high, count)


def sweep(model: nn.Module, image: torch.Tensor, settings: Perturbation, name: str, count: int = 41) -> tuple[torch.Tensor, torch.Tensor]:
    """(S,) values of setting `name` across its range, the others held, and (S,10) probabilities at each: one batch."""
    if name not in RANGES:
        raise KeyError(f"unknown setting {name!r}; known: {', '.join(RANGES)}")
    points = values(name, count)
    cast = int if name == "thickness" else float
    batch = torch.cat([apply(image, replace(settings, **{name: cast(value)})) for value in points.tolist()])  # (S,1,28,28)
    return points, logits(model, batch).softmax(1)


def flips(points: torch.Tensor, probabilities: torch.Tensor) -> list[tuple[float, int, int]]:
    """(value, from class, to class) midway between neighbouring values where the predicted class changes."""
    predicted = probabilities.argmax(1).tolist()
    return [
        ((float(points[i - 1]) + float(points[i])) / 2, predicted[i - 1], predicted[i])
        for i in range(1, len(predicted)) if predicted[i] != predicted[i - 1]
    ]


def setting_names() -> list[str]:
    return [field.name for field in fields(Perturbation) if field.name in RANGES]

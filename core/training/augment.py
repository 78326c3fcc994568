"""Training-time augmentation of whole batches: random affine, elastic distortion, stroke thickness.

    augmenter = Augmenter("strong", seed=777)   # the identity when the level is "none"
    images = augmenter(images)                  # (B,1,28,28) -> (B,1,28,28), each image its own draw

Every image in a batch gets its own random rotation, scale, shear, shift and smooth
elastic field, folded into one sampling grid and applied with a single `grid_sample`
call, then its own stroke-thickness change (a blend towards a 3x3 max-pool, which
dilates, or towards a min-pool, which erodes). torchvision.transforms.v2 draws one
set of parameters per call, so on a batched tensor every image would get the same
transform; calling it once per image costs far more than the whole batch here (bench
numbers in README). The random numbers come from the augmenter's own generator,
seeded from the run's seed, so a run is reproducible and the lecture's batch order
(drawn from torch's global RNG) is the same with augmentation on or off.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from core.words import N_


@dataclass(frozen=True)
class AugmentSpec:
    """Ranges of each random change; every image draws uniformly within them."""

    rotation: float  # degrees, ±
    scale: float  # relative size change, ±, e.g. 0.1 = 90%..110%
    shear: float  # degrees of horizontal shear (slant), ±
    shift: float  # pixels, ± in each direction
    elastic: float  # pixels: standard deviation of the smooth displacement field; 0 = none
    thickness: float  # 0..1: how far towards dilated (or eroded) a stroke may go


LEVELS: dict[str, AugmentSpec | None] = {
    "none": None,
    # mild: MNIST-like variation, for the best test accuracy on MNIST itself
    "light": AugmentSpec(rotation=10, scale=0.1, shear=10, shift=2, elastic=0.0, thickness=0.0),
    # for digits drawn with a mouse: larger slants and sizes, wobbly lines, thin and thick pens
    "strong": AugmentSpec(rotation=15, scale=0.2, shear=20, shift=2.5, elastic=1.0, thickness=0.7),
}
LEVEL_TITLES = {
    "none": N_("None"),
    "light": N_("Light: small turns, slants, sizes, shifts"),
    "strong": N_("Strong: larger changes, wobble and pen thickness"),
}
ELASTIC_GRID = 4  # the displacement field is drawn on a 4x4 grid and smoothly upsampled: wobbles, not noise


def _uniform(count: int, half_range: float, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    """(count,) values uniform in [-half_range, half_range]."""
    return (torch.rand(count, generator=generator, device=device) * 2 - 1) * half_range


def sampling_matrices(
    angles: torch.Tensor, scales: torch.Tensor, shears: torch.Tensor, shifts: torch.Tensor, side: int
) -> torch.Tensor:
    """(B,2,3) matrices for F.affine_grid that rotate by `angles` (degrees, counter-clockwise as
    seen on screen), scale, shear (degrees, positive leans the top to the right) and shift
    ((B,2) pixels, x right and y down), in that order.

    affine_grid asks, for each output pixel, where to read the input, so these are the inverse
    of that forward transform, written out: (s R Sh)^-1 = Sh^-1 R^-1 / s, and -A^-1 t for the shift.
    Coordinates are affine_grid's normalised ones: x right, y down, -1..1.
    """
    radians, slant = torch.deg2rad(angles), torch.tan(torch.deg2rad(shears))
    cos, sin = torch.cos(radians), torch.sin(radians)
    # forward: rotate [[cos, sin], [-sin, cos]] (y points down), shear [[1, -slant], [0, 1]] (x' = x - slant*y)
    # inverse: shear [[1, slant], [0, 1]] @ rotate [[cos, -sin], [sin, cos]], divided by the scale
    a, b = (cos + slant * sin) / scales, (-sin + slant * cos) / scales
    c, d = sin / scales, cos / scales
    tx, ty = shifts[:, 0] * (2 / side), shifts[:, 1] * (2 / side)
    return torch.stack([
        torch.stack([a, b, -(a * tx + b * ty)], 1),
        torch.stack([c, d, -(c * tx + d * ty)], 1),
    ], 1)


@functools.lru_cache(maxsize=8)
def _base_grid(side: int, device: torch.device) -> torch.Tensor:
    """(side*side, 3) pixel centres as (x, y, 1) in normalised coordinates, as affine_grid makes them."""
    centres = (torch.arange(side, device=device) * 2 + 1) / side - 1
    return torch.stack([centres.repeat(side), centres.repeat_interleave(side), torch.ones(side * side, device=device)], 1)


def sampling_grid(matrices: torch.Tensor, side: int) -> torch.Tensor:
    """(B,2,3) -> (B,side,side,2), the same grid as F.affine_grid(align_corners=False); one
    matrix product on a cached base grid, several times faster than affine_grid on the CPU (README)."""
    grid = torch.einsum("pk,bjk->bpj", _base_grid(side, matrices.device), matrices)
    return grid.view(len(matrices), side, side, 2)


@functools.lru_cache(maxsize=8)
def _upsampler(side: int, device: torch.device) -> torch.Tensor:
    """(side, ELASTIC_GRID) bicubic interpolation weights: U @ coarse @ U.T = a bicubic upsample."""
    basis = torch.eye(ELASTIC_GRID, device=device).view(ELASTIC_GRID, 1, ELASTIC_GRID, 1)
    weights = F.interpolate(basis, size=(side, 1), mode="bicubic", align_corners=True)
    return weights[:, 0, :, 0].T.contiguous()


def elastic_field(count: int, side: int, sigma: float, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    """(B,side,side,2) smooth displacements in normalised units, about `sigma` pixels each way."""
    coarse = torch.randn(count, 2, ELASTIC_GRID, ELASTIC_GRID, generator=generator, device=device)
    upsample = _upsampler(side, device)
    field = upsample @ coarse @ upsample.T  # (B,2,side,side)
    return (field * (sigma * 2 / side)).permute(0, 2, 3, 1)


def _neighbourhood(images: torch.Tensor, pick: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], fill: float) -> torch.Tensor:
    """3x3 max (or min) filter done separably on shifted views: same result as a stride-1
    max_pool2d, which is several times slower on one-channel 28x28 images (README)."""
    padded = F.pad(images, (1, 1, 1, 1), value=fill)
    rows = pick(pick(padded[..., :-2], padded[..., 1:-1]), padded[..., 2:])
    return pick(pick(rows[..., :-2, :], rows[..., 1:-1, :]), rows[..., 2:, :])


def change_thickness(images: torch.Tensor, amounts: torch.Tensor) -> torch.Tensor:
    """(B,1,H,W) images, (B,) amounts in -1..1: > 0 blends towards the 3x3 dilation, < 0 towards the erosion."""
    amount = amounts[:, None, None, None]
    dilated = _neighbourhood(images, torch.maximum, 0.0)
    eroded = _neighbourhood(images, torch.minimum, 1.0)
    target = torch.where(amount > 0, dilated, eroded)
    return images + amount.abs() * (target - images)


def augment(images: torch.Tensor, spec: AugmentSpec, generator: torch.Generator) -> torch.Tensor:
    """(B,1,H,W) in [0,1] -> (B,1,H,W) in [0,1], each image changed by its own random draw."""
    count, side, device = len(images), images.shape[-1], images.device
    matrices = sampling_matrices(
        _uniform(count, spec.rotation, generator, device),
        1 + _uniform(count, spec.scale, generator, device),
        _uniform(count, spec.shear, generator, device),
        torch.stack([_uniform(count, spec.shift, generator, device) for _ in range(2)], 1),
        side,
    )
    grid = sampling_grid(matrices, side)  # (B,H,W,2)
    if spec.elastic > 0:
        grid = grid + elastic_field(count, side, spec.elastic, generator, device)
    out = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    if spec.thickness > 0:
        out = change_thickness(out, _uniform(count, spec.thickness, generator, device))
    return out.clamp_(0, 1)


class Augmenter:
    """A level's augmentation with its own seeded generator, whose state a checkpoint can keep."""

    def __init__(self, level: str, seed: int, device: torch.device | str = "cpu") -> None:
        if level not in LEVELS:
            raise ValueError(f"augment must be one of {', '.join(LEVELS)}; got {level!r}.")
        self.spec = LEVELS[level]
        self.generator = torch.Generator(device=device)
        # a fixed offset so the stream differs from the global RNG seeded with the same number
        self.generator.manual_seed((seed + 0x5EED) % 2**63)

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        if self.spec is None:
            return images
        return augment(images, self.spec, self.generator)

    def state(self) -> torch.Tensor:
        return self.generator.get_state()

    def restore(self, state: torch.Tensor) -> None:
        self.generator.set_state(state)


def describe(level: str) -> str:
    """One line for a level, e.g. for a CLI help or a caption."""
    spec = LEVELS[level]
    if spec is None:
        return "no augmentation"
    parts = [f"rotation ±{spec.rotation:g}°", f"scale ±{spec.scale:.0%}", f"shear ±{spec.shear:g}°", f"shift ±{spec.shift:g} px"]
    if spec.elastic:
        parts.append(f"elastic {spec.elastic:g} px")
    if spec.thickness:
        parts.append(f"thickness ±{spec.thickness:.0%}")
    return ", ".join(parts)


"""The run's augmentation (core.training.augment) written out as plain PyTorch for the exported code.

The same draws in the same order from a generator seeded as the studio seeds it, and the same
math: the affine matrices, F.affine_grid (the grid the studio builds by hand, faster), a bicubic
4x4 wobble field, bilinear sampling, then the pen thickness. The studio's 3x3 max/min filters pad
with 0 and 1; max_pool2d pads with -inf, which gives the same result on pixels in [0, 1].
"""
from __future__ import annotations

from core.training.augment import ELASTIC_GRID, LEVELS, describe

_TEMPLATE = '''\
# augmentation '{level}': {description}.
# Every image gets its own random draw from its own generator (seeded as the studio seeds it), so the
# batch order and dropout, drawn from torch's global generator, are the same as without augmentation.
ROTATION, SCALE, SHEAR, SHIFT, ELASTIC, THICKNESS = {rotation!r}, {scale!r}, {shear!r}, {shift!r}, {elastic!r}, {thickness!r}
augment_generator = torch.Generator(device=device)
augment_generator.manual_seed(({seed} + 0x5EED) % 2**63)


def uniform(count, half_range):
    return (torch.rand(count, generator=augment_generator, device=device) * 2 - 1) * half_range


def augment(images):
    """(B, 1, 28, 28) in [0, 1] -> (B, 1, 28, 28): turned, resized, slanted, shifted{wobble}{pen}."""
    count, side = len(images), images.shape[-1]
    angles, scales, shears = uniform(count, ROTATION), 1 + uniform(count, SCALE), uniform(count, SHEAR)
    shifts = torch.stack([uniform(count, SHIFT) for _ in range(2)], 1)  # (B, 2) pixels, x right, y down
    radians, slant = torch.deg2rad(angles), torch.tan(torch.deg2rad(shears))
    cos, sin = torch.cos(radians), torch.sin(radians)
    # affine_grid asks where each output pixel reads from: the inverse of rotate -> slant -> resize -> shift
    a, b = (cos + slant * sin) / scales, (-sin + slant * cos) / scales
    c, d = sin / scales, cos / scales
    tx, ty = shifts[:, 0] * (2 / side), shifts[:, 1] * (2 / side)
    matrices = torch.stack([torch.stack([a, b, -(a * tx + b * ty)], 1),
                            torch.stack([c, d, -(c * tx + d * ty)], 1)], 1)  # (B, 2, 3)
    grid = F.affine_grid(matrices, list(images.shape), align_corners=False)  # (B, 28, 28, 2)
    if ELASTIC > 0:
        coarse = torch.randn(count, 2, {grid}, {grid}, generator=augment_generator, device=device)
        field = F.interpolate(coarse, size=(side, side), mode='bicubic', align_corners=True)  # smooth wobbles, not noise
        grid = grid + (field * (ELASTIC * 2 / side)).permute(0, 2, 3, 1)
    out = F.grid_sample(images, grid, mode='bilinear', padding_mode='zeros', align_corners=False)
    if THICKNESS > 0:
        amount = uniform(count, THICKNESS)[:, None, None, None]  # > 0 thickens the pen, < 0 thins it
        thicker = F.max_pool2d(out, 3, stride=1, padding=1)
        thinner = -F.max_pool2d(-out, 3, stride=1, padding=1)
        out = out + amount.abs() * (torch.where(amount > 0, thicker, thinner) - out)
    return out.clamp_(0, 1)'''


def augment_source(level: str, seed: int) -> str:
    """The cell that defines `augment(images)`, or "" for no augmentation."""
    spec = LEVELS[level]
    if spec is None:
        return ""
    return _TEMPLATE.format(
        level=level, description=describe(level), seed=seed, grid=ELASTIC_GRID,
        rotation=spec.rotation, scale=spec.scale, shear=spec.shear, shift=spec.shift,
        elastic=spec.elastic, thickness=spec.thickness,
        wobble=", wobbled" if spec.elastic else "", pen=", pen thickness changed" if spec.thickness else "",
    )

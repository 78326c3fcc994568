"""The validation split: a fixed 1/12 of the training images (5,000 of MNIST's 60,000), held out.

Sweeps score their trials on it, never on the test set: choosing settings by test accuracy
would make that accuracy a lie. The same images are held out in every run, whatever its seed.
"""
from __future__ import annotations

import torch

from core.data.loading import Split

FRACTION = 12  # 60,000 / 12 = 5,000 held out
SEED = 0  # fixes which images are held out, independent of the run's seed


def validation_size(train_size: int) -> int:
    """How many of `train_size` training images are held out (5,000 of 60,000)."""
    return train_size // FRACTION


def hold_out(train: Split) -> tuple[Split, Split]:
    """(the images trained on, the validation images): a fixed random choice, the same every time."""
    generator = torch.Generator().manual_seed(SEED)
    order = torch.randperm(len(train), generator=generator)
    held = order[: validation_size(len(train))].sort().values
    kept = order[validation_size(len(train)) :].sort().values  # sorted: the lecture's batch order stays meaningful
    return Split(train.images[kept], train.labels[kept]), Split(train.images[held], train.labels[held])

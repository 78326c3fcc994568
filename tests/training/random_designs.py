"""Random valid designs for tests that must hold for any design: 1-5 blocks, every kernel, activation,
pooling and head, batch norm before or after the pool, 0-3 hidden layers; small widths, so a forward pass is quick."""
from __future__ import annotations

import random

from core.training.design import ACTIVATIONS, IMAGE_SIZE, KERNELS, MAX_BLOCKS, MAX_HIDDEN, Conv, Dense, Design, pooled_size


def random_design(seed: int, classes: int = 10) -> Design:
    rng = random.Random(seed)
    blocks, size = [], IMAGE_SIZE
    for _ in range(rng.randint(1, MAX_BLOCKS)):
        pool = rng.choice(("none", "max", "avg")) if size >= 2 else "none"
        padding = rng.choice((0, 1)) if pool != "none" else 0
        batch_norm = rng.random() < 0.5
        block = Conv(
            channels=rng.randint(1, 12), kernel=rng.choice(KERNELS), batch_norm=batch_norm, activation=rng.choice(ACTIVATIONS),
            pool=pool, pool_padding=padding, pool_first=batch_norm and pool != "none" and rng.random() < 0.3,
        )
        size = pooled_size(size, block) if pool != "none" else size
        blocks.append(block)
    hidden = tuple(Dense(rng.randint(1, 24), rng.choice((0.0, 0.25))) for _ in range(rng.randint(0, MAX_HIDDEN)))
    return Design(tuple(blocks), rng.choice(("flatten", "gap")), hidden, classes, rng.choice(("xavier", "torch")))


def random_designs(count: int, first_seed: int = 0) -> list[Design]:
    return [random_design(seed) for seed in range(first_seed, first_seed + count)]

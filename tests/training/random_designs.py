"""Random valid designs, for tests that must hold for any design, not only the named four."""
from __future__ import annotations

import random

from core.training.design import ACTIVATIONS, KERNELS, Conv, Dense, Design, DesignError


def random_design(rng: random.Random) -> Design:
    """A valid design drawn from every kind of block, head and hidden layer (small, so it builds fast)."""
    while True:
        blocks = []
        for _ in range(rng.randint(1, 5)):
            pool = rng.choice(("none", "max", "avg"))
            batch_norm = rng.random() < 0.4
            blocks.append(Conv(
                channels=rng.choice((1, 3, 8, 16)), kernel=rng.choice(KERNELS), batch_norm=batch_norm,
                activation=rng.choice(ACTIVATIONS), pool=pool, pool_padding=rng.choice((0, 1)) if pool != "none" else 0,
                pool_first=batch_norm and pool != "none" and rng.random() < 0.5,
            ))
        hidden = tuple(Dense(rng.choice((1, 7, 32)), rng.choice((0.0, 0.25, 0.5))) for _ in range(rng.randint(0, 3)))
        try:
            return Design(tuple(blocks), rng.choice(("flatten", "gap")), hidden, 10, rng.choice(("xavier", "torch")))
        except DesignError:
            continue  # e.g. pooling a 1x1 picture: draw again


def random_designs(count: int, seed: int = 0) -> list[Design]:
    rng = random.Random(seed)
    return [random_design(rng) for _ in range(count)]

"""Find a learning rate for a design and its settings: the range test, then one line with the suggestion.

    python -m core.lr_find                         # the lecture's basic CNN with Adam
    python -m core.lr_find --preset fast
    python -m core.lr_find --arch c16-bn-max,c32-bn-max,gap,fc10 --optimizer sgd

Takes core.train's options (epochs and --resume do not apply); saves nothing. The last line is
`suggested lr: X`, the rate where the smoothed cost falls fastest.
"""
from __future__ import annotations

import sys

from core.cli import fail
from core.data.datasets import DATASETS
from core.data.loading import DatasetError, load_dataset
from core.training.capacity import check_fits
from core.training.config import ConfigError
from core.training.design_text import format_design
from core.training.lr_find import BATCHES, END, START, find_lr
from core.training.trainer import resolve_device
from core.train import config_from_args, parser


def main(argv: list[str] | None = None) -> int:
    p = parser()
    p.prog, p.description = "python -m core.lr_find", "Find a learning rate: a range test of about 100 batches."
    args = p.parse_args(argv)
    if args.resume:
        fail("--resume does not apply: the finder trains a fresh copy of a design.")
    try:
        config = config_from_args(args)
        device = resolve_device(args.device)
        check_fits(config.design, config.batch_size, device)
    except (ConfigError, ValueError) as error:
        fail(str(error))
    try:
        data = load_dataset(config.dataset, args.data_dir)
    except DatasetError as error:
        fail(str(error), code=1)
    print(f"Range test: {BATCHES} batches of {config.batch_size}, lr {START:g} to {END:g}, {config.optimizer}, "
          f"{format_design(config.design)} on {DATASETS[config.dataset].title}, on {device}", flush=True)
    result = find_lr(config, data, device)
    lowest = min(range(len(result.smoothed)), key=result.smoothed.__getitem__)
    print(f"{len(result.lrs)} batches in {result.seconds:.1f} s; smoothed cost lowest ({result.smoothed[lowest]:.3f}) "
          f"at lr {result.lrs[lowest]:.3g}; rule: {result.rule}")
    print(f"suggested lr: {result.suggestion:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

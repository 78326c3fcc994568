"""Print a design's walk in the lecture's notation: shapes, parameters, multiply-adds, receptive fields.

    python -m core.summary cnn                          # a named model
    python -m core.summary c32-max,c64-max,c128-maxp1,fc625-d0.5,fc10
    python -m core.summary my_net.json                  # a design in its data form
    python -m core.summary cnn-20261128-101500          # the design of a saved run (name or folder)

The first line, `design: TEXT`, is the text form, usable with `python -m core.train --arch TEXT`.
A bad design exits 2 with one line.
"""
from __future__ import annotations

import sys

from core.cli import Parser, fail
from core.runs import checkpoints
from core.training.config import TrainConfig
from core.training.design import Design, DesignError
from core.training.design_file import design_argument
from core.training.design_text import format_design
from core.training.models import MODELS, named_design
from core.training.walk import block_receptive_fields, totals, walk


def resolve(argument: str, checkpoint_dir: str | None = None) -> Design:
    """A named model, else a saved run, else a design's text or JSON file."""
    if argument in MODELS:
        return named_design(argument)
    root = checkpoints.checkpoint_dir(checkpoint_dir)
    try:
        run_dir = checkpoints.user_run_path(root, argument)
    except (checkpoints.CheckpointError, ValueError):
        run_dir = None
    if run_dir is not None and run_dir.is_dir():
        meta = checkpoints.read_meta(run_dir)  # raises CheckpointError with a sentence
        return TrainConfig.from_dict(meta["config"]).design
    try:
        return design_argument(argument)
    except DesignError as error:
        if "," in argument or argument.endswith(".json"):
            raise
        raise DesignError(
            f"{argument!r} is not a named model ({', '.join(MODELS)}), a run in {root}, or a design ({error})"
        ) from error


def lines(design: Design) -> list[str]:
    """The summary as printed: design text, the walk, then the totals."""
    rows = walk(design)
    width = max(len(row.lecture) for row in rows) + 2
    out = [f"design: {format_design(design)}"]
    for row in rows:
        where = f"  [{row.name}]" if row.kind != "Input" else ""
        numbers = f"{row.parameters:>11,} params {row.macs:>13,} mult-adds" if row.parameters or row.macs else " " * 42
        out.append(f"{row.lecture:<{width}}{numbers}{where}".rstrip())
    total = totals(design)
    fields = ", ".join(f"layer{n} {rf}x{rf}" for n, rf in enumerate(block_receptive_fields(design), 1))
    out += [
        f"parameters: {total.parameters:,}",
        f"multiply-adds per image: {total.macs:,}",
        f"receptive field per block (input pixels): {fields}",
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m core.summary", description="A design's layers in the lecture's notation.")
    parser.add_argument("design", metavar="NAME|TEXT|RUN", help="a named model, a design's text or JSON file, or a saved run")
    parser.add_argument("--checkpoint-dir", help="runs folder (default: $MNIST_CHECKPOINT_DIR, else checkpoints/)")
    args = parser.parse_args(argv)
    try:
        design = resolve(args.design, args.checkpoint_dir)
    except (DesignError, checkpoints.CheckpointError) as error:
        fail(str(error))
    print("\n".join(lines(design)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

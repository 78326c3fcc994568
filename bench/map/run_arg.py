"""The map benchmarks' shared command line: a saved run (a folder path or a name) plus where runs and data live."""
from __future__ import annotations

import argparse
from pathlib import Path


def parse_run(prog: str, description: str, argv: list[str] | None) -> tuple[Path, str | None]:
    """(the run's folder, --data-dir): the run resolved as core.evaluate and core.inspect resolve theirs."""
    from core.runs import checkpoints

    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("run", help="a run folder, or the name of a run in the runs folder")
    parser.add_argument("--checkpoint-dir")
    parser.add_argument("--data-dir")
    args = parser.parse_args(argv)
    return checkpoints.user_run_path(checkpoints.checkpoint_dir(args.checkpoint_dir), args.run), args.data_dir

"""Share runs between machines as zips.

    python -m core.runs export RUN --out FILE.zip [--checkpoint-dir DIR]
    python -m core.runs import FILE.zip [--checkpoint-dir DIR]

A refused import prints one line (exit code 1) and writes nothing.
"""
from __future__ import annotations

from pathlib import Path

from core.cli import Parser, fail
from core.runs import checkpoints, share


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m core.runs", description="Export a run as a zip, or import one.")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write a run's folder and a manifest of sha256 sums into a zip")
    export.add_argument("run", help="a run folder, or the name of a run in the checkpoint folder")
    export.add_argument("--out", required=True, help="the zip file to write")
    imported = commands.add_parser("import", help="check a run's zip whole, then add it as a new run")
    imported.add_argument("zip", help="a zip written by `python -m core.runs export` or the Runs page")
    for command in (export, imported):
        command.error = parser.error  # one line, exit code 2, as core.cli.Parser
        command.add_argument("--checkpoint-dir", help="runs folder (default: $MNIST_CHECKPOINT_DIR, else checkpoints/)")
    args = parser.parse_args(argv)
    root = checkpoints.checkpoint_dir(args.checkpoint_dir)
    try:
        if args.command == "export":
            run_dir = checkpoints.user_run_path(root, args.run)
            damaged = checkpoints.inspect_run(run_dir).damaged if run_dir.is_dir() else f"There is no run named {run_dir.name} in {root}."
            if damaged:
                raise checkpoints.CheckpointError(damaged)
            Path(args.out).write_bytes(share.export_zip(run_dir))
            print(f"Exported {run_dir.name} to {args.out}")
        else:
            path = Path(args.zip)
            if not path.is_file():
                fail(f"{path} is not a file.")
            name = share.import_zip(path.read_bytes(), root)
            print(f"Imported as {name} in {root}")
    except (checkpoints.CheckpointError, share.ShareError, OSError) as error:
        fail(str(error), code=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Writes that no reader and no crash ever sees half of: a hidden temp file or folder, then one rename.

Temp names start with a dot and end in `.tmp`, so listings that skip hidden
entries (core.runs.checkpoints.list_runs) never mistake a leftover for a run, even
after a `kill -9` in the middle of a write.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def write_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through a hidden temp file beside `path`, fsync, then os.replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def new_folder(path: Path) -> Iterator[Path]:
    """A hidden staging folder beside `path`, renamed to `path` once the block has filled it."""
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield staging
        os.rename(staging, path)  # atomic; replaces nothing but an empty folder
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

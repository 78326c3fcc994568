"""Reading a zip someone else made: every member checked before any of it is used.

    with open_zip(data, ZipError) as archive:          # "not a zip" as one sentence
        members = checked_members(archive, 100 * 2**20, ZipError)   # names, links, sizes, ratios

Shared by the handwriting import (core.data.handwriting_zip) and the run import (core.runs.share).
Each problem raises the caller's error class with one sentence; nothing is extracted here.
"""
from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath, PureWindowsPath

MAX_RATIO = 100  # a zip bomb unpacks to thousands of times its size; weights and JSON stay far below this
RATIO_FLOOR = 2**20  # members under 1 MiB may compress as well as they like (a run.json of repeated keys)


@contextmanager
def open_zip(data: bytes, error: type[Exception], after: str = "") -> Iterator[zipfile.ZipFile]:
    """The archive, or `error` saying it is not a readable zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile, ValueError) as problem:
        raise error(f"This is not a readable zip file ({problem}).{after}") from problem
    with archive:
        yield archive


def check_size(info: zipfile.ZipInfo, max_bytes: int, error: type[Exception], after: str = "") -> None:
    """Refuses a member larger than `max_bytes` unpacked, or one packed like a zip bomb."""
    if info.file_size > max_bytes:
        raise error(f"{info.filename} is {info.file_size:,} bytes unpacked, more than the {max_bytes:,} allowed.{after}")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        raise error(f"{info.filename} unpacks to {ratio:,.0f} times its packed size, as a zip bomb does.{after}")


def check_name(info: zipfile.ZipInfo, error: type[Exception], after: str = "") -> None:
    """Refuses a member named with `..`, an absolute path or a drive, or stored as a symbolic link."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or PureWindowsPath(name).drive or ".." in parts:
        raise error(f"{name!r} points outside the folder it would unpack into ('..' or an absolute path).{after}")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise error(f"{name} is a symbolic link; only plain files are accepted.{after}")


def checked_members(archive: zipfile.ZipFile, max_bytes: int, error: type[Exception], after: str = "") -> list[zipfile.ZipInfo]:
    """The archive's files (folders left out), each name and size checked."""
    members = []
    for info in archive.infolist():
        check_name(info, error, after)
        if not info.is_dir():
            check_size(info, max_bytes, error, after)
            members.append(info)
    return members


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, error: type[Exception], after: str = "") -> bytes:
    """The member's bytes (never more than its header says: zipfile stops there), or `error` if damaged."""
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as problem:
        raise error(f"{info.filename} in the zip is damaged ({problem}).{after}") from problem

"""A run's recorded internals: run_dir/telemetry.jsonl, JSON lines, appended once per epoch.

    line 1       {"kind": "header", "every", "bins", "probe_labels", "probe_images", "weight_bins", "activation_bins"}
    lines 2..    {"kind": "record", "epoch", "batch", "step", "cost", "weights", "activations", "filters", "probabilities"}

Plain JSON, never pickle. Each append rewrites the file through a hidden temp file and one rename
(core.runs.atomic), so a run killed mid-epoch keeps every epoch appended before, and a reader never
sees half a line. Runs trained before recording began have no file: load returns None.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.runs import atomic

FILE = "telemetry.jsonl"
MAX_BYTES = 512 * 2**20  # far beyond a long run's (README: size per epoch)


class TelemetryError(ValueError):
    """The file is there but cannot be read; the message says why."""


def path_in(run_dir: Path) -> Path:
    return run_dir / FILE


def append(run_dir: Path, header: dict[str, Any], records: list[dict[str, Any]]) -> None:
    """Add `records` (writing `header` first when the file is new), atomically."""
    path = path_in(run_dir)
    old = path.read_bytes() if path.is_file() else json.dumps(header).encode() + b"\n"
    new = b"".join(json.dumps(record).encode() + b"\n" for record in records)
    atomic.write_file(path, lambda handle: handle.write(old + new))


def load(run_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(header, records) in the order recorded; None when the run has no recording."""
    path = path_in(run_dir)
    if path.is_symlink():
        raise TelemetryError(f"{FILE} is a symbolic link; only real files in the run folder are read.")
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_BYTES:
        raise TelemetryError(f"{FILE} is larger than any run of ours records.")
    try:
        lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TelemetryError(f"{FILE} is not JSON lines ({error}).") from error
    if not lines or not isinstance(lines[0], dict) or lines[0].get("kind") != "header":
        raise TelemetryError(f"{FILE} does not start with its header line.")
    return lines[0], [line for line in lines[1:] if isinstance(line, dict) and line.get("kind") == "record"]


def header_of(run_dir: Path) -> dict[str, Any] | None:
    """The saved header alone, so a resumed run keeps histogram bins that stack with the saved ones."""
    path = path_in(run_dir)
    if not path.is_file() or path.is_symlink():
        return None
    with path.open() as handle:
        first = handle.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        return None
    return header if isinstance(header, dict) and header.get("kind") == "header" else None

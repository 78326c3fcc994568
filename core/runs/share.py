"""A run in a zip, to share: exported whole, imported on another machine only after every check.

    data = export_zip(run_dir)            # bytes: manifest.json, run.json, model.pt, epochs/, ...
    name = import_zip(data, root)         # the new run's name in `root` (a new one on a clash)

manifest.json lists every other member with its sha256. An import reads the whole zip into
memory and checks it all (core.zips: names, links, sizes, zip-bomb ratios; then the manifest,
each sha256, run.json's settings, and every weights file through the weights-only loader)
before it writes anything; a refusal is one ShareError sentence and leaves `root` untouched.
The run is then written into a hidden folder and renamed into place in one step
(core.runs.atomic), so no page ever sees half an import.
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import torch

from core import zips
from core.runs import atomic
from core.runs.checkpoints import META, NAME_PATTERN, unique_name
from core.runs.epochs import FOLDER as EPOCHS
from core.runs.weights import WEIGHTS, CheckpointError, check_loaded, why_unloadable
from core.training.config import ConfigError, TrainConfig
from core.training.network import build

MANIFEST = "manifest.json"
FORMAT = 1
MAX_MEMBER_BYTES = 2**30  # one file: deep_cnn's weights are 5.5 MB; the capacity check bounds any design far lower
MAX_TOTAL_BYTES = 4 * 2**30
NOTHING = " Nothing was imported."


class ShareError(RuntimeError):
    """A zip that cannot be imported; the message says why in one sentence."""


def run_files(run_dir: Path) -> list[Path]:
    """The run folder's plain files, hidden temp files and links left out, sorted."""
    return sorted(
        path for path in run_dir.rglob("*")
        if path.is_file() and not path.is_symlink() and not any(part.startswith(".") for part in path.relative_to(run_dir).parts)
    )


def export_zip(run_dir: Path) -> bytes:
    """Every file of the run, plus manifest.json naming the run and each file's sha256."""
    files = {path.relative_to(run_dir).as_posix(): path.read_bytes() for path in run_files(run_dir)}
    manifest = {"format": FORMAT, "run": run_dir.name, "files": {name: _sha256(data) for name, data in files.items()}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def import_zip(data: bytes, root: Path, max_member_bytes: int = MAX_MEMBER_BYTES) -> str:
    """Check the zip whole, then add its run to `root` under its name (or name-2, ... when taken)."""
    contents = read_contents(data, max_member_bytes)
    manifest = _manifest(contents)
    check_run(contents)
    root.mkdir(parents=True, exist_ok=True)
    name = unique_name(root, manifest["run"])
    with atomic.new_folder(root / name) as staging:
        for member, content in contents.items():
            if member == MANIFEST:
                continue
            (staging / member).parent.mkdir(parents=True, exist_ok=True)
            (staging / member).write_bytes(content)
    return name


def read_contents(data: bytes, max_member_bytes: int = MAX_MEMBER_BYTES) -> dict[str, bytes]:
    """{member name: bytes} of every file in the zip, each name and size checked first."""
    with zips.open_zip(data, ShareError, NOTHING) as archive:
        members = zips.checked_members(archive, max_member_bytes, ShareError, NOTHING)
        total = sum(info.file_size for info in members)
        if total > MAX_TOTAL_BYTES:
            raise ShareError(f"The zip unpacks to {total:,} bytes, more than the {MAX_TOTAL_BYTES:,} allowed.{NOTHING}")
        return {info.filename: zips.read_member(archive, info, ShareError, NOTHING) for info in members}


def _manifest(contents: dict[str, bytes]) -> dict[str, Any]:
    """manifest.json, checked against the members: the same names, each with its sha256."""
    if MANIFEST not in contents:
        raise ShareError(f"The zip has no {MANIFEST}, so it is not a run exported from this studio.{NOTHING}")
    try:
        manifest = json.loads(contents[MANIFEST])
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ShareError(f"{MANIFEST} is not valid JSON ({error}).{NOTHING}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise ShareError(f"{MANIFEST} is not a run manifest of format {FORMAT} (this version reads only that).{NOTHING}")
    if not isinstance(manifest.get("run"), str) or not NAME_PATTERN.match(manifest["run"]):
        raise ShareError(f"{MANIFEST} names the run {str(manifest.get('run'))[:60]!r}, which is not a run name (letters, digits, . _ -).{NOTHING}")
    listed, present = set(manifest["files"]), set(contents) - {MANIFEST}
    if listed != present:
        extra, missing = sorted(present - listed), sorted(listed - present)
        problem = f"holds {extra[0]}, which {MANIFEST} does not list" if extra else f"lacks {missing[0]}, which {MANIFEST} lists"
        raise ShareError(f"The zip {problem}.{NOTHING}")
    for name in sorted(listed):
        if _sha256(contents[name]) != manifest["files"][name]:
            raise ShareError(f"{name}'s sha256 differs from the one in {MANIFEST}: the file was changed or damaged.{NOTHING}")
    return manifest


def check_run(contents: dict[str, bytes]) -> None:
    """run.json's settings known to this version; model.pt and every epoch file weights-only loadable and fitting."""
    for required in (META, WEIGHTS):
        if required not in contents:
            raise ShareError(f"The zip has no {required}, so it holds no run.{NOTHING}")
    try:
        meta = json.loads(contents[META])
        config = TrainConfig.from_dict(meta["config"])
    except (json.JSONDecodeError, UnicodeDecodeError, TypeError, KeyError) as error:
        raise ShareError(f"{META} is not a run's metadata ({type(error).__name__}: {error}).{NOTHING}") from error
    except ConfigError as error:  # DesignError too: a design or dataset this version does not know
        raise ShareError(f"The run's design or dataset is not one this version knows: {error}{NOTHING}") from error
    checkpoint = _load(contents[WEIGHTS], WEIGHTS)
    try:
        check_loaded("The zip", checkpoint)
    except CheckpointError as error:
        raise ShareError(f"{error}{NOTHING}") from error
    for name in sorted(n for n in contents if n.startswith(f"{EPOCHS}/")):
        parts = _load(contents[name], name)
        try:
            build(config.design).load_state_dict(parts["model"])
        except (TypeError, KeyError, RuntimeError) as error:
            raise ShareError(f"{name} does not hold weights of this run's network.{NOTHING}") from error


def _load(data: bytes, name: str) -> Any:
    """torch.load weights-only from memory: a file that asks to run code is refused and named so."""
    try:
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as error:  # truncated, random bytes, a pickle that asks for code
        raise ShareError(f"{why_unloadable(error, data, name)}{NOTHING}") from error


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

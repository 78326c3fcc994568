"""My handwriting: a personal set of labelled drawings, kept on disk beside the data.

    folder = set_dir()                                   # $MNIST_HANDWRITING_DIR, else <data dir>/my-handwriting
    drawing = save(folder, 7, seen, canvas_png)          # seen: the (1,1,28,28) the model saw
    drawings = list_drawings(folder)                     # oldest first; damaged ones carry a problem
    split = as_split(drawings)                           # (N,1,28,28) images, (N,) labels, for scoring
    delete(folder, drawing.name)

Each drawing is one folder, `<label>-<UTC time>-<random>/`, holding `seen.png` (28x28 grey, exactly
the pixels the model saw) and `canvas.png` (the drawing as the canvas held it). It is filled hidden
and renamed into place in one step (core.runs.atomic), so no reader or crash sees half of one, and two
tabs saving at the same instant make two differently named folders: both are kept.
"""
from __future__ import annotations

import errno
import io
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch

from core.runs import atomic
from core.data.loading import Split, data_dir, scale

ENV_VAR = "MNIST_HANDWRITING_DIR"
FOLDER_NAME = "my-handwriting"
SEEN, CANVAS = "seen.png", "canvas.png"
NAME = re.compile(r"^(?P<label>\d)-(?P<time>\d{8}T\d{12})-[0-9a-f]{8}$")
SIDE = 28
SHARE = 0.02  # in a fine-tuning run the set is repeated to about this share of the training images
MAX_COPIES = 50  # ...but no drawing more than this many times per epoch


class HandwritingError(RuntimeError):
    """Saving, reading or importing the set failed; the message says what to do, and nothing was lost."""


@dataclass(frozen=True)
class Drawing:
    name: str  # the folder's name, unique
    label: int  # the digit the user said it is
    path: Path
    seen: np.ndarray | None  # (28,28) uint8, None when damaged
    problem: str | None = None  # a sentence when the drawing cannot be read

    @property
    def canvas_path(self) -> Path | None:
        path = self.path / CANVAS
        return path if path.is_file() else None


def set_dir(data_folder: str | os.PathLike | None = None) -> Path:
    """The set's folder: $MNIST_HANDWRITING_DIR, else `my-handwriting` in the data folder."""
    chosen = os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else data_dir(data_folder) / FOLDER_NAME


def save_problem(label: int | None, seen: torch.Tensor | np.ndarray | None) -> str | None:
    """Why this drawing cannot be saved (no label, nothing drawn), or None."""
    if seen is None or not np.asarray(seen).any():
        return "The canvas is empty: draw a digit first, then save it."
    if label is None:
        return "Choose which digit you drew before saving it."
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        return f"The label must be a digit 0-9; got {label!r}."
    return None


def _grey(seen: torch.Tensor | np.ndarray) -> np.ndarray:
    """(1,1,28,28) or (28,28) in [0,1] (float) or 0..255 (uint8) -> (28,28) uint8."""
    pixels = np.asarray(seen).squeeze()
    if pixels.shape != (SIDE, SIDE):
        raise HandwritingError(f"A drawing to save must be 28x28 as the model sees it; got {pixels.shape}.")
    if pixels.dtype == np.uint8:
        return pixels
    return (pixels.clip(0, 1) * 255).round().astype(np.uint8)


def png_bytes(pixels: np.ndarray) -> bytes:
    """(H,W) grey or (H,W,4) RGBA uint8 -> PNG bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def unwritable_message(folder: Path, error: OSError) -> str:
    reason = "it is read-only" if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else str(error.strerror or error)
    return (
        f"Cannot save to {folder}: {reason}. Nothing was saved and the set is unchanged. "
        f"Make the folder writable, or set {ENV_VAR} to a folder you can write to."
    )


def save(folder: Path, label: int | None, seen: torch.Tensor | np.ndarray | None, canvas_png: bytes | None = None) -> Drawing:
    """Add one drawing to the set, atomically; raises HandwritingError (no label, empty, unwritable)."""
    problem = save_problem(label, seen)
    if problem:
        raise HandwritingError(problem)
    pixels = _grey(seen)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    name = f"{int(label)}-{stamp}-{uuid.uuid4().hex[:8]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic.new_folder(folder / name) as staging:
            atomic.write_file(staging / SEEN, lambda handle: handle.write(png_bytes(pixels)))
            if canvas_png is not None:
                atomic.write_file(staging / CANVAS, lambda handle: handle.write(canvas_png))
    except OSError as error:
        raise HandwritingError(unwritable_message(folder, error)) from error
    return Drawing(name, int(label), folder / name, pixels)


def _read(path: Path) -> Drawing:
    from PIL import Image

    label = int(NAME.match(path.name)["label"])
    try:
        with Image.open(path / SEEN) as image:
            pixels = np.asarray(image) if image.mode == "L" else None
    except (OSError, ValueError) as error:
        return Drawing(path.name, label, path, None, f"{path.name}/{SEEN} cannot be read ({error}).")
    if pixels is None or pixels.shape != (SIDE, SIDE):
        return Drawing(path.name, label, path, None, f"{path.name}/{SEEN} is not a 28x28 grey image.")
    return Drawing(path.name, label, path, pixels)


def list_drawings(folder: Path) -> list[Drawing]:
    """Every drawing in the set, oldest first; unreadable ones carry a `problem`. Other files are ignored."""
    if not folder.is_dir():
        return []
    entries = [path for path in folder.iterdir() if path.is_dir() and NAME.match(path.name)]
    return [_read(path) for path in sorted(entries, key=lambda path: NAME.match(path.name)["time"])]


def stamp(folder: Path) -> tuple[str, ...]:
    """What identifies the set's state (names are unique and never reused): for cache keys."""
    if not folder.is_dir():
        return ()
    return tuple(sorted(path.name for path in folder.iterdir() if NAME.match(path.name)))


def delete(folder: Path, name: str) -> None:
    """Remove one drawing: renamed hidden first, so it vanishes whole; raises HandwritingError."""
    if not NAME.match(name) or not (folder / name).is_dir():
        raise HandwritingError(f"There is no drawing named {name!r} in {folder}.")
    hidden = folder / f".{name}.deleted.tmp"
    try:
        os.rename(folder / name, hidden)
    except OSError as error:
        raise HandwritingError(f"Cannot delete {name} from {folder}: {error.strerror or error}.") from error
    shutil.rmtree(hidden, ignore_errors=True)


def as_split(drawings: list[Drawing]) -> Split:
    """The readable drawings as a Split: (N,1,28,28) float32 in [0,1] and (N,) int64 labels."""
    usable = [drawing for drawing in drawings if drawing.seen is not None]
    if not usable:
        return Split(torch.zeros(0, 1, SIDE, SIDE), torch.zeros(0, dtype=torch.int64))
    pixels = torch.from_numpy(np.stack([drawing.seen for drawing in usable]))
    return Split(scale(pixels).unsqueeze(1), torch.tensor([drawing.label for drawing in usable]))


def with_set(train: Split, drawings: Split) -> Split:
    """MNIST's training images plus the set, repeated to about SHARE of the total (one copy at least)."""
    if len(drawings) == 0:
        raise ValueError(
            "Your handwriting set is empty, so there is nothing to fine-tune on: "
            "save some drawings on the Draw page first."
        )
    copies = min(MAX_COPIES, max(1, round(SHARE * len(train) / len(drawings))))
    return Split(
        torch.cat([train.images, drawings.images.repeat(copies, 1, 1, 1)]),
        torch.cat([train.labels, drawings.labels.repeat(copies)]),
    )

"""Move the handwriting set between machines: a zip of two IDX files, MNIST's own format.

    data = export_zip(drawings)             # bytes of a .zip: images (N,28,28) and labels (N,)
    added, skipped = import_zip(folder, data)  # validated whole before anything is written

The zip holds `handwriting-images-idx3-ubyte` and `handwriting-labels-idx1-ubyte`, readable by
any MNIST loader. Only the 28x28 images travel, not the canvas pictures. A damaged or foreign
file is refused with a sentence and the set is left as it was; drawings already in the set
(same digit, same pixels) are not added twice.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

from core import zips
from core.data import idx
from core.data.handwriting import Drawing, HandwritingError, list_drawings, save

IMAGES, LABELS = "handwriting-images-idx3-ubyte", "handwriting-labels-idx1-ubyte"
MAX_BYTES = 100 * 2**20  # a member larger than this is not a handwriting set (nor a zip bomb we unpack)
NOTHING = " Nothing was imported."


def export_zip(drawings: list[Drawing]) -> bytes:
    """The readable drawings as a zip of two IDX files."""
    usable = [drawing for drawing in drawings if drawing.seen is not None]
    images = np.stack([drawing.seen for drawing in usable]) if usable else np.zeros((0, 28, 28), np.uint8)
    labels = np.array([drawing.label for drawing in usable], dtype=np.uint8)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(IMAGES, idx.encode(images))
        archive.writestr(LABELS, idx.encode(labels))
    return buffer.getvalue()


def _member(archive: zipfile.ZipFile, suffix: str) -> bytes:
    """The one member whose name ends with `suffix` (any folder inside the zip)."""
    found = [info for info in archive.infolist() if info.filename.endswith(suffix) and not info.is_dir()]
    if len(found) != 1:
        what = "no file" if not found else f"{len(found)} files"
        raise HandwritingError(f"The zip has {what} named …{suffix}; a handwriting set has exactly one. Nothing was imported.")
    zips.check_size(found[0], MAX_BYTES, HandwritingError, NOTHING)
    return zips.read_member(archive, found[0], HandwritingError, NOTHING)


def read_zip(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(N,28,28) uint8 images and (N,) labels from a zip; HandwritingError says what is wrong."""
    with zips.open_zip(data, HandwritingError, NOTHING) as archive:
        image_bytes, label_bytes = _member(archive, "images-idx3-ubyte"), _member(archive, "labels-idx1-ubyte")
    try:
        images = idx.decode(image_bytes, 3, "The images file")
        labels = idx.decode(label_bytes, 1, "The labels file")
    except idx.IdxError as error:
        raise HandwritingError(f"{error} Nothing was imported.") from error
    if images.shape[1:] != (28, 28):
        raise HandwritingError(f"The images are {images.shape[1]}x{images.shape[2]}, not 28x28. Nothing was imported.")
    if len(images) != len(labels):
        raise HandwritingError(f"The zip has {len(images)} images but {len(labels)} labels. Nothing was imported.")
    blank = np.flatnonzero(images.reshape(len(images), -1).max(1) == 0)
    if len(blank):
        raise HandwritingError(f"Image {int(blank[0]) + 1} of the zip is blank, which is not a digit. Nothing was imported.")
    if len(labels) and labels.max() > 9:
        raise HandwritingError(f"A label is {int(labels.max())}; labels must be digits 0-9. Nothing was imported.")
    return images, labels


def import_zip(folder: Path, data: bytes) -> tuple[int, int]:
    """Add a zip's drawings to the set; returns (added, already there). Validates all before writing any."""
    images, labels = read_zip(data)
    present = {(drawing.label, drawing.seen.tobytes()) for drawing in list_drawings(folder) if drawing.seen is not None}
    added = skipped = 0
    for image, label in zip(images, labels):
        if (int(label), image.tobytes()) in present:
            skipped += 1
            continue
        save(folder, int(label), image)
        present.add((int(label), image.tobytes()))
        added += 1
    return added, skipped

"""Find or download MNIST, check it, and load each split once as in-memory tensors.

The folder is `--data-dir`, else $MNIST_DATA_DIR, else `data/` in the project.
It may hold the four IDX files directly (`.gz` or extracted) or in torchvision's
`<dir>/MNIST/raw/` layout, and it may be read-only.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch

from core import data_cache

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
# md5 of the extracted real files (shared/datasets/mnist/README.md); they catch flipped bytes
REAL_MD5 = {
    "train_images": "6bbc9ace898e44ae57da46a324031adb",
    "train_labels": "a25bea736e30d166cdddb491f175f624",
    "test_images": "2646ac647ad5339dbf082846283269ea",
    "test_labels": "27ae3e4e09519cfbb04c329615203637",
}
REAL_COUNTS = {"train": 60_000, "test": 10_000}


class DatasetError(RuntimeError):
    """MNIST is missing or damaged; the message says what to do."""


@dataclass(frozen=True)
class Split:
    images: torch.Tensor  # (N,1,28,28) float32 in [0,1], exactly as transforms.ToTensor() scales
    labels: torch.Tensor  # (N,) int64

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Mnist:
    train: Split
    test: Split
    source: Path  # the folder the files came from


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: the argument, else $MNIST_DATA_DIR, else `data/` in the project."""
    chosen = explicit or os.environ.get("MNIST_DATA_DIR") or PROJECT_ROOT / "data"
    return Path(chosen).expanduser()


def scale(pixels: torch.Tensor) -> torch.Tensor:
    """uint8 pixels (..., 28, 28) -> float32 in [0, 1], the one scaling used everywhere."""
    return pixels.to(torch.float32).div(255)


def missing_help(folder: Path) -> str:
    names = ", ".join(f"{name}.gz" for name in FILES.values())
    return (
        f"MNIST was not found in {folder}. Put the four files ({names}) in that folder, "
        "or set MNIST_DATA_DIR (or --data-dir) to a folder that has them, "
        "or connect to the internet and let the app download them."
    )


def find_files(folder: Path) -> dict[str, Path] | None:
    """The four IDX files, extracted or `.gz`, directly in `folder` or in `folder/MNIST/raw`."""
    for base in (folder, folder / "MNIST" / "raw"):
        found = {}
        for key, name in FILES.items():
            for candidate in (base / name, base / f"{name}.gz"):
                if candidate.is_file():
                    found[key] = candidate
                    break
        if len(found) == len(FILES):
            return found
    return None


def download(folder: Path) -> dict[str, Path]:
    """Download MNIST with torchvision (it prints a progress bar) into `folder/MNIST/raw`."""
    from torchvision.datasets import MNIST

    try:
        MNIST(root=str(folder), train=True, download=True)
    except Exception as error:  # offline, read-only folder, a mirror down: all mean the same to a user
        raise DatasetError(f"{missing_help(folder)} (Download failed: {error})") from error
    found = find_files(folder)
    if found is None:
        raise DatasetError(missing_help(folder))
    return found


def locate(folder: Path, allow_download: bool = True) -> dict[str, Path]:
    found = find_files(folder)
    if found is not None:
        return found
    if not allow_download:
        raise DatasetError(missing_help(folder))
    return download(folder)


def load_mnist(explicit_dir: str | os.PathLike | None = None, allow_download: bool = True) -> Mnist:
    """Both splits, checked and scaled; cached per folder and file state, so loading twice is free."""
    folder = data_dir(explicit_dir)
    return _load_cached(file_stamp(locate(folder, allow_download)), folder)


def file_stamp(paths: dict[str, Path]) -> data_cache.Stamp:
    """What identifies the files' state: path, modification time and size of each."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths.values())


@functools.lru_cache(maxsize=2)
def _load_cached(stamp: tuple[tuple[str, int, int], ...], folder: Path) -> Mnist:
    paths = dict(zip(FILES, (Path(p) for p, _, _ in stamp)))
    raw = data_cache.read(stamp, set(FILES))
    if raw is None:
        raw = {key: _read_idx(key, path) for key, path in paths.items()}
        data_cache.write(stamp, raw)
    splits = {}
    for split in ("train", "test"):
        images, labels = raw[f"{split}_images"], raw[f"{split}_labels"]
        _check_split(split, images, labels, paths[f"{split}_images"].parent)
        splits[split] = Split(scale(images).unsqueeze(1), labels)
    return Mnist(train=splits["train"], test=splits["test"], source=paths["train_images"].parent)


def _read_idx(key: str, path: Path) -> torch.Tensor:
    """Read with torchvision's own reader; a `.gz` is extracted to a private temp file first."""
    # imported here: torchvision takes over a second to import, and a cached load never needs it
    from torchvision.datasets.mnist import read_image_file, read_label_file

    reader = read_image_file if key.endswith("images") else read_label_file
    try:
        if path.suffix != ".gz":
            content = path.read_bytes()
            tensor = reader(str(path))
        else:
            with gzip.open(path, "rb") as packed:
                content = packed.read()
            with tempfile.TemporaryDirectory(prefix="mnist-") as tmp:
                extracted = Path(tmp) / FILES[key]
                extracted.write_bytes(content)
                tensor = reader(str(extracted))
    except Exception as error:  # truncated, wrong magic, bad gzip: torchvision raises many kinds
        raise DatasetError(
            f"{path} is damaged ({type(error).__name__}: {error or 'bad IDX header'}). "
            "Replace it with a fresh copy of the MNIST file, or delete it to download again."
        ) from error
    expected = REAL_COUNTS["train" if key.startswith("train") else "test"]
    if len(tensor) == expected and hashlib.md5(content).hexdigest() != REAL_MD5[key]:
        raise DatasetError(
            f"{path} is corrupted (its checksum is not MNIST's). "
            "Replace it with a fresh copy, or delete it to download again."
        )
    return tensor


def _check_split(split: str, images: torch.Tensor, labels: torch.Tensor, folder: Path) -> None:
    problem = None
    if images.shape[1:] != (28, 28):
        problem = f"its images are {tuple(images.shape[1:])}, not 28x28"
    elif len(images) == 0 or len(images) != len(labels):
        problem = f"it has {len(images)} images but {len(labels)} labels"
    elif labels.min() < 0 or labels.max() > 9:
        problem = "its labels are not all digits 0-9"
    if problem:
        raise DatasetError(f"The {split} split in {folder} is damaged: {problem}. Replace the files.")


def load_dataset(
    name: str = "mnist", explicit_dir: str | os.PathLike | None = None, allow_download: bool = True
) -> Mnist:
    """Both splits of dataset `name` (a key of core.datasets.DATASETS), checked and scaled."""
    from core.datasets import get

    spec = get(name)
    if spec.name != "mnist":
        raise DatasetError(f"{spec.title} is not available yet.")
    return load_mnist(explicit_dir, allow_download)

"""Find or download a dataset (MNIST, Fashion-MNIST), check it, and load each split once as tensors.

The folder is `--data-dir`, else the dataset's environment variable ($MNIST_DATA_DIR,
$FASHION_MNIST_DATA_DIR), else a system package's folder when installed
(/usr/share/datasets/fashion-mnist), else `data/` in the project. It may hold the four
IDX files directly (`.gz` or extracted) or in torchvision's `<dir>/<Name>/raw/` layout,
and it may be read-only.
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

from core.data import data_cache
from core.data.datasets import MNIST, DatasetSpec, get

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
REAL_COUNTS = {"train": 60_000, "test": 10_000}


class DatasetError(RuntimeError):
    """A dataset is missing or damaged; the message says what to do."""


@dataclass(frozen=True)
class Split:
    images: torch.Tensor  # (N,1,28,28) float32 in [0,1], exactly as transforms.ToTensor() scales
    labels: torch.Tensor  # (N,) int64

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Dataset:
    train: Split
    test: Split
    source: Path  # the folder the files came from
    spec: DatasetSpec = MNIST  # its name, class names and sources


def data_dir(explicit: str | os.PathLike | None = None, dataset: str = "mnist") -> Path:
    """The data folder: the argument, else the dataset's variable, else its system folder, else `data/`."""
    spec = get(dataset)
    chosen = explicit or os.environ.get(spec.env_var)
    if not chosen:
        installed = [Path(folder) for folder in spec.system_dirs if Path(folder).is_dir()]
        chosen = installed[0] if installed else PROJECT_ROOT / "data" / spec.default_subdir
    return Path(chosen).expanduser()


def scale(pixels: torch.Tensor) -> torch.Tensor:
    """uint8 pixels (..., 28, 28) -> float32 in [0, 1], the one scaling used everywhere."""
    return pixels.to(torch.float32).div(255)


def missing_help(folder: Path, dataset: str = "mnist") -> str:
    spec = get(dataset)
    names = ", ".join(f"{name}.gz" for name in FILES.values())
    return (
        f"{spec.title} was not found in {folder}. Put the four files ({names}) in that folder, "
        f"or set {spec.env_var} (or --data-dir) to a folder that has them, or {spec.install_hint}."
    )


def find_files(folder: Path, dataset: str = "mnist") -> dict[str, Path] | None:
    """The four IDX files, extracted or `.gz`, directly in `folder` or in torchvision's `folder/<Name>/raw`."""
    for base in (folder, folder / get(dataset).torchvision_class / "raw"):
        found = {}
        for key, name in FILES.items():
            for candidate in (base / name, base / f"{name}.gz"):
                if candidate.is_file():
                    found[key] = candidate
                    break
        if len(found) == len(FILES):
            return found
    return None


def download(folder: Path, dataset: str = "mnist") -> dict[str, Path]:
    """Download with torchvision (it prints a progress bar) into `folder/<Name>/raw`."""
    import torchvision.datasets

    downloader = getattr(torchvision.datasets, get(dataset).torchvision_class)
    try:
        downloader(root=str(folder), train=True, download=True)
    except Exception as error:  # offline, read-only folder, a mirror down: all mean the same to a user
        raise DatasetError(f"{missing_help(folder, dataset)} (Download failed: {error})") from error
    found = find_files(folder, dataset)
    if found is None:
        raise DatasetError(missing_help(folder, dataset))
    return found


def locate(folder: Path, allow_download: bool = True, dataset: str = "mnist") -> dict[str, Path]:
    found = find_files(folder, dataset)
    if found is not None:
        return found
    if not allow_download:
        raise DatasetError(missing_help(folder, dataset))
    return download(folder, dataset)


def load_dataset(
    name: str = "mnist", explicit_dir: str | os.PathLike | None = None, allow_download: bool = True
) -> Dataset:
    """Both splits of dataset `name`, checked and scaled; cached per folder and file state."""
    folder = data_dir(explicit_dir, name)
    return _load_cached(file_stamp(locate(folder, allow_download, name)), name)


def load_mnist(explicit_dir: str | os.PathLike | None = None, allow_download: bool = True) -> Dataset:
    """MNIST's two splits (load_dataset for "mnist")."""
    return load_dataset("mnist", explicit_dir, allow_download)


def file_stamp(paths: dict[str, Path]) -> data_cache.Stamp:
    """What identifies the files' state: path, modification time and size of each."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths.values())


@functools.lru_cache(maxsize=4)
def _load_cached(stamp: tuple[tuple[str, int, int], ...], name: str) -> Dataset:
    spec = get(name)
    paths = dict(zip(FILES, (Path(p) for p, _, _ in stamp)))
    raw = data_cache.read(stamp, set(FILES))
    if raw is None:
        raw = {key: _read_idx(key, path, spec) for key, path in paths.items()}
        data_cache.write(stamp, raw)
    splits = {}
    for split in ("train", "test"):
        images, labels = raw[f"{split}_images"], raw[f"{split}_labels"]
        _check_split(split, images, labels, paths[f"{split}_images"].parent, spec)
        splits[split] = Split(scale(images).unsqueeze(1), labels)
    return Dataset(train=splits["train"], test=splits["test"], source=paths["train_images"].parent, spec=spec)


def _read_idx(key: str, path: Path, spec: DatasetSpec) -> torch.Tensor:
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
            f"Replace it with a fresh copy of the {spec.title} file, or delete it to download again.{spec.repair_hint}"
        ) from error
    expected = REAL_COUNTS["train" if key.startswith("train") else "test"]
    if len(tensor) == expected and hashlib.md5(content).hexdigest() != spec.md5[key]:
        raise DatasetError(
            f"{path} is corrupted (its checksum is not {spec.title}'s). "
            f"Replace it with a fresh copy, or delete it to download again.{spec.repair_hint}"
        )
    return tensor


def _check_split(split: str, images: torch.Tensor, labels: torch.Tensor, folder: Path, spec: DatasetSpec) -> None:
    problem = None
    if images.shape[1:] != (28, 28):
        problem = f"its images are {tuple(images.shape[1:])}, not 28x28"
    elif len(images) == 0 or len(images) != len(labels):
        problem = f"it has {len(images)} images but {len(labels)} labels"
    elif labels.min() < 0 or labels.max() >= len(spec.classes):
        kind = "digits" if spec.digits else "classes"
        problem = f"its labels are not all {kind} 0-{len(spec.classes) - 1}"
    if problem:
        raise DatasetError(f"The {split} split in {folder} is damaged: {problem}. Replace the files.{spec.repair_hint}")


"""Shared fixtures: tiny synthetic MNIST written as real IDX files, temp run folders."""
from __future__ import annotations

import gzip
import os
import struct
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch

# decoded MNIST is cached per test session, never in the user's cache folder (core/data/data_cache.py)
os.environ["MNIST_CACHE_DIR"] = tempfile.mkdtemp(prefix="mnist-cache-")

from core.data.loading import FILES

REAL_MNIST = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets" / "mnist"

torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))


def write_idx(path: Path, array: np.ndarray, compress: bool = False) -> None:
    """Write a uint8 array in the IDX format MNIST uses (magic 0x08, big-endian sizes)."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    if compress:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(payload))
    else:
        path.write_bytes(payload)


def synthetic_digits(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Images whose class is a bright 6x6 square at one of ten spots, plus noise: easy to learn."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=count)
    images = rng.integers(0, 40, size=(count, 28, 28))
    for image, label in zip(images, labels):
        row, col = 3 + (label // 5) * 12, 1 + (label % 5) * 5
        image[row : row + 6, col : col + 6] = 255
    return images.astype(np.uint8), labels.astype(np.uint8)


def agrees_with_torchvision(loaded, oracle_class, folder: Path) -> None:
    """Check a dataset we loaded against torchvision's own reader of it (oracle_class: torchvision.datasets.MNIST
    or FashionMNIST), on extracted copies of its files, at the first, a middle and the last image of each split."""
    from torchvision import transforms

    raw = folder / oracle_class.__name__ / "raw"
    raw.mkdir(parents=True)
    for name in FILES.values():
        with gzip.open(loaded.source / f"{name}.gz") as packed:
            (raw / name).write_bytes(packed.read())
    for train, split in ((True, loaded.train), (False, loaded.test)):
        oracle = oracle_class(str(folder), train=train, transform=transforms.ToTensor())
        for index in (0, 1234, len(oracle) - 1):
            image, label = oracle[index]
            assert torch.equal(split.images[index], image) and split.labels[index] == label


def make_mnist_dir(folder: Path, train: int = 512, test: int = 256, compress: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    train_x, train_y = synthetic_digits(train, seed=1)
    test_x, test_y = synthetic_digits(test, seed=2)
    for key, array in zip(FILES, (train_x, train_y, test_x, test_y)):
        write_idx(folder / FILES[key], array, compress)
    return folder


@pytest.fixture(scope="session")
def tiny_mnist_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding four tiny gzipped IDX files: 512 training and 256 test images."""
    return make_mnist_dir(tmp_path_factory.mktemp("mnist"))


@pytest.fixture(scope="session")
def tiny_mnist(tiny_mnist_dir: Path):
    from core.data.loading import load_mnist

    return load_mnist(tiny_mnist_dir, allow_download=False)


@pytest.fixture(scope="session")
def tiny_fashion_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four tiny IDX files standing in for Fashion-MNIST (the loader checks shapes and labels, not content)."""
    return make_mnist_dir(tmp_path_factory.mktemp("fashion-mnist"), train=256, test=128)


@pytest.fixture(scope="session")
def tiny_fashion(tiny_fashion_dir: Path):
    from core.data.loading import load_dataset

    return load_dataset("fashion-mnist", tiny_fashion_dir, allow_download=False)


@pytest.fixture
def runs_dir(tmp_path: Path) -> Path:
    return tmp_path / "checkpoints"


def real_dataset(name: str, variable: str, default: Path):
    """The real data set `name`: from `variable` when it is set, and then it must be right, or the tests
    that need it fail; else from `default`, those tests being skipped where that folder is absent."""
    from core.data.loading import DatasetError, load_dataset

    chosen = os.environ.get(variable)
    if not chosen:
        if not default.is_dir():
            pytest.skip(f"real {name} not available (set {variable}, or put it in {default})")
        return load_dataset(name, default, allow_download=False)
    # a variable that is set says the data is meant to be there: a typo must not turn the tests into skips
    if not Path(chosen).is_dir():
        pytest.fail(f"{variable}={chosen} is not a folder", pytrace=False)
    try:
        loaded = load_dataset(name, Path(chosen), allow_download=False)
    except DatasetError as error:
        pytest.fail(f"{variable}={chosen}: {error}", pytrace=False)
    if (len(loaded.train), len(loaded.test)) != (60_000, 10_000):
        pytest.fail(f"{variable}={chosen} holds {len(loaded.train)} + {len(loaded.test)} images, not the real {name}'s "
                    "60,000 + 10,000", pytrace=False)
    return loaded


@pytest.fixture(scope="session")
def real_mnist():
    """The real MNIST: $MNIST_DATA_DIR (which must then hold it), else the offline copy beside the project (as in CI)."""
    return real_dataset("mnist", "MNIST_DATA_DIR", REAL_MNIST)

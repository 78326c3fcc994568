"""The MNIST loader, checked against torchvision's reader and the dataset's published facts."""
from pathlib import Path

import numpy as np
import pytest
import torch
from torchvision import transforms

from core.data.loading import FILES, DatasetError, data_dir, load_mnist
from tests.conftest import agrees_with_torchvision, make_mnist_dir, synthetic_digits, write_idx


def test_reads_gz_files_in_a_read_only_folder(tmp_path):
    folder = make_mnist_dir(tmp_path / "ro", train=64, test=32)
    folder.chmod(0o555)
    try:
        data = load_mnist(folder, allow_download=False)
    finally:
        folder.chmod(0o755)
    assert data.train.images.shape == (64, 1, 28, 28) and data.test.images.shape == (32, 1, 28, 28)
    assert data.train.labels.dtype == torch.int64


def test_reads_extracted_files_in_torchvisions_layout(tmp_path):
    raw = make_mnist_dir(tmp_path / "MNIST" / "raw", train=64, test=32, compress=False)
    data = load_mnist(tmp_path, allow_download=False)
    expected, labels = synthetic_digits(64, seed=1)
    assert torch.equal(data.train.labels, torch.from_numpy(labels).long())
    assert raw.is_dir()


def test_scaling_is_exactly_totensors(tmp_path):
    images, _ = synthetic_digits(16, seed=1)
    data = load_mnist(make_mnist_dir(tmp_path, train=16, test=16), allow_download=False)
    oracle = torch.stack([transforms.ToTensor()(image) for image in images])  # HxW uint8 -> (1,H,W) float
    assert torch.equal(data.train.images, oracle)


def test_missing_files_name_all_four_and_where_to_put_them(tmp_path):
    with pytest.raises(DatasetError) as error:
        load_mnist(tmp_path / "empty", allow_download=False)
    for name in FILES.values():
        assert name in str(error.value)
    assert str(tmp_path / "empty") in str(error.value)


def test_offline_download_failure_is_a_clear_error(tmp_path, monkeypatch):
    import torchvision.datasets.mnist as tv_mnist

    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz: network unreachable")

    monkeypatch.setattr(tv_mnist, "download_and_extract_archive", offline)
    with pytest.raises(DatasetError, match="Download failed"):
        load_mnist(tmp_path / "fresh", allow_download=True)


def test_truncated_file_is_reported_with_a_fix(tmp_path):
    folder = make_mnist_dir(tmp_path, train=64, test=32, compress=False)
    path = folder / FILES["train_images"]
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(DatasetError, match="damaged"):
        load_mnist(folder, allow_download=False)


def test_label_count_mismatch_is_reported(tmp_path):
    folder = make_mnist_dir(tmp_path, train=64, test=32, compress=False)
    write_idx(folder / FILES["test_labels"], np.zeros(10, dtype=np.uint8))
    with pytest.raises(DatasetError, match="test split"):
        load_mnist(folder, allow_download=False)


def test_folder_comes_from_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_DATA_DIR", str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    assert data_dir(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("MNIST_DATA_DIR")
    assert data_dir().name == "data"


@pytest.mark.real_data
def test_real_mnist_matches_the_published_facts(real_mnist):
    train, test = real_mnist.train, real_mnist.test
    assert len(train) == 60_000 and len(test) == 10_000
    assert torch.bincount(train.labels).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert torch.bincount(test.labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert train.labels[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert test.labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert train.images.mean().item() == pytest.approx(0.1307, abs=1e-4)
    assert train.images.std().item() == pytest.approx(0.3081, abs=1e-4)


@pytest.mark.real_data
def test_real_mnist_agrees_with_torchvisions_dataset(real_mnist, tmp_path):
    """torchvision's own MNIST class (on extracted copies) is the oracle for pixels and labels."""
    from torchvision.datasets import MNIST

    agrees_with_torchvision(real_mnist, MNIST, tmp_path)

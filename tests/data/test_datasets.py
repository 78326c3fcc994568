"""The dataset registry and Fashion-MNIST: Debian's files read with torchvision's FashionMNIST as the oracle."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch

from core.data import loading as data
from core.training.config import ConfigError, TrainConfig
from core.data.loading import FILES, DatasetError, data_dir, load_dataset
from core.data.datasets import DATASETS, UnknownDataset, class_names, get
from tests.conftest import REAL_MNIST, agrees_with_torchvision, make_mnist_dir, real_dataset

DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(scope="module")
def real_fashion():
    """$FASHION_MNIST_DATA_DIR (which must then hold it), else Debian's (apt-get install dataset-fashion-mnist)."""
    return real_dataset("fashion-mnist", "FASHION_MNIST_DATA_DIR", DEBIAN_FASHION)


@pytest.mark.parametrize("name, variable, default", [
    ("mnist", "MNIST_DATA_DIR", REAL_MNIST), ("fashion-mnist", "FASHION_MNIST_DATA_DIR", DEBIAN_FASHION),
])
def test_a_data_variable_set_to_a_missing_or_wrong_folder_fails_the_real_data_tests(
    name, variable, default, monkeypatch, tmp_path, tiny_mnist_dir
):
    for wrong in (tmp_path / "no-such-folder", tmp_path, tiny_mnist_dir):  # missing, empty, tiny (not the real one)
        monkeypatch.setenv(variable, str(wrong))
        with pytest.raises(BaseException) as outcome:  # BaseException: a skip must be caught too, to be told apart
            real_dataset(name, variable, default)
        assert outcome.type is pytest.fail.Exception and str(wrong) in str(outcome.value), (wrong, outcome)
    monkeypatch.delenv(variable)
    with pytest.raises(BaseException) as outcome:
        real_dataset(name, variable, tmp_path / "not-here")
    assert outcome.type is pytest.skip.Exception  # unset, and not at the default place: skipped, as before


def test_every_dataset_names_ten_classes_and_its_checksums():
    for spec in DATASETS.values():
        assert len(spec.classes) == len(set(spec.classes)) == 10
        assert set(spec.md5) == set(FILES) and all(len(digest) == 32 for digest in spec.md5.values())
    assert class_names("mnist") == tuple("0123456789")
    assert class_names("fashion-mnist")[0] == "T-shirt/top" and get("fashion-mnist").class_name(9) == "Ankle boot"
    with pytest.raises(UnknownDataset, match="mnist, fashion-mnist"):
        get("cifar10")


def test_the_config_records_the_dataset_and_refuses_an_unknown_one():
    config = TrainConfig(dataset="fashion-mnist")
    assert TrainConfig.from_dict(config.to_dict()).dataset == "fashion-mnist"
    assert TrainConfig.from_dict({"model": "cnn"}).dataset == "mnist"  # runs saved before the field
    with pytest.raises(ConfigError, match="^dataset must be one of"):
        TrainConfig(dataset="cifar10")


def test_fashion_folder_comes_from_argument_then_its_variable_then_debians_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("FASHION_MNIST_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("MNIST_DATA_DIR", str(tmp_path / "mnist"))
    assert data_dir(tmp_path / "arg", "fashion-mnist") == tmp_path / "arg"
    assert data_dir(dataset="fashion-mnist") == tmp_path / "env"
    monkeypatch.delenv("FASHION_MNIST_DATA_DIR")
    expected = DEBIAN_FASHION if DEBIAN_FASHION.is_dir() else data.PROJECT_ROOT / "data" / "fashion-mnist"
    assert data_dir(dataset="fashion-mnist") == expected


def test_missing_fashion_names_the_debian_package_and_the_variable(tmp_path):
    with pytest.raises(DatasetError) as error:
        load_dataset("fashion-mnist", tmp_path, allow_download=False)
    message = str(error.value)
    assert "Fashion-MNIST was not found" in message and "FASHION_MNIST_DATA_DIR" in message
    assert "apt-get install dataset-fashion-mnist" in message and "\n" not in message


def test_torchvisions_layout_uses_the_datasets_own_folder(tmp_path):
    make_mnist_dir(tmp_path / "FashionMNIST" / "raw")
    loaded = load_dataset("fashion-mnist", tmp_path, allow_download=False)
    assert loaded.spec.name == "fashion-mnist" and loaded.source == tmp_path / "FashionMNIST" / "raw"
    with pytest.raises(DatasetError):  # MNIST's layout is MNIST/raw, not FashionMNIST/raw
        load_dataset("mnist", tmp_path, allow_download=False)


def test_a_full_size_file_with_the_wrong_checksum_gives_the_reinstall_fix(tmp_path):
    folder = make_mnist_dir(tmp_path / "fake", train=60_000, test=16)
    with pytest.raises(DatasetError) as error:
        load_dataset("fashion-mnist", folder, allow_download=False)
    assert "checksum is not Fashion-MNIST's" in str(error.value)
    assert "apt-get install --reinstall dataset-fashion-mnist" in str(error.value)


def test_a_trainer_refuses_data_of_another_dataset(tiny_mnist):
    from core.training.trainer import Trainer

    with pytest.raises(ValueError, match="fashion-mnist"):
        Trainer(TrainConfig(dataset="fashion-mnist", max_batches=1), tiny_mnist, "cpu")


@pytest.mark.real_data
def test_debians_fashion_mnist_matches_the_published_facts(real_fashion):
    assert real_fashion.spec.title == "Fashion-MNIST"
    assert len(real_fashion.train) == 60_000 and len(real_fashion.test) == 10_000
    assert torch.bincount(real_fashion.train.labels).tolist() == [6000] * 10
    assert torch.bincount(real_fashion.test.labels).tolist() == [1000] * 10


@pytest.mark.real_data
def test_debians_fashion_mnist_agrees_with_torchvisions_fashionmnist(real_fashion, tmp_path):
    """torchvision's own FashionMNIST class (on extracted copies) is the oracle for pixels and labels."""
    from torchvision.datasets import FashionMNIST

    agrees_with_torchvision(real_fashion, FashionMNIST, tmp_path)

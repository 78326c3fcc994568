"""The decoded-MNIST cache: used when the files are unchanged, never trusted otherwise."""
import os

import pytest
import torch

from core.data import loading as data, data_cache


def fresh_load(folder):
    data._load_cached.cache_clear()  # as a new process would start
    return data.load_mnist(folder, allow_download=False)


def no_decoding(key, path):
    raise AssertionError(f"{path} was decoded again")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_second_load_comes_from_the_cache_and_equals_the_first(tiny_mnist_dir, cache, monkeypatch):
    first = fresh_load(tiny_mnist_dir)
    assert len(list(cache.glob("mnist-*.pt"))) == 1
    monkeypatch.setattr(data, "_read_idx", no_decoding)
    second = fresh_load(tiny_mnist_dir)
    assert torch.equal(first.train.images, second.train.images) and torch.equal(first.test.labels, second.test.labels)


def test_a_changed_file_is_decoded_again(tiny_mnist_dir, cache, monkeypatch, tmp_path):
    fresh_load(tiny_mnist_dir)
    labels = next(tiny_mnist_dir.glob("t10k-labels*"))
    stat = labels.stat()
    os.utime(labels, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    decoded = []
    real = data._read_idx
    monkeypatch.setattr(data, "_read_idx", lambda key, path, spec: decoded.append(key) or real(key, path, spec))
    try:
        fresh_load(tiny_mnist_dir)
    finally:
        os.utime(labels, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert sorted(decoded) == sorted(data.FILES)


@pytest.mark.parametrize("damage", [b"", b"not a torch file", None])
def test_a_damaged_cache_is_ignored_and_rewritten(tiny_mnist_dir, cache, damage):
    expected = fresh_load(tiny_mnist_dir)
    (cached,) = cache.glob("mnist-*.pt")
    if damage is None:
        torch.save({"train_images": torch.zeros(3)}, cached)  # a dict, but not the four tensors
    else:
        cached.write_bytes(damage)
    assert torch.equal(fresh_load(tiny_mnist_dir).train.images, expected.train.images)
    assert set(data_cache.read(data.file_stamp(data.locate(tiny_mnist_dir, allow_download=False)), set(data.FILES))) == set(data.FILES)


def test_an_unwritable_cache_folder_only_costs_decoding(tiny_mnist_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MNIST_CACHE_DIR", str(blocker / "cache"))
    assert len(fresh_load(tiny_mnist_dir).train) > 0


"""core.data.handwriting and core.data.handwriting_zip: save, list, delete, score, fine-tune, export and import, and every fault.

torchvision's own MNIST reader is the oracle for the exported IDX files.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import stat
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

from core.data import handwriting, idx
from core.training.config import TrainConfig
from core.data.handwriting import HandwritingError
from core.data.handwriting_zip import IMAGES, LABELS, export_zip, import_zip
from core.training.trainer import Trainer


def digit(seed: int) -> np.ndarray:
    """A (28,28) uint8 image with some ink, different for each seed."""
    image = np.zeros((28, 28), np.uint8)
    rng = np.random.default_rng(seed)
    image[4:24, 10:18] = rng.integers(1, 256, size=(20, 8))
    return image


def names(folder: Path) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_a_saved_drawing_comes_back_exactly_with_its_canvas_picture(tmp_path):
    folder = tmp_path / "set"
    seen = torch.from_numpy(digit(1)).float().div(255)[None, None]  # (1,1,28,28), as the Draw page has it
    saved = handwriting.save(folder, 7, seen, canvas_png=handwriting.png_bytes(np.zeros((280, 280, 4), np.uint8)))
    [back] = handwriting.list_drawings(folder)
    assert back.name == saved.name and back.label == 7 and back.problem is None
    assert np.array_equal(back.seen, digit(1))
    assert back.canvas_path is not None and back.canvas_path.read_bytes().startswith(b"\x89PNG")
    assert names(folder) == [saved.name]  # no temp files left behind
    split = handwriting.as_split([back])
    assert split.images.shape == (1, 1, 28, 28) and split.labels.tolist() == [7]
    assert torch.equal(split.images, seen)


@pytest.mark.parametrize("label, seen, words", [
    (None, digit(1), "Choose which digit"),
    (3, None, "canvas is empty"),
    (3, np.zeros((28, 28), np.uint8), "canvas is empty"),
    (10, digit(1), "0-9"),
    (True, digit(1), "0-9"),
])
def test_no_label_an_empty_canvas_or_a_bad_label_is_refused_and_nothing_written(tmp_path, label, seen, words):
    with pytest.raises(HandwritingError, match=words):
        handwriting.save(tmp_path / "set", label, seen)
    assert names(tmp_path / "set") == []


def unwritable_folders(tmp_path: Path) -> list[Path]:
    folders = [Path("/sys/my-handwriting")]  # the kernel refuses new folders there, even to root
    if os.geteuid() != 0:  # root writes into a chmod 555 folder regardless
        folder = tmp_path / "read-only"
        handwriting.save(folder, 1, digit(1))
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        folders.append(folder)
    return folders


def test_a_read_only_set_folder_gets_a_clear_message_and_keeps_what_it_has(tmp_path):
    for folder in unwritable_folders(tmp_path):
        before = handwriting.list_drawings(folder)
        with pytest.raises(HandwritingError, match="read-only") as caught:
            handwriting.save(folder, 2, digit(2))
        assert handwriting.ENV_VAR in str(caught.value) and "Nothing was saved" in str(caught.value)
        assert handwriting.list_drawings(folder) == before
        if folder.is_relative_to(tmp_path):
            folder.chmod(stat.S_IRWXU)


def save_many(folder: str, label: int, count: int, start: threading.Barrier | None = None) -> None:
    if start is not None:
        start.wait()
    for index in range(count):
        handwriting.save(Path(folder), label, digit(100 * label + index))


def test_two_tabs_saving_at_once_both_keep_every_drawing(tmp_path):
    folder = tmp_path / "set"
    # two processes, as two server workers would be, and two threads, as two tabs of one server are
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=save_many, args=(str(folder), label, 25)) for label in (1, 2)]
    for process in processes:
        process.start()
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=save_many, args=(str(folder), label, 25, barrier)) for label in (3, 4)]
    for thread in threads:
        thread.start()
    for worker in [*processes, *threads]:
        worker.join(timeout=60)
    assert [process.exitcode for process in processes] == [0, 0]
    drawings = handwriting.list_drawings(folder)
    assert len(drawings) == 100 and all(drawing.problem is None for drawing in drawings)
    assert sorted(drawing.label for drawing in drawings) == [1] * 25 + [2] * 25 + [3] * 25 + [4] * 25
    assert not any(name.startswith(".") for name in names(folder))


def test_delete_removes_one_drawing_and_refuses_names_that_are_not_drawings(tmp_path):
    folder = tmp_path / "set"
    first, second = (handwriting.save(folder, label, digit(label)) for label in (1, 2))
    handwriting.delete(folder, first.name)
    assert [drawing.name for drawing in handwriting.list_drawings(folder)] == [second.name]
    for bad in (first.name, "../set", "notes.txt"):
        with pytest.raises(HandwritingError, match="no drawing named"):
            handwriting.delete(folder, bad)
    assert len(handwriting.list_drawings(folder)) == 1


def test_a_damaged_drawing_is_reported_and_left_out_and_strays_are_ignored(tmp_path):
    folder = tmp_path / "set"
    good, bad = (handwriting.save(folder, label, digit(label)) for label in (1, 2))
    (bad.path / handwriting.SEEN).write_bytes(b"not a png")
    (folder / ".3-20260101T000000000000-deadbeef.tmp").mkdir()  # a crash's leftover staging folder
    (folder / "README.txt").write_text("mine")
    drawings = handwriting.list_drawings(folder)
    assert [drawing.name for drawing in drawings] == [good.name, bad.name]
    assert drawings[1].seen is None and "cannot be read" in drawings[1].problem
    assert handwriting.as_split(drawings).labels.tolist() == [1]


def test_export_is_real_idx_that_torchvision_reads_and_import_round_trips_without_duplicates(tmp_path):
    from torchvision.datasets.mnist import read_image_file, read_label_file

    source = tmp_path / "mine"
    for label in (3, 1, 4, 1, 5):
        handwriting.save(source, label, digit(10 * label + len(names(source))))
    drawings = handwriting.list_drawings(source)
    data = export_zip(drawings)
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(io.BytesIO(data)).extractall(unpacked)
    images, labels = read_image_file(str(unpacked / IMAGES)), read_label_file(str(unpacked / LABELS))
    assert labels.tolist() == [3, 1, 4, 1, 5]
    assert np.array_equal(images.numpy(), np.stack([drawing.seen for drawing in drawings]))

    target = tmp_path / "other"
    handwriting.save(target, 9, digit(99))
    assert import_zip(target, data) == (5, 0)
    assert import_zip(target, data) == (0, 5)  # a second import adds nothing twice
    imported = handwriting.list_drawings(target)
    assert sorted(drawing.label for drawing in imported) == [1, 1, 3, 4, 5, 9]


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


GOOD_IMAGES = idx.encode(np.stack([digit(1), digit(2)]))
GOOD_LABELS = idx.encode(np.array([1, 2], np.uint8))


@pytest.mark.parametrize("data, words", [
    (b"PK\x03\x04 this is not a zip", "not a readable zip"),
    (b"\x89PNG\r\n\x1a\n a picture, not a set", "not a readable zip"),
    (zip_of({"notes.txt": b"hello"}), "no file named"),
    (zip_of({IMAGES: GOOD_IMAGES}), "no file named …labels"),
    (zip_of({IMAGES: b"\x00\x00\x0d\x03" + GOOD_IMAGES[4:], LABELS: GOOD_LABELS}), "not an unsigned-byte IDX"),
    (zip_of({IMAGES: GOOD_IMAGES[:-5], LABELS: GOOD_LABELS}), "header"),
    (zip_of({IMAGES: GOOD_IMAGES[:10], LABELS: GOOD_LABELS}), "ends inside its header"),
    (zip_of({IMAGES: GOOD_IMAGES, LABELS: idx.encode(np.array([1], np.uint8))}), "2 images but 1 labels"),
    (zip_of({IMAGES: GOOD_IMAGES, LABELS: idx.encode(np.array([1, 12], np.uint8))}), "digits 0-9"),
    (zip_of({IMAGES: idx.encode(np.ones((2, 20, 20), np.uint8)), LABELS: GOOD_LABELS}), "not 28x28"),
    (zip_of({IMAGES: idx.encode(np.stack([digit(1), np.zeros((28, 28), np.uint8)])), LABELS: GOOD_LABELS}), "blank"),
    (zip_of({IMAGES: GOOD_LABELS, LABELS: GOOD_LABELS}), "1 dimensions; expected 3"),
])
def test_a_damaged_or_foreign_import_is_refused_and_the_set_kept(tmp_path, data, words):
    folder = tmp_path / "set"
    handwriting.save(folder, 7, digit(7))
    before = names(folder)
    with pytest.raises(HandwritingError, match=words) as caught:
        import_zip(folder, data)
    assert "Nothing was imported" in str(caught.value)
    assert names(folder) == before


def test_fine_tuning_adds_the_set_repeated_to_the_training_images(tmp_path, tiny_mnist, monkeypatch):
    folder = tmp_path / "set"
    monkeypatch.setenv(handwriting.ENV_VAR, str(folder))
    config = TrainConfig(epochs=1, batch_size=32, handwriting=True)
    with pytest.raises(ValueError, match="handwriting set is empty"):
        Trainer(config, tiny_mnist, device="cpu")
    for label in (2, 5):
        handwriting.save(folder, label, digit(label))
    trainer = Trainer(config, tiny_mnist, device="cpu")
    plain = Trainer(config.with_changes(handwriting=False), tiny_mnist, device="cpu")
    extra = len(trainer.train_labels) - len(plain.train_labels)
    copies = max(1, round(handwriting.SHARE * len(tiny_mnist.train) / 2))
    assert extra == 2 * copies
    assert trainer.train_labels[-extra:].tolist() == [2, 5] * copies
    assert torch.equal(trainer.train_images[-1, 0], torch.from_numpy(digit(5)).float().div(255))
    assert trainer.batches == len(trainer.train_labels) // 32

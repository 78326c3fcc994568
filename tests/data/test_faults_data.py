"""Missing, truncated and corrupted MNIST files: one line with the fix, and no training on partial data."""
import gzip
from pathlib import Path

import numpy as np
import pytest

from core.data import loading as data
from core.data.loading import FILES, DatasetError, load_mnist
from tests.conftest import make_mnist_dir, synthetic_digits, write_idx

IMAGES, LABELS = FILES["train_images"], FILES["train_labels"]


def cut(path: Path, keep: float = 0.5) -> None:
    content = path.read_bytes()
    path.write_bytes(content[: int(len(content) * keep)])


def flip_magic(path: Path) -> None:
    content = bytearray(gzip.decompress(path.read_bytes()))
    content[2] ^= 0xFF  # the IDX type byte: 0x08 (unsigned byte) becomes nonsense
    path.write_bytes(gzip.compress(bytes(content)))


def full_size_test_images(folder: Path) -> None:
    """10,000 test images, the real count, that are not the real ones: only the checksum can tell."""
    images, labels = synthetic_digits(10_000, seed=3)
    write_idx(folder / FILES["test_images"], images, compress=True)
    write_idx(folder / FILES["test_labels"], labels, compress=True)


def label_out_of_range(folder: Path) -> None:
    _, labels = synthetic_digits(512, seed=1)
    labels[7] = 200
    write_idx(folder / LABELS, labels, compress=True)


# case -> (how to spoil a good folder of .gz files, words the message must hold)
FAULTS = {
    "a file missing": (lambda f: (f / f"{IMAGES}.gz").unlink(), [IMAGES, "Put the four files", "MNIST_DATA_DIR"]),
    "all files missing": (lambda f: [p.unlink() for p in f.iterdir()], [IMAGES, "Put the four files"]),
    "empty file": (lambda f: (f / f"{IMAGES}.gz").write_bytes(b""), [IMAGES, "damaged", "Replace it"]),
    "truncated gzip": (lambda f: cut(f / f"{IMAGES}.gz"), [IMAGES, "damaged", "Replace it"]),
    "truncated IDX": (lambda f: (f / f"{IMAGES}.gz").write_bytes(gzip.compress(gzip.decompress(
        (f / f"{IMAGES}.gz").read_bytes())[:5000])), [IMAGES, "damaged", "Replace it"]),
    "not gzip": (lambda f: (f / f"{IMAGES}.gz").write_bytes(b"<html>404</html>"), [IMAGES, "damaged", "Replace it"]),
    "wrong IDX header": (lambda f: flip_magic(f / f"{IMAGES}.gz"), [IMAGES, "damaged", "Replace it"]),
    "checksum differs": (full_size_test_images, [FILES["test_images"], "corrupted", "checksum", "Replace it"]),
    "labels not digits": (label_out_of_range, ["train split", "labels are not all digits", "Replace the files"]),
    "counts differ": (lambda f: write_idx(f / LABELS, np.zeros(100, np.uint8), compress=True),
                      ["train split", "512 images but 100 labels", "Replace the files"]),
}


def faulty_mnist(tmp_path: Path, case: str) -> Path:
    folder = make_mnist_dir(tmp_path / "mnist")
    FAULTS[case][0](folder)
    return folder


def offline(folder: Path, dataset: str = "mnist") -> dict:
    raise DatasetError(data.missing_help(folder, dataset) + " (Download failed: offline in this test)")


@pytest.mark.parametrize("case", list(FAULTS))
def test_the_loader_names_the_file_and_the_fix(case, tmp_path):
    with pytest.raises(DatasetError) as error:
        load_mnist(faulty_mnist(tmp_path, case), allow_download=False)
    sentence = str(error.value)
    assert "\n" not in sentence and all(word in sentence for word in FAULTS[case][1])


@pytest.mark.parametrize("case", list(FAULTS))
def test_the_cli_prints_one_line_and_trains_nothing(case, tmp_path, monkeypatch, capsys):
    from core.train import main

    monkeypatch.setattr(data, "download", offline)
    runs = tmp_path / "runs"
    with pytest.raises(SystemExit) as exit_info:
        main(["--epochs", "1", "--data-dir", str(faulty_mnist(tmp_path, case)), "--checkpoint-dir", str(runs)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 1 and captured.out == ""  # not even "Training ... on cpu"
    [line] = captured.err.strip().splitlines()
    assert line.startswith("error: ") and all(word in line for word in FAULTS[case][1])
    assert not runs.exists()


@pytest.mark.parametrize("case", ["truncated gzip", "checksum differs"])
def test_evaluate_says_the_same(case, tmp_path, tiny_mnist, capsys):
    from core.evaluate import main
    from tests.app.conftest import make_run

    make_run(tmp_path / "runs", tiny_mnist, "good-run")
    with pytest.raises(SystemExit) as exit_info:
        main(["good-run", "--checkpoint-dir", str(tmp_path / "runs"), "--data-dir", str(faulty_mnist(tmp_path, case))])
    [line] = capsys.readouterr().err.strip().splitlines()
    assert exit_info.value.code == 1 and all(word in line for word in FAULTS[case][1])


@pytest.mark.parametrize("case", ["a file missing", "truncated gzip", "labels not digits"])
def test_the_dashboards_job_fails_with_the_sentence_and_saves_nothing(case, tmp_path):
    from core.training.config import TrainConfig
    from core.training.jobs import JobRegistry
    from tests.training.test_jobs import ended, wait_for

    registry, runs = JobRegistry(), tmp_path / "runs"
    registry.start(TrainConfig(epochs=1, batch_size=32), faulty_mnist(tmp_path, case), runs, device="cpu")
    final = wait_for(registry, ended)
    assert final.status == "failed" and all(word in final.message for word in FAULTS[case][1])
    # the runs folder may exist (a run's name is claimed there at start) but holds nothing once the job fails
    assert final.history == () and final.batch_costs == () and (not runs.exists() or not any(runs.iterdir()))

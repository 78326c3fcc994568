"""python -m core.inspect: the pictures and the per-epoch probabilities written; bad input exits 2, writes nothing."""
import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from core.data.loading import PROJECT_ROOT, load_mnist
from core.runs.epochs import epoch_path, load_epoch_model
from core.evaluate import predict_digit
from core.data.image_input import image_from_png
from core.inspect import main
from core.explain.inspection import probabilities_by_epoch
from tests.explain.inside_run import EPOCHS, trained_run


@pytest.fixture
def run_dir(tiny_mnist_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", str(tiny_mnist_dir))
    monkeypatch.setenv("MNIST_CHECKPOINT_DIR", str(tmp_path / "runs"))
    return trained_run(tiny_mnist_dir, tmp_path / "runs")


def test_writes_every_picture_and_the_probabilities_at_every_epoch(run_dir, tiny_mnist_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main([run_dir.name, "--test-index", "5", "--epoch", "2", "--class", "3", "--out", str(out)]) == 0
    names = sorted(path.name for path in out.iterdir())
    expected = {"image.png", "scores.png", "filters.png", "probabilities-by-epoch.png", "inspect.json"}
    expected |= {f"maps-{layer}.png" for layer in ("layer1.0", "layer1", "layer2.0", "layer2")}
    expected |= {f"attribution-{m}.png" for m in ("saliency", "integrated-gradients", "occlusion", "grad-cam")}
    assert set(names) == expected
    assert all(Image.open(out / name).size[0] > 100 for name in names if name.endswith(".png"))
    report = json.loads((out / "inspect.json").read_text())
    assert report["epoch"] == 2 and report["explained_class"] == 3 and report["image"]["index"] == 5
    image = load_mnist(tiny_mnist_dir, allow_download=False).test.images[5:6]
    assert [entry["epoch"] for entry in report["epochs"]] == list(range(EPOCHS + 1))
    for entry in report["epochs"]:  # the oracle: each epoch's model, loaded on its own
        expected_probabilities = predict_digit(load_epoch_model(run_dir, entry["epoch"]), image).numpy()
        assert np.allclose(entry["probabilities"], expected_probabilities, atol=1e-5)
    assert np.allclose(report["probabilities"], report["epochs"][2]["probabilities"], atol=1e-5)
    assert "Wrote 13 files" in capsys.readouterr().out


def test_a_png_is_read_as_the_model_sees_it(tiny_mnist_dir, tmp_path):
    image = load_mnist(tiny_mnist_dir, allow_download=False).test.images[7, 0]
    pixels = (image * 255).round().to(torch.uint8).numpy()
    Image.fromarray(pixels).save(tmp_path / "seven.png")
    Image.fromarray(255 - pixels).save(tmp_path / "paper.png")  # dark ink on light paper
    Image.fromarray(np.kron(pixels, np.ones((4, 4), np.uint8))).convert("RGBA").save(tmp_path / "big.png")
    assert torch.equal(image_from_png(tmp_path / "seven.png")[0, 0], image)
    assert torch.equal(image_from_png(tmp_path / "paper.png")[0, 0], image)
    big = image_from_png(tmp_path / "big.png")  # 112x112: cropped, fitted to 20x20, centred like a drawing
    assert big.shape == (1, 1, 28, 28) and big.max() == 1.0 and big[0, 0, :2].max() < 0.2


def test_probabilities_skip_a_damaged_epoch_with_its_reason(run_dir, tiny_mnist_dir):
    epoch_path(run_dir, 1).write_bytes(b"not a checkpoint")
    image = load_mnist(tiny_mnist_dir, allow_download=False).test.images[:1]
    history = probabilities_by_epoch(run_dir, image)
    assert history.epochs == [0, 2, 3] and history.probabilities.shape == (3, 10)
    assert "epoch-001.pt" in history.problems[1]


def damage_epoch_2(run_dir):
    epoch_path(run_dir, 2).write_bytes(b"")


BAD = [
    (["no-such-run", "--test-index", "0"], "no run named no-such-run"),
    (["{run}", "--test-index", "10000"], "test image 10000 does not exist"),
    (["{run}", "--test-index", "-1"], "test image -1 does not exist"),
    (["{run}", "--test-index", "0", "--epoch", "9"], "has no epoch 9; epochs that can be shown: 0, 1, 2, 3"),
    (["{run}", "--test-index", "0", "--epoch", "2", "damage"], "epoch-002.pt is empty"),
    (["{run}", "--test-index", "0", "--class", "cat"], "--class 'cat' is not a class"),
    (["{run}", "--image", "{tmp}/missing.png"], "does not exist"),
    (["{run}", "--image", "{tmp}/text.png"], "not a readable PNG"),
    (["{run}", "--image", "{tmp}/blank.png"], "is blank"),
    (["{run}", "--test-index", "0", "--image", "{tmp}/blank.png"], "not allowed with argument"),
    (["{run}"], "one of the arguments --test-index --image is required"),
]


@pytest.mark.parametrize("args, words", BAD, ids=[words[:30] for _, words in BAD])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(run_dir, tmp_path, capsys, args, words):
    (tmp_path / "text.png").write_text("hello")
    Image.fromarray(np.zeros((40, 40), np.uint8)).save(tmp_path / "blank.png")
    if "damage" in args:
        damage_epoch_2(run_dir)
        args = [a for a in args if a != "damage"]
    args = [a.format(run=run_dir.name, tmp=tmp_path) for a in args]
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--out", str(out)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 2, captured.err
    [line] = captured.err.strip().splitlines()
    assert words in line and captured.out == ""
    assert not out.exists()


def test_the_real_command_runs_on_a_png(run_dir, tmp_path, tiny_mnist_dir):
    pixels = (load_mnist(tiny_mnist_dir, allow_download=False).test.images[1, 0] * 255).round().to(torch.uint8)
    Image.fromarray(pixels.numpy()).save(tmp_path / "one.png")
    done = subprocess.run(
        [sys.executable, "-m", "core.inspect", run_dir.name, "--image", str(tmp_path / "one.png"), "--out", str(tmp_path / "o")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Epoch 3: predicted" in done.stdout and (tmp_path / "o" / "inspect.json").is_file()

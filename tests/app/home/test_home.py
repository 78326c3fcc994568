"""Home page: renders with no runs, one run and a damaged run; says where MNIST is or how to get it."""
from __future__ import annotations

import pytest

from core.data import loading as data
from tests.app.conftest import add_damaged_run, add_run, open_page
from tests.conftest import make_mnist_dir


def texts(at) -> str:
    return "\n".join(str(element.value) for kind in ("markdown", "success", "error", "info") for element in getattr(at, kind))


def test_home_with_no_runs_shows_datasets_device_and_links(app_env, tiny_mnist_dir, tiny_fashion_dir):
    at = open_page()
    assert not at.exception
    found = [s.value for s in at.success]
    assert f"MNIST found in `{tiny_mnist_dir}`: 512 training and 256 test images." in found
    assert f"Fashion-MNIST found in `{tiny_fashion_dir}`: 256 training and 128 test images." in found
    assert any("Training runs on **cpu**" in m.value for m in at.markdown)
    assert "No saved runs" in texts(at)
    links = {link.proto.label: link.proto.page for link in at.main.get("page_link")}
    assert links["Train a CNN"] == "Train" and links["Compare saved runs"] == "Runs"
    sidebar = [(link.proto.label, link.proto.icon) for link in at.sidebar.get("page_link")]
    assert sidebar[:4] == [("Home", ":material/home:"), ("Lecture", ":material/school:"),
                           ("Train", ":material/model_training:"), ("Runs", ":material/stacked_line_chart:")]


def test_home_lists_a_run_with_its_accuracy_and_a_damaged_run(app_env, saved_runs):
    run_dir = add_run(app_env, saved_runs, as_name="good-run")
    add_damaged_run(app_env, saved_runs)
    at = open_page()
    assert not at.exception
    table = at.dataframe[0].value
    rows = {row["name"]: row for row in table.to_dict("records")}
    accuracy = data_accuracy(run_dir)
    assert rows["good-run"]["test accuracy (%)"] == pytest.approx(round(100 * accuracy, 2))
    assert rows["broken-run"]["status"] == "damaged" and "model.pt" in rows["broken-run"]["problem"]


def data_accuracy(run_dir):
    from core.runs.checkpoints import read_meta

    return read_meta(run_dir)["metrics"]["test_accuracy"]


def test_missing_mnist_shows_the_fix_and_the_download_button_works(app_env, tmp_path, monkeypatch):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    monkeypatch.setenv("MNIST_DATA_DIR", str(empty))
    at = open_page()
    assert [e.value for e in at.error] == [data.missing_help(empty)]
    monkeypatch.setattr(data, "download", lambda folder, dataset: make_mnist_dir(folder))  # offline stand-in for torchvision
    at.button(key="home_download_mnist").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith(f"MNIST found in `{empty}`")


def test_damaged_mnist_shows_the_loaders_sentence(app_env, tmp_path, monkeypatch):
    broken = make_mnist_dir(tmp_path / "broken")
    (broken / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip")
    monkeypatch.setenv("MNIST_DATA_DIR", str(broken))
    at = open_page()
    assert not at.exception
    [error] = at.error
    assert "is damaged" in error.value and "train-images" in error.value
    assert at.button(key="home_download_mnist")


def test_missing_fashion_mnist_is_a_warning_with_the_apt_fix(app_env, tmp_path, monkeypatch):
    empty = tmp_path / "no-fashion"
    empty.mkdir()
    monkeypatch.setenv("FASHION_MNIST_DATA_DIR", str(empty))
    at = open_page()
    assert not at.exception and not at.error  # MNIST is fine; the second dataset is optional
    [warning] = at.warning
    assert "Fashion-MNIST was not found" in warning.value and "apt-get install dataset-fashion-mnist" in warning.value
    assert at.button(key="home_download_fashion-mnist")

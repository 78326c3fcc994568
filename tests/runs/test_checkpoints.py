"""Run folders: atomic saves, round trips, listing, damaged runs and paths that try to escape."""
import json
import os

import pytest
import torch

from core.runs import checkpoints, weights
from core.runs.checkpoints import CheckpointError, delete_run, list_runs, load_model, run_path
from core.training.config import TrainConfig
from core.evaluate import predict
from core.training.events import EpochEnd
from core.training.fit import fit, new_run, resume_run


def train_run(data, root, **changes):
    config = TrainConfig(**{"epochs": 1, "batch_size": 64, **changes})
    trainer, run_dir = new_run(config, data, root, device="cpu")
    events = list(fit(trainer, run_dir))
    return trainer, run_dir, events


def test_round_trip_gives_the_same_predictions(tiny_mnist, runs_dir):
    trainer, run_dir, _ = train_run(tiny_mnist, runs_dir)
    model, checkpoint = load_model(run_dir)
    assert torch.equal(predict(model, tiny_mnist.test).probabilities, predict(trainer.model, tiny_mnist.test).probabilities)
    meta = checkpoints.read_meta(run_dir)
    assert meta["status"] == "finished" and meta["metrics"]["epochs_done"] == 1
    assert meta["metrics"]["test_accuracy"] == checkpoint["history"][-1]["test_accuracy"]
    assert {"torch", "torchvision", "python"} <= meta["versions"].keys() and meta["created"]
    assert "optimizer" in checkpoint and checkpoint["config"] == meta["config"]


def test_every_epoch_is_saved_as_it_finishes(tiny_mnist, runs_dir):
    config = TrainConfig(epochs=3, batch_size=64)
    trainer, run_dir = new_run(config, tiny_mnist, runs_dir, device="cpu")
    for event in fit(trainer, run_dir):
        if isinstance(event, EpochEnd):
            on_disk = checkpoints.load_checkpoint(run_dir)
            assert len(on_disk["history"]) == event.epoch
            assert checkpoints.read_meta(run_dir)["metrics"]["epochs_done"] == event.epoch
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".")]  # no temp file left behind


def test_weights_are_loaded_weights_only(tiny_mnist, runs_dir, monkeypatch):
    _, run_dir, _ = train_run(tiny_mnist, runs_dir)
    seen = []
    real_load = torch.load
    monkeypatch.setattr(torch, "load", lambda *a, **k: seen.append(k.get("weights_only")) or real_load(*a, **k))
    weights._load_checked.cache_clear()
    load_model(run_dir)
    assert seen == [True]


def test_stopped_run_resumes_to_more_epochs(tiny_mnist, runs_dir):
    _, run_dir, _ = train_run(tiny_mnist, runs_dir, epochs=2)
    trainer = resume_run(run_dir, tiny_mnist, epochs=4, device="cpu")
    assert trainer.epochs_done == 2
    epochs = [e.epoch for e in fit(trainer, run_dir) if isinstance(e, EpochEnd)]
    assert epochs == [3, 4]
    assert checkpoints.read_meta(run_dir)["metrics"]["epochs_done"] == 4


def test_listing_reports_damaged_runs_without_crashing(tiny_mnist, runs_dir):
    _, good, _ = train_run(tiny_mnist, runs_dir)
    broken = runs_dir / "broken-run"
    broken.mkdir()
    (broken / "run.json").write_text(json.dumps(checkpoints.read_meta(good)))
    (broken / "model.pt").write_bytes(b"not a checkpoint at all")
    (runs_dir / ".tmp-half-written").mkdir()
    (runs_dir / "stray-file.txt").write_text("x")
    runs = {run.name: run for run in list_runs(runs_dir)}
    assert set(runs) == {good.name, "broken-run"}
    assert runs[good.name].damaged is None and runs[good.name].meta["metrics"]["epochs_done"] == 1
    assert "model.pt" in runs["broken-run"].damaged and runs["broken-run"].meta == {}


def test_paths_cannot_escape_the_checkpoint_folder(runs_dir, tmp_path):
    runs_dir.mkdir()
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", runs_dir / "linked")
    for bad in ("../outside", str(tmp_path / "outside"), "linked", "a/../../outside", ".hidden", ""):
        with pytest.raises(CheckpointError):
            run_path(runs_dir, bad)
    with pytest.raises(CheckpointError):
        delete_run(runs_dir, "../outside")
    assert (tmp_path / "outside").is_dir()
    assert run_path(runs_dir, "cnn-1") == (runs_dir / "cnn-1").resolve()


def test_delete_removes_one_run(tiny_mnist, runs_dir):
    _, run_dir, _ = train_run(tiny_mnist, runs_dir)
    delete_run(runs_dir, run_dir.name)
    assert not run_dir.exists() and runs_dir.is_dir()


def test_folder_comes_from_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_CHECKPOINT_DIR", str(tmp_path / "env"))
    assert checkpoints.checkpoint_dir() == tmp_path / "env"
    assert checkpoints.checkpoint_dir(tmp_path / "arg") == tmp_path / "arg"


def test_a_run_json_naming_another_custom_design_than_its_weights_is_damaged(tiny_mnist, runs_dir):
    _, run_dir, _ = train_run(tiny_mnist, runs_dir, design="c8-max,gap,fc10", max_batches=1)
    meta = checkpoints.read_meta(run_dir)
    assert meta["config"]["model"] == "custom" and checkpoints.inspect_run(run_dir).damaged is None
    other = TrainConfig(design="c16-max,gap,fc10").design.to_dict()  # also "custom", but other weights' shapes
    checkpoints.save_meta(run_dir, {**meta, "config": {**meta["config"], "design": other}})
    damaged = checkpoints.inspect_run(run_dir).damaged
    assert "holds the design c8-max,gap,fc10" in damaged and "c16-max,gap,fc10" in damaged


def test_a_run_saved_before_designs_loads_and_scores_as_before(tiny_mnist, runs_dir):
    """Runs from before designs have no `design` in run.json or model.pt: they get their named model's."""
    trainer, run_dir, _ = train_run(tiny_mnist, runs_dir, model="deep_cnn", dropout=0.3)
    before = predict(load_model(run_dir)[0], tiny_mnist.test).probabilities
    checkpoint = torch.load(run_dir / "model.pt", weights_only=True)
    del checkpoint["config"]["design"]
    torch.save(checkpoint, run_dir / "model.pt")
    meta = checkpoints.read_meta(run_dir)
    del meta["config"]["design"]
    checkpoints.save_meta(run_dir, meta)
    [run] = checkpoints.list_runs(runs_dir)
    assert not run.damaged and run.config.model == "deep_cnn" and run.config.design.hidden[0].dropout == 0.3
    assert torch.equal(predict(load_model(run_dir)[0], tiny_mnist.test).probabilities, before)


def test_list_runs_is_newest_first_by_run_json_so_pages_default_to_the_newest(tiny_mnist, runs_dir):
    """ui.run_picker.pick_run takes the first usable run as every page's default."""
    _, trained, _ = train_run(tiny_mnist, runs_dir, max_batches=1)
    # names sort neither way in time order, so a name sort or an ascending sort both fail
    for name, updated in (("a-oldest", "2026-01-01T00:00:00+00:00"), ("m-newest", "2026-03-01T00:00:00+00:00"),
                          ("z-middle", "2026-02-01T00:00:00+00:00")):
        copy = runs_dir / name
        copy.mkdir()
        (copy / weights.WEIGHTS).write_bytes((trained / weights.WEIGHTS).read_bytes())
        meta = {**checkpoints.read_meta(trained), "name": name, "updated": updated}
        checkpoints.save_meta(copy, meta)
    os.utime(runs_dir / "a-oldest", (2e9, 2e9))  # the folder's own time must not matter, only run.json's
    names = [run.name for run in list_runs(runs_dir)]
    assert names[1:] == ["m-newest", "z-middle", "a-oldest"] and names[0] == trained.name  # trained today


def test_two_runs_started_in_the_same_second_get_different_names(tiny_mnist, runs_dir):
    config = TrainConfig(epochs=1, batch_size=64, max_batches=1)
    # neither run has a folder yet: that appears with its first epoch
    first = checkpoints.new_run_name(runs_dir, config, "20261202-101500")
    second = checkpoints.new_run_name(runs_dir, config, "20261202-101500")
    assert first == "cnn-20261202-101500" and second == "cnn-20261202-101500-2"
    trainer, run_dir = new_run(config, tiny_mnist, runs_dir, "cpu", name=first)
    list(fit(trainer, run_dir))
    assert [run.name for run in list_runs(runs_dir)] == [first]  # the hidden claims are not runs
    assert checkpoints.new_run_name(runs_dir, config, "20261202-101500") == "cnn-20261202-101500-3"


def test_a_run_stopped_before_its_first_epoch_frees_its_name(tiny_mnist, runs_dir):
    import threading

    config = TrainConfig(epochs=1, batch_size=64, max_batches=1)
    trainer, run_dir = new_run(config, tiny_mnist, runs_dir, "cpu")
    stop = threading.Event()
    stop.set()
    assert [type(event).__name__ for event in fit(trainer, run_dir, stop)] == ["Stopped"]
    assert list(runs_dir.iterdir()) == []  # no folder, and no claim left behind

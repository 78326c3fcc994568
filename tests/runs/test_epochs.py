"""Every epoch's weights: saved by fit, scored as run.json says, refused when hostile, reported when damaged."""
import pickle
import shutil

import pytest
import torch

from core.runs import checkpoints, epochs
from core.training.config import TrainConfig
from core.evaluate import score
from core.training.fit import fit, new_run, resume_run
from core.training.models import build_model
from tests.runs.test_faults_checkpoints import Hostile, marker_code


def train(data, root, **changes):
    config = TrainConfig(**{"epochs": 3, "batch_size": 64, "max_batches": 3, **changes})
    trainer, run_dir = new_run(config, data, root, device="cpu")
    list(fit(trainer, run_dir))
    return run_dir


@pytest.fixture(scope="module")
def template(tmp_path_factory, tiny_mnist):
    """One 3-epoch cnn run, trained once; tests that damage it work on a copy."""
    return train(tiny_mnist, tmp_path_factory.mktemp("epoch-runs"))


@pytest.fixture
def run_copy(template, tmp_path):
    copy = tmp_path / "runs" / template.name
    shutil.copytree(template, copy)
    return copy


@pytest.mark.parametrize("model", ["cnn", "fast_cnn"])
def test_epoch_k_scores_what_run_json_records(tiny_mnist, tmp_path, template, model):
    run_dir = template if model == "cnn" else train(tiny_mnist, tmp_path, model=model, epochs=2)
    history = checkpoints.read_meta(run_dir)["history"]
    listed = epochs.list_epochs(run_dir)
    assert [(e.epoch, e.problem) for e in listed] == [(k, None) for k in range(len(history) + 1)]
    for entry in history:
        model_k = epochs.load_epoch_model(run_dir, entry["epoch"])
        assert not model_k.training
        _, accuracy = score(model_k, tiny_mnist.test)
        assert accuracy == pytest.approx(entry["test_accuracy"], abs=1e-6)
    # the last epoch's file is model.pt's weights
    final, _ = checkpoints.load_model(run_dir)
    last = epochs.load_epoch_model(run_dir, len(history))
    assert all(torch.equal(a, b) for a, b in zip(final.state_dict().values(), last.state_dict().values()))


def test_epoch_0_is_the_seeded_initial_model(template):
    torch.manual_seed(TrainConfig().seed)
    fresh = build_model("cnn", TrainConfig().dropout)
    saved = torch.load(epochs.epoch_path(template, 0), weights_only=True)
    assert saved["epoch"] == 0
    assert all(torch.equal(fresh.state_dict()[k], saved["model"][k]) for k in fresh.state_dict())
    trained = torch.load(epochs.epoch_path(template, 1), weights_only=True)["model"]
    assert not torch.equal(trained["layer1.0.weight"], saved["model"]["layer1.0.weight"])


@pytest.mark.parametrize("legacy", [False, True], ids=["zip", "bare pickle"])
def test_a_hostile_epoch_file_is_refused_and_runs_no_code(run_copy, tmp_path, legacy):
    marker = tmp_path / "ran"
    payload, path = {"model": Hostile(marker_code(marker)), "epoch": 2}, epochs.epoch_path(run_copy, 2)
    if legacy:
        path.write_bytes(pickle.dumps(payload, protocol=2))  # torch's own legacy protocol
    else:
        torch.save(payload, path)
    problems = {e.epoch: e.problem for e in epochs.list_epochs(run_copy)}
    assert "asks to run code" in problems[2] and "epoch-002.pt" in problems[2]
    assert problems[1] is None and problems[3] is None
    with pytest.raises(checkpoints.CheckpointError, match="asks to run code"):
        epochs.load_epoch_model(run_copy, 2)
    assert not marker.exists()


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]), "truncated or damaged"),
        (lambda path: path.write_bytes(b""), "is empty"),
        (lambda path: path.unlink(), "is missing"),
        (lambda path: torch.save({"model": {}, "epoch": 1}, path), "do not fit model 'cnn'"),
        (lambda path: torch.save({"model": {}, "epoch": 7}, path), "not this run's epoch 1"),
    ],
    ids=["truncated", "empty", "missing", "wrong weights", "other epoch"],
)
def test_a_damaged_epoch_file_is_reported_with_a_sentence(run_copy, damage, words):
    damage(epochs.epoch_path(run_copy, 1))
    listed = {e.epoch: e.problem for e in epochs.list_epochs(run_copy)}
    assert words in listed[1] and listed[1].startswith("Epoch 1:")
    assert [k for k, problem in listed.items() if problem is None] == [0, 2, 3]
    with pytest.raises(checkpoints.CheckpointError, match=words):
        epochs.load_epoch_model(run_copy, 1)


def test_a_run_saved_before_epochs_were_kept_lists_none(run_copy, tiny_mnist):
    shutil.rmtree(run_copy / "epochs")
    assert epochs.list_epochs(run_copy) == []
    assert checkpoints.inspect_run(run_copy).damaged is None
    # resuming it keeps epochs from then on; the older ones are reported missing
    trainer = resume_run(run_copy, tiny_mnist, epochs=4, device="cpu")
    list(fit(trainer, run_copy))
    problems = {e.epoch: e.problem for e in epochs.list_epochs(run_copy)}
    assert problems[3] is None and problems[4] is None
    assert all("missing" in problems[k] for k in (0, 1, 2))


def test_no_temp_files_are_left_and_delete_removes_the_epochs(run_copy):
    assert sorted(p.name for p in (run_copy / "epochs").iterdir()) == [f"epoch-00{k}.pt" for k in range(4)]
    checkpoints.delete_run(run_copy.parent, run_copy.name)
    assert not run_copy.exists() and not list(run_copy.parent.iterdir())

"""core.sweep in one process: the validation split, pruning, divergence, stored settings, and the CLI's refusals."""
from __future__ import annotations

import json
import subprocess
import sys

import optuna
import pytest
import torch
from optuna.trial import TrialState

from core.data.loading import Split
from core.sweep.__main__ import main
from core.sweep.space import SearchSpace
from core.sweep.stale import FAILURE
from core.sweep.storage import open_storage
from core.sweep.study import ATTR, SettingsMismatch, SweepSettings, open_study
from core.sweep.trial import RUN, TrialRunner
from core.sweep.worker import work
from core.data.validation import hold_out
from tests.sweep.sweep_workers import PROJECT


def test_the_validation_split_is_a_fixed_twelfth_disjoint_from_training():
    split = Split(torch.arange(60_000, dtype=torch.float32).view(-1, 1, 1, 1), torch.zeros(60_000, dtype=torch.int64))
    train, validation = hold_out(split)
    again = hold_out(split)[1]
    assert (len(train), len(validation)) == (55_000, 5_000)
    assert torch.equal(validation.images, again.images)  # the same 5,000 every time, whatever the run's seed
    seen = torch.cat([train.images.flatten(), validation.images.flatten()])
    assert torch.equal(seen.sort().values, torch.arange(60_000, dtype=torch.float32))  # each image on one side only


def sweep(tmp_path, tiny_mnist, settings: SweepSettings, name: str):
    storage = open_storage(None, tmp_path)
    study, settings = open_study(storage, name, settings, given=set(settings.to_dict()))
    return study, TrialRunner(settings, tiny_mnist, tmp_path, name, "journal", device="cpu")


def test_pruning_stops_a_bad_trial_early(tmp_path, tiny_mnist):
    settings = SweepSettings(space=SearchSpace(vary=("lr", "optimizer")), epochs=4, max_batches=2)
    study, runner = sweep(tmp_path, tiny_mnist, settings, "prune")
    for _ in range(2):
        study.enqueue_trial({"lr": 0.003, "optimizer": "adam"})  # good: they set the median
    study.enqueue_trial({"lr": 1e-4, "optimizer": "sgd"})  # far too slow to learn anything in 4 epochs
    work(study, runner, target=3)
    good, _, bad = study.trials
    assert good.state == TrialState.COMPLETE and good.value > 0.5
    assert bad.state == TrialState.PRUNED
    assert max(bad.intermediate_values) < settings.epochs  # stopped before its last epoch
    meta = json.loads((tmp_path / bad.user_attrs[RUN] / "run.json").read_text())
    assert meta["status"] == "pruned" and meta["metrics"]["epochs_done"] < settings.epochs
    assert meta["sweep"] == {"study": "prune", "trial": 2, "storage": "journal"}


def test_a_diverged_trial_is_failed_with_its_reason_and_the_sweep_goes_on(tmp_path, tiny_mnist):
    space = SearchSpace(vary=("lr", "batch_size", "optimizer", "model"), lr=(1e-4, 10.0))
    study, runner = sweep(tmp_path, tiny_mnist, SweepSettings(space=space, epochs=1), "wild")
    # as in test_faults_cli: this one's cost becomes NaN in its first epoch
    study.enqueue_trial({"lr": 10.0, "batch_size": 64, "optimizer": "sgd", "model": "deep_cnn"})
    study.enqueue_trial({"lr": 0.003, "batch_size": 64, "optimizer": "adam", "model": "cnn"})
    assert work(study, runner, target=1) == 1
    diverged, fine = study.trials
    assert diverged.state == TrialState.FAIL and "diverged" in diverged.user_attrs[FAILURE]
    assert fine.state == TrialState.COMPLETE


def test_a_study_keeps_its_settings_and_refuses_another_space(tmp_path):
    storage = open_storage(None, tmp_path)
    first = SweepSettings(space=SearchSpace(vary=("lr",)), epochs=2)
    open_study(storage, "kept", first, given={"space", "epochs"})
    _, joined = open_study(storage, "kept", SweepSettings(), given=set())
    assert joined == first  # joined by name alone
    with pytest.raises(SettingsMismatch, match=r"different search space.*the study has lr 0.0001-0.1 \(log\), you asked for optimizer"):
        open_study(storage, "kept", SweepSettings(space=SearchSpace(vary=("optimizer",))), given={"space"})


@pytest.mark.parametrize("args, says", [
    (["--study", "x", "--trials", "0"], "--trials"),
    (["--study", "x/../y", "--trials", "2"], "--study"),
    (["--study", "x", "--trials", "2", "--vary", "lr,colour"], "--vary"),
    (["--study", "x", "--trials", "2", "--storage", "sqlite:///sweeps.db"], "SQLite"),
    (["--study", "x", "--trials", "2", "--pruner", "mean"], "--pruner"),
    (["--study", "x", "--trials", "2", "--dataset", "cifar"], "--dataset"),
])
def test_bad_input_exits_2_with_one_line(args, says, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--checkpoint-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and len(err.strip().splitlines()) == 1 and says in err


def test_a_reused_name_with_another_space_exits_2_with_a_clear_message(tmp_path, capsys):
    open_study(open_storage(None, tmp_path), "taken", SweepSettings(space=SearchSpace(vary=("lr",))), given={"space"})
    with pytest.raises(SystemExit) as exit_info:
        main(["--study", "taken", "--trials", "2", "--vary", "batch_size", "--checkpoint-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "already exists with a different search space" in err


def test_an_unreachable_server_is_one_line_and_exit_1(tmp_path):
    from tests.e2e.server import free_port

    url = f"postgresql+psycopg://me@127.0.0.1:{free_port()}/sweeps"  # nothing listens there
    done = subprocess.run([sys.executable, "-m", "core.sweep", "--study", "x", "--trials", "1", "--storage", url,
                           "--checkpoint-dir", str(tmp_path)], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "cannot use the study storage" in done.stderr


def test_dataset_flag_trains_every_trial_on_it_and_a_joining_worker_cannot_change_it(tmp_path, tiny_fashion_dir, capsys):
    common = ["--study", "clothes", "--trials", "1", "--epochs", "1", "--max-batches", "1", "--vary", "lr", "--checkpoint-dir", str(tmp_path)]
    assert main([*common, "--dataset", "fashion-mnist", "--data-dir", str(tiny_fashion_dir)]) == 0
    assert "Fashion-MNIST" in capsys.readouterr().out
    study = optuna.load_study(study_name="clothes", storage=open_storage(None, tmp_path))
    trial = study.trials[0]
    config = json.loads((tmp_path / trial.user_attrs[RUN] / "run.json").read_text())["config"]
    assert (config["dataset"], config["validation"]) == ("fashion-mnist", True)  # scored on the held-out split, as on MNIST
    assert study.user_attrs[ATTR]["dataset"] == "fashion-mnist"  # stored, so joining workers train on it too
    with pytest.raises(SystemExit) as exit_info:
        main([*common, "--dataset", "mnist"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "dataset: the study has fashion-mnist, you asked for mnist" in err


def accuracy(model: torch.nn.Module, split: Split) -> float:
    """Counted here, apart from core.evaluate: the share of images whose largest logit is their label."""
    with torch.no_grad():
        return (model(split.images).argmax(1) == split.labels).double().mean().item()


def test_a_trial_is_scored_on_the_validation_split_never_the_test_set(tmp_path, tiny_mnist):
    from core.runs.checkpoints import load_model

    study, runner = sweep(tmp_path, tiny_mnist, SweepSettings(space=SearchSpace(vary=("lr",)), epochs=1, max_batches=2), "scored")
    study.enqueue_trial({"lr": 0.003})
    work(study, runner, target=1)
    (trial,) = study.trials
    model, _ = load_model(tmp_path / trial.user_attrs[RUN])
    validation, test = accuracy(model, hold_out(tiny_mnist.train)[1]), accuracy(model, tiny_mnist.test)
    assert abs(validation - test) > 0.01, "this check needs scores that differ"
    assert trial.value == pytest.approx(validation, abs=1e-6)
    assert trial.user_attrs["test_accuracy"] == pytest.approx(test, abs=1e-6)  # shown beside it, not optimised


def test_the_timeout_starts_no_trial_after_it_and_the_worker_ends(tmp_path, tiny_mnist_dir, capsys):
    import time
    from datetime import datetime

    started = datetime.now()
    began = time.monotonic()
    code = main(["--study", "timed", "--trials", "40", "--timeout", "1", "--epochs", "1", "--max-batches", "1", "--vary", "lr",
                 "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(tmp_path)])
    took = time.monotonic() - began
    trials = optuna.load_study(study_name="timed", storage=open_storage(None, tmp_path)).trials
    assert code == 0 and 1 <= len(trials) < 40  # about a third of a second a trial here
    # the one trial that may run past the deadline started before it
    assert all((trial.datetime_start - started).total_seconds() < 1.0 + 0.3 for trial in trials)  # loading the data counts
    assert took < 1.0 + 10, took


PASSWORD_PARTS = ("s3c", "r3t")  # no fragment of the password may show


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://me:s3cr3t@127.0.0.1:{port}/sweeps",
    "postgresql://me:s3cr3t@127.0.0.1:{port}/sweeps",  # rewritten to psycopg 3 before connecting
    "postgresql+psycopg://me:s3c%40r3t@127.0.0.1:{port}/sweeps",  # an escaped @
    "postgresql+psycopg://me:s3c@r3t@127.0.0.1:{port}/sweeps",  # an unescaped @, which splits the URL elsewhere
    "postgresql+psycopg://me@127.0.0.1:{port}/sweeps?password=s3cr3t",  # libpq's query parameter
    "postgresql+psycopg://me:s3cr3t@127.0.0.1:notaport/sweeps",  # unparsable
])
def test_a_password_in_the_storage_url_shows_in_no_message(url, tmp_path, capsys):
    from core.sweep.job import SweepRequest, run_sweep
    from tests.e2e.server import free_port
    import threading

    url = url.format(port=free_port())  # nothing listens there
    with pytest.raises(SystemExit) as exit_info:
        main(["--study", "x", "--trials", "1", "--storage", url, "--checkpoint-dir", str(tmp_path)])
    printed = capsys.readouterr()
    assert exit_info.value.code in (1, 2) and printed.err.startswith("error: ")
    updates: list[dict] = []  # the Sweeps page's job, which shows its message on the page
    run_sweep(SweepRequest("x", 1, SweepSettings(), storage=url), None, tmp_path, threading.Event(), lambda **c: updates.append(c))
    assert updates[-1]["status"] == "failed"
    shown = printed.out + printed.err + " ".join(str(update.get("message", "")) for update in updates)
    assert not any(part in shown for part in PASSWORD_PARTS), shown

"""Sweeps that vary the design: the knobs applied to a base design, a real study's trials and their
design text, and studies stored before designs could vary still loading."""
from __future__ import annotations

import json

import optuna
import pytest
from optuna.trial import TrialState

from core.sweep.design_space import KNOBS, vary_design
from core.sweep.report import trial_line, trial_rows
from core.sweep.space import SearchSpace
from core.sweep.storage import open_storage
from core.sweep.study import ATTR, BASE_DESIGN, SweepSettings, open_study
from core.sweep.stale import FAILURE
from core.sweep.trial import DESIGN, RUN, TrialFailed, TrialRunner
from core.sweep.worker import work
from core.training.config import ConfigError, TrainConfig
from core.training.design_text import format_design, parse

BASE = parse("c8-max,c16-max,fc10")


@pytest.mark.parametrize("knobs, dropout, expected", [
    ({"depth": 4}, None, "c8-max,c16-max,c32-max,c64-max,fc10"),  # each added block twice as wide, pooled 7 -> 3 -> 1
    ({"depth": 5}, None, "c8-max,c16-max,c32-max,c64-max,c128,fc10"),  # a 1x1 picture is not pooled again
    ({"depth": 1, "width": 0.5, "kernel": 7}, None, "c4k7-max,fc10"),
    ({"width": 64.0}, None, "c256-max,c256-max,fc10"),  # capped at 256 channels
    ({"batch_norm": True, "hidden_units": 128}, 0.3, "c8-bn-max,c16-bn-max,fc128-d0.3,fc10"),
    ({"hidden_units": 0}, None, "c8-max,c16-max,fc10"),
])
def test_knobs_change_the_base_design_as_documented(knobs, dropout, expected):
    assert format_design(vary_design(BASE, knobs, dropout)) == expected


def test_batch_norm_off_undoes_pool_first_and_hidden_units_change_every_hidden_layer():
    fast = parse("c16-max-bn,c32-max-bn,fc64-d0.5,fc32,fc10,torch-init")
    assert format_design(vary_design(fast, {"batch_norm": False, "hidden_units": 20})) == "c16-max,c32-max,fc20-d0.5,fc20,fc10,torch-init"
    assert vary_design(fast, {"hidden_units": 0}).hidden == ()


def test_every_sampled_design_is_valid_and_the_params_are_named_by_their_knob():
    space = SearchSpace(vary=KNOBS, depth=(1, 5), widths=(0.25, 1.0, 8.0), kernels=(1, 3, 5, 7), hidden_units=(0, 16))
    settings = SweepSettings(space=space, design="c4-max,c8-avgp1-bn,gap,fc10")
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    seen = set()
    for _ in range(40):
        trial = study.ask()
        config = space.apply(settings.base_config(), space.suggest(trial))  # a Design is validated when made
        assert set(trial.params) == set(KNOBS)
        assert len(config.design.blocks) == trial.params["depth"] and config.design.head == "gap"
        assert all(block.kernel == trial.params["kernel"] and block.batch_norm == trial.params["batch_norm"] for block in config.design.blocks)
        seen.add(format_design(config.design))
        study.tell(trial, 0.5)
    assert len(seen) > 20


def test_a_design_study_trains_its_designs_and_records_their_text(tmp_path, tiny_mnist):
    space = SearchSpace(vary=("lr", "depth", "width", "kernel", "batch_norm", "hidden_units"), depth=(1, 3), widths=(0.5, 1.0), hidden_units=(0, 16))
    settings = SweepSettings(space=space, epochs=1, max_batches=1, pruner="none", design="c8-max,c16-max,fc10")
    study, settings = open_study(open_storage(None, tmp_path), "shapes", settings, given=set(settings.to_dict()))
    study.enqueue_trial({"lr": 0.003, "depth": 3, "width": 0.5, "kernel": 5, "batch_norm": True, "hidden_units": 16})
    assert work(study, TrialRunner(settings, tiny_mnist, tmp_path, "shapes", "journal", device="cpu"), target=2) == 2
    first = study.trials[0]
    assert first.state == TrialState.COMPLETE and first.user_attrs[DESIGN] == "c4k5-bn-max,c8k5-bn-max,c16k5-bn-max,fc16,fc10"
    for trial in study.trials:
        saved = json.loads((tmp_path / trial.user_attrs[RUN] / "run.json").read_text())["config"]
        assert trial.user_attrs[DESIGN] == format_design(TrainConfig.from_dict(saved).design)
    rows = trial_rows(study.trials)
    assert rows[0]["design"] == first.user_attrs[DESIGN] and list(rows[0])[2:8] == ["lr", "depth", "width", "kernel", "batch_norm", "hidden_units"]
    assert "design=c4k5-bn-max" in trial_line(first, tmp_path)
    drawn = optuna.visualization.plot_parallel_coordinate(study).to_json()  # the Sweeps page's figure
    assert all(f'"{knob}"' in drawn for knob in ("depth", "width", "kernel", "batch_norm", "hidden_units"))


def test_a_study_stored_before_designs_varied_still_loads_and_joins(tmp_path):
    old = {  # SweepSettings.to_dict() as stored before the design knobs and the base design existed
        "space": {"vary": ["lr", "model"], "lr": [0.0001, 0.1], "batch_sizes": [32, 64], "optimizers": ["adam"],
                  "dropout": [0.0, 0.7], "models": ["cnn", "deep_cnn"]},
        "epochs": 2, "max_batches": None, "pruner": "median", "seed": 777, "dataset": "mnist",
    }
    settings = SweepSettings.from_dict(old)
    assert settings.design == BASE_DESIGN and settings.space.depth == (1, 4) and settings.space.vary == ("lr", "model")
    study = optuna.create_study(study_name="old", storage=open_storage(None, tmp_path), direction="maximize")
    study.set_user_attr(ATTR, old)
    _, joined = open_study(open_storage(None, tmp_path), "old", SweepSettings(), given=set())
    assert joined == settings
    _, same = open_study(open_storage(None, tmp_path), "old", SweepSettings(space=settings.space, epochs=2), given={"space", "epochs"})
    assert same == settings  # asking for the same space explicitly is no mismatch


def test_a_bad_base_design_or_range_is_refused_with_a_sentence():
    with pytest.raises(ConfigError, match="block 2"):
        SweepSettings(design="c8-max,c16-maxx,fc10")
    with pytest.raises(ValueError, match="depth range"):
        SearchSpace(vary=("depth",), depth=(0, 6))
    with pytest.raises(ValueError, match="kernels"):
        SearchSpace(vary=("kernel",), kernels=(2,))


def test_a_sampled_design_too_big_to_train_fails_its_trial_with_the_sentence(tmp_path, tiny_mnist):
    # five unpooled 256-channel blocks at 28x28 for a batch of 60,000: about 3 TB of layer outputs, on any machine
    space = SearchSpace(vary=("batch_size", "width"), batch_sizes=(60_000,), widths=(1.0,))
    settings = SweepSettings(space=space, epochs=1, max_batches=1, design="c256,c256,c256,c256,c256,fc10")
    study, settings = open_study(open_storage(None, tmp_path), "huge", settings, given=set(settings.to_dict()))
    runner = TrialRunner(settings, tiny_mnist, tmp_path, "huge", "journal", device="cpu")
    study.optimize(runner, n_trials=1, catch=(TrialFailed,))
    trial = study.trials[0]
    assert trial.state == TrialState.FAIL and "a batch of 60000 needs about" in trial.user_attrs[FAILURE]
    assert trial.user_attrs[DESIGN] == "c256,c256,c256,c256,c256,fc10" and not list(tmp_path.glob("huge-trial-*"))


def test_the_cli_sweeps_from_its_design_flag_and_a_joining_worker_cannot_change_it(tmp_path, tiny_mnist_dir, capsys):
    from core.sweep.__main__ import main

    common = ["--study", "cli-shapes", "--trials", "1", "--epochs", "1", "--max-batches", "1", "--vary", "depth",
              "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(tmp_path)]
    assert main([*common, "--design", "c4-max,c8-max,fc10"]) == 0
    out = capsys.readouterr().out
    assert "depth 1-4 from design c4-max,c8-max,fc10" in out and " design=c4-max" in out
    with pytest.raises(SystemExit) as exit_info:
        main([*common, "--trials", "2", "--design", "c4-max,fc10"])
    assert exit_info.value.code == 2 and "design: the study has c4-max,c8-max,fc10, you asked for c4-max,fc10" in capsys.readouterr().err

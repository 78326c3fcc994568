"""Sweeps page: the form builds the request, Start runs a sweep as the one job, trials are listed with
Optuna's figures and the best trial, a second job is refused, and a reused study name with another space is explained."""
from __future__ import annotations

import json

from optuna.trial import TrialState

from core.sweep.job import load_study
from core.sweep.stale import FAILURE
from ui.sweeps import form as sweep_form
from tests.app.conftest import open_page, registry, wait_for

SWEEPS = "pages/7_Sweeps.py"


def test_the_form_builds_the_request_it_shows():
    state: dict = {}
    sweep_form.init_state(state)
    state.update({"sweep_study": "mine", "sweep_vary": ["dropout", "lr"], "sweep_lr_low": 1e-3, "sweep_lr_high": 0.1, "sweep_dropout": (0.1, 0.5),
                  "sweep_trials": 7, "sweep_epochs": 2, "sweep_max_batches": 3})
    request = sweep_form.build_request(state)
    assert (request.study, request.trials) == ("mine", 7)
    assert request.settings.space.vary == ("lr", "dropout") and request.settings.space.lr == (1e-3, 0.1)
    assert (request.settings.epochs, request.settings.max_batches) == (2, 3)


def start_sweep(at, study: str, trials: int, epochs: int) -> None:
    """Fill the form as a user would (lr varies, one batch per epoch) and press Start."""
    at.text_input(key="sweep_study").set_value(study)
    at.multiselect(key="sweep_vary").set_value(["lr"])
    at.number_input(key="sweep_trials").set_value(trials)
    at.number_input(key="sweep_epochs").set_value(epochs)
    at.number_input(key="sweep_max_batches").set_value(1).run()
    at.button(key="sweep_start").click().run()


def test_a_sweep_runs_as_the_one_job_and_its_trials_are_listed(app_env):
    at = open_page(SWEEPS)
    assert not at.exception
    assert any("never on the test set" in info.value for info in at.info)
    start_sweep(at, "apptest", trials=3, epochs=2)
    assert not at.exception and not at.error
    assert registry().snapshot().kind == "sweep"
    done = wait_for(lambda snapshot: not snapshot.active, timeout=120)
    assert done.status == "finished" and done.trials_done == 3, done
    at.run()
    table = at.dataframe[0].value
    study = load_study("apptest", app_env)
    assert len(table) == len(study.trials) >= 3
    assert set(table["state"]) <= {"complete", "pruned"}
    assert list(table["run"]) == [trial.user_attrs["run"] for trial in study.trials]
    assert len(at.tabs) == 5 and len(at.get("plotly_chart")) >= 3  # history, slice, intermediate values at least
    at.button(key="sweep_use_best").click().run()
    assert at.session_state["chosen_run"] == study.best_trial.user_attrs["run"]


def test_train_is_refused_while_a_sweep_runs_and_stop_fails_the_trial_it_cuts_short(app_env):
    at = open_page(SWEEPS)
    # minutes of work, so the sweep is still running at every check below; Stop ends it
    start_sweep(at, "halted", trials=200, epochs=5)
    assert not at.exception and not at.error

    train = open_page("pages/1_Train.py")
    train.button(key="train_start").click().run()
    assert any("sweep of study halted is still running" in error.value for error in train.error)

    # a trial past its first saved epoch, with epochs left: Stop lands inside it, not between trials
    cut = wait_for(lambda snapshot: snapshot.trial is not None and snapshot.epoch >= 2 and snapshot.batch >= 1, timeout=120)
    at.run()
    at.button(key="sweep_stop").click().run()
    done = wait_for(lambda snapshot: not snapshot.active, timeout=60)
    assert done.status == "stopped" and done.trials_done < 200, done
    study = load_study("halted", app_env)
    (failed,) = [trial for trial in study.trials if trial.state == TrialState.FAIL]
    assert failed.number >= cut.trial and failed.user_attrs[FAILURE].startswith("Stopped by request during epoch ")
    meta = json.loads((app_env / failed.user_attrs["run"] / "run.json").read_text())
    assert meta["status"] == "stopped" and meta["message"] == failed.user_attrs[FAILURE]
    at.run()
    assert any(message.value.startswith("Sweep stopped.") for message in at.success)


def test_reusing_a_study_name_with_another_space_says_so(app_env):
    at = open_page(SWEEPS)
    for vary in (["lr"], ["optimizer"]):
        at.text_input(key="sweep_study").set_value("reused")
        at.multiselect(key="sweep_vary").set_value(vary)
        at.number_input(key="sweep_trials").set_value(1)
        at.number_input(key="sweep_epochs").set_value(1)
        at.number_input(key="sweep_max_batches").set_value(1).run()
        at.button(key="sweep_start").click().run()
        wait_for(lambda snapshot: not snapshot.active, timeout=120)
    snapshot = registry().snapshot()
    assert snapshot.status == "failed" and "different search space" in snapshot.message
    at.run()
    assert any("different search space" in error.value for error in at.error)


def test_the_dataset_box_chooses_what_the_trials_train_on(app_env):
    at = open_page(SWEEPS)
    box = at.selectbox(key="sweep_dataset")
    assert box.value == "mnist" and box.options == ["MNIST", "Fashion-MNIST"]
    box.set_value("fashion-mnist")
    start_sweep(at, "clothes", trials=1, epochs=1)
    done = wait_for(lambda snapshot: not snapshot.active, timeout=120)
    assert done.status == "finished", done
    run = load_study("clothes", app_env).trials[0].user_attrs["run"]
    assert json.loads((app_env / run / "run.json").read_text())["config"]["dataset"] == "fashion-mnist"  # from its own folder


def test_the_form_can_vary_the_design_of_a_base_design(app_env):
    state: dict = {}
    sweep_form.init_state(state)
    state.update({"sweep_vary": ["kernel", "depth"], "sweep_design": " c4-max,c8-max,fc10 ", "sweep_depth": (2, 3), "sweep_kernels": [5, 1]})
    settings = sweep_form.build_request(state).settings
    assert settings.space.vary == ("depth", "kernel") and settings.space.depth == (2, 3) and settings.space.kernels == (1, 5)
    assert settings.design == "c4-max,c8-max,fc10"


def test_a_design_sweep_from_the_page_lists_each_trials_design(app_env):
    at = open_page(SWEEPS)
    at.text_input(key="sweep_design").set_value("c4-max,c8-max,fc99").run()
    assert any("fc10" in error.value for error in at.error) and at.button(key="sweep_start").disabled  # fashion and digits: 10 classes
    at.text_input(key="sweep_design").set_value("c4-max,c8-max,fc10")
    at.text_input(key="sweep_study").set_value("shapes")
    at.multiselect(key="sweep_vary").set_value(["depth", "kernel"]).run()  # their ranges are enabled
    at.slider(key="sweep_depth").set_value((1, 3))
    at.number_input(key="sweep_trials").set_value(2)
    at.number_input(key="sweep_epochs").set_value(1)
    at.number_input(key="sweep_max_batches").set_value(1).run()
    assert not at.error
    at.button(key="sweep_start").click().run()
    done = wait_for(lambda snapshot: not snapshot.active, timeout=120)
    assert done.status == "finished", done
    at.run()
    table = at.dataframe[0].value
    study = load_study("shapes", app_env)
    assert list(table["design"]) == [trial.user_attrs["design"] for trial in study.trials]
    for trial, design in zip(study.trials, table["design"]):
        assert len(design.split(",")) == trial.params["depth"] + 1 and {"depth", "kernel"} == set(trial.params)

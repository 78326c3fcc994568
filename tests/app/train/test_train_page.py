"""Train page: the form builds the right TrainConfig, presets fill it, the layer table follows the model,
Start and Stop drive the one background job, and a second Start is refused."""
from __future__ import annotations

import pytest

from core.training.config import ConfigError, TrainConfig
from core.training.models import build_model, named_design, parameter_count
from core.training.walk import walk
from core.training.presets import PRESETS
from tests.app.conftest import add_damaged_run, add_run, open_page, registry, wait_for
from ui.train import design_form, form as train_form
from ui.train.form import WIDGETS

TRAIN = "pages/1_Train.py"


# the form as plain data


def test_a_fresh_form_is_the_lectures_config():
    state: dict = {}
    train_form.init_state(state)
    assert train_form.build_config(state) == TrainConfig()


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_fills_the_form_with_its_config_hidden_fields_included(preset):
    state: dict = {}
    train_form.init_state(state)
    state[train_form.PRESET_KEY] = preset
    train_form.apply_preset(state)
    assert train_form.build_config(state) == PRESETS[preset]


def test_widgets_override_the_preset_but_keep_its_hidden_schedule():
    state: dict = {}
    train_form.init_state(state)
    train_form.apply_preset(state, "fast")
    state.update({WIDGETS["epochs"]: 3.0, WIDGETS["optimizer"]: "sgd"})  # number_input may hand back floats
    config = train_form.build_config(state)
    assert (config.epochs, config.optimizer, config.schedule, config.model) == (3, "sgd", "onecycle", "fast_cnn")
    assert train_form.hidden_settings(config) == {"schedule": "onecycle"}


def test_a_bad_value_raises_the_config_sentence():
    state: dict = {}
    train_form.init_state(state)
    train_form.apply_preset(state, "lecture-deep")
    state[design_form.hidden_key(1, "dropout")] = 1.0
    with pytest.raises(ConfigError, match="hidden layer 1: dropout must be"):
        train_form.build_config(state)


def test_the_learning_rate_scale_is_logarithmic_and_holds_the_lectures_rate():
    choices = train_form.LR_CHOICES
    assert choices[0] == pytest.approx(1e-5) and choices[-1] == pytest.approx(0.1)
    assert 0.001 in choices and list(choices) == sorted(choices)
    assert train_form.nearest_lr(0.0011) == 0.001 and train_form.nearest_lr(3e-3) == 0.002


def test_the_layer_table_and_pooling_story_come_from_the_real_shapes():
    rows = walk(named_design("cnn"))
    table = train_form.layer_table(rows)
    assert sum(row["parameters"] for row in table) == parameter_count(build_model("cnn"))
    assert table[0]["layer"] == "ImgIn shape=(?, 28, 28, 1)" and table[-1]["layer"] == "FC -> (?, 10)"
    assert [row["layer"].split(" ")[0] for row in table[1:4]] == ["Conv", "ReLU", "Pool"]  # never the trainer's pool-first order
    assert "28 → 14 → 7 pixels" in train_form.pooling_story(rows) and "3,136" in train_form.pooling_story(rows)
    assert "28 → 14 → 7 → 4" in train_form.pooling_story(walk(named_design("deep_cnn")))


# the page


def caption_text(at) -> str:
    return "\n".join(caption.value for caption in at.caption)


@pytest.mark.parametrize("runs", ["none", "one", "damaged"])
def test_the_page_renders_with_any_runs_folder(app_env, saved_runs, runs):
    if runs == "one":
        add_run(app_env, saved_runs, as_name="good-run")
    if runs == "damaged":
        add_damaged_run(app_env, saved_runs)
    at = open_page(TRAIN)
    assert not at.exception
    assert at.selectbox(key=WIDGETS["model"]).value == "cnn"
    assert at.select_slider(key=WIDGETS["lr"]).value == 0.001
    assert "50,186 parameters in total" in caption_text(at)
    assert at.slider(key=design_form.HIDDEN_KEY).value == 0  # the basic CNN has no hidden layer, so no dropout


def test_the_layer_table_follows_the_model_before_launch(app_env):
    at = open_page(TRAIN)
    at.selectbox(key=WIDGETS["model"]).set_value("deep_cnn").run()
    assert "1,379,557 parameters in total" in caption_text(at)
    assert "28 → 14 → 7 → 4" in caption_text(at)
    assert at.slider(key=design_form.hidden_key(1, "dropout")).value == 0.5  # its hidden layer's dropout
    assert registry().snapshot().status == "idle"  # nothing starts until Start


def test_the_widgets_build_the_config_that_start_launches(app_env):
    at = open_page(TRAIN)
    at.selectbox(key=WIDGETS["model"]).set_value("deep_cnn").run()  # brings its hidden layer and its dropout slider
    at.selectbox(key=WIDGETS["dataset"]).set_value("fashion-mnist")
    at.select_slider(key=WIDGETS["lr"]).set_value(0.0002)
    at.slider(key=WIDGETS["epochs"]).set_value(3)
    at.select_slider(key=WIDGETS["batch_size"]).set_value(64)
    at.number_input(key=WIDGETS["seed"]).set_value(1)
    at.slider(key=design_form.hidden_key(1, "dropout")).set_value(0.3)
    at.selectbox(key=WIDGETS["optimizer"]).set_value("adamw")
    at.selectbox(key=WIDGETS["augment"]).set_value("strong")
    at.button(key="train_start").click().run()
    assert not at.exception
    expected = TrainConfig(model="deep_cnn", dataset="fashion-mnist", lr=0.0002, epochs=3, batch_size=64, seed=1,
                           dropout=0.3, optimizer="adamw", augment="strong")
    assert registry().snapshot().config == expected
    running = wait_for(lambda snapshot: snapshot.status != "loading")
    assert running.status in ("running", "finished") and running.run_name.startswith("deep_cnn-fashion-mnist-")


def test_epochs_and_batch_size_are_sliders_and_the_seed_takes_an_exact_value(app_env):
    at = open_page(TRAIN)
    epochs, batch = at.slider(key=WIDGETS["epochs"]), at.select_slider(key=WIDGETS["batch_size"])
    assert (epochs.min, epochs.max, epochs.value) == (1, 50, 15)
    assert batch.options[0] == "16" and batch.options[-1] == "1024" and batch.value == 100
    assert at.number_input(key=WIDGETS["seed"]).value == 777
    assert [n.key for n in at.number_input] == [WIDGETS["seed"]]  # epochs and batch size are no number boxes


def test_the_fast_preset_trains_to_the_end_and_offers_the_other_pages(app_env):
    at = open_page(TRAIN)
    at.selectbox(key=train_form.PRESET_KEY).set_value("fast").run()
    assert at.selectbox(key=WIDGETS["model"]).value == "fast_cnn"
    assert "schedule onecycle" in caption_text(at)
    at.button(key="train_start").click().run()
    assert registry().snapshot().config == PRESETS["fast"]
    final = wait_for(lambda snapshot: snapshot.status == "finished")
    at.run()
    assert not at.exception
    assert f"test accuracy {final.test_accuracy:.2%}" in at.success[0].value
    at.button(key="train_open_mistakes").click().run()
    assert at.session_state["chosen_run"] == final.run_name


def test_start_shows_live_progress_a_second_start_is_refused_and_stop_ends_it(app_env):
    at = open_page(TRAIN)
    at.slider(key=WIDGETS["epochs"]).set_value(50)
    at.select_slider(key=WIDGETS["batch_size"]).set_value(16)
    at.button(key="train_start").click().run()
    running = wait_for(lambda snapshot: snapshot.status == "running" and snapshot.batch > 0)
    at.run()
    assert not at.exception
    assert at.get("progress") and "Epoch" in at.get("progress")[0].proto.text
    at.button(key="train_start").click().run()
    assert any(running.run_name in error.value and "still running" in error.value for error in at.error)
    assert registry().snapshot().job_id == running.job_id
    at.button(key="train_stop").click().run()
    assert registry().snapshot().stopping or not registry().snapshot().active
    final = wait_for(lambda snapshot: not snapshot.active)
    assert final.status == "stopped" and len(final.history) < 50
    at.run()
    assert not at.exception and not at.button(key="train_start").disabled
    assert any("stopped" in info.value for info in at.info)

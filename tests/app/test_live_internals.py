"""The internals on the pages: the Train page's live panel (pause, step, resume), a finished run and an
old run replayed on Runs, and the learning-rate finder's Use it."""
from __future__ import annotations

from core.runs import telemetry_file
from core.training.config import TrainConfig
from tests.app.conftest import add_run, open_page, registry, wait_for
from ui.train import form

TRAIN, RUNS = "pages/1_Train.py", "pages/2_Runs.py"
LONG = TrainConfig(epochs=50, batch_size=16, max_batches=4)


def texts(at) -> str:
    return "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown] + [i.value for i in at.info])


def test_the_live_panel_shows_the_internals_and_pauses_steps_and_resumes(app_env, tiny_mnist_dir):
    registry().start(LONG, tiny_mnist_dir, app_env, device="cpu")
    wait_for(lambda s: len(s.records) >= 2)
    at = open_page(TRAIN)
    assert not at.exception
    page = texts(at)
    assert "Probe digits and the network's guesses now" in page and ("✓" in page or "✗" in page)
    assert "Recorded at batch" in page
    assert len(at.get("plotly_chart")) >= 6  # cost, filters, gradients, updates, dead units, distribution
    at.button(key="train_pause").click().run()
    assert registry().snapshot().paused
    wait_for(lambda s: s.paused)
    at.run()
    assert "Paused after batch" in texts(at)
    at.button(key="train_step").click().run()
    stepped = wait_for(lambda s: s.step_change is not None)
    at.run()
    assert f"What step {stepped.step_change.step} changed" in texts(at)
    [sizes] = [frame.value for frame in at.dataframe if "update size ||dw|| / ||w||" in frame.value.columns]
    assert sizes["layer"].tolist() == ["layer1", "layer2", "fc"]
    now = registry().snapshot()
    assert stepped.step_change.step == (now.epoch - 1) * now.batches + now.batch  # held again after that one batch
    at.button(key="train_resume").click().run()
    assert not registry().snapshot().paused
    at.button(key="train_stop").click().run()
    assert wait_for(lambda s: not s.active).status == "stopped"


def test_a_finished_run_replays_its_internals_with_a_step_slider(app_env, saved_runs):
    add_run(app_env, saved_runs, "run-a")
    at = open_page(RUNS)
    assert not at.exception
    slider = at.select_slider(key="runs_inside_step")
    _, records = telemetry_file.load(app_env / "run-a")
    assert slider.options == [str(r["step"]) for r in records] and len(records) >= 2
    slider.set_value(records[0]["step"]).run()
    assert f"Recorded at batch {records[0]['step']} " in texts(at) and not at.exception


def test_an_old_run_says_not_recorded_in_place_of_each_part(app_env, saved_runs):
    run_dir = add_run(app_env, saved_runs, "run-a", as_name="old-run")
    telemetry_file.path_in(run_dir).unlink()
    at = open_page(RUNS)
    assert not at.exception
    page = texts(at)
    for part in ("Filters", "Probe digits", "Gradients and update sizes", "Dead units", "Weight distributions"):
        assert f"**{part}:** not recorded" in page


def test_the_learning_rate_finder_plots_and_use_it_sets_the_slider(app_env):
    at = open_page(TRAIN)
    at.select_slider(key=form.WIDGETS["batch_size"]).set_value(16).run()
    at.button(key="train_lr_find").click().run()
    final = wait_for(lambda s: s.kind == "lr_find" and not s.active, timeout=120)
    assert final.status == "finished", final.message
    at.run()
    assert not at.exception
    assert "Suggested learning rate" in texts(at)
    at.button(key="train_lr_use").click().run()
    from ui.train.lr_finder import nearest_choice

    assert at.session_state[form.WIDGETS["lr"]] == nearest_choice(final.lr_result.suggestion)
    assert at.select_slider(key=form.WIDGETS["lr"]).value == nearest_choice(final.lr_result.suggestion)

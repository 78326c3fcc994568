"""Step 4, training: the export's training loop beside the lecture's run, started here (the app's one
background job) or opened from the saved runs; its epoch costs beside the costs the lecture printed."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core.lecture import Lecture, cost_comparison
from core.runs import checkpoints
from core.runs.checkpoints import RunInfo
from core.training.jobs import JobBusy
from ui import page_links
from ui.charts import epoch_axis
from ui.i18n import N_, _, ngettext
from ui.resources import job_registry, runs_root

# core.lecture.cost_comparison's columns -> their headers on screen
COLUMNS = {"epoch": N_("epoch"), "lecture cost": N_("lecture cost"), "our cost": N_("our cost"),
           "difference": N_("difference")}
# TrainConfig's fields -> what the page calls them when a run differs from the lecture in them
SETTINGS = {
    "dataset": N_("dataset"), "lr": N_("lr"), "epochs": N_("epochs"), "batch_size": N_("batch_size"),
    "seed": N_("seed"), "optimizer": N_("optimizer"), "momentum": N_("momentum"), "weight_decay": N_("weight_decay"),
    "dropout": N_("dropout"), "schedule": N_("schedule"), "max_batches": N_("max_batches"),
    "validation": N_("validation"), "handwriting": N_("handwriting"), "augment": N_("augment"),
}


def training_step(code: str, lecture: Lecture, key: str) -> RunInfo | None:
    """Draws the step; returns the saved run chosen for the testing step (None when there is none)."""
    st.subheader(_("4. Training"))
    left, right = st.columns(2)
    left.code(code, language="python")
    with right:
        config = lecture.config
        st.write(ngettext("The lecture's settings: Adam, learning rate {lr:g}, {epochs} epoch of batches of "
                          "{batch_size}, seed {seed}.",
                          "The lecture's settings: Adam, learning rate {lr:g}, {epochs} epochs of batches of "
                          "{batch_size}, seed {seed}.", config.epochs)
                 .format(lr=config.lr, epochs=config.epochs, batch_size=config.batch_size, seed=config.seed))
        if st.button(_("Start the lecture's run"), key=f"lecture_start_{key}", type="primary"):
            try:
                job_registry().start(lecture.config, None, runs_root())
            except JobBusy as error:
                st.error(str(error))
        snapshot = job_registry().snapshot()
        if snapshot.active and snapshot.kind == "train" and snapshot.config is not None and snapshot.config.model == key:
            _live(lecture)
        run = _saved_run(key)
        if run is not None:
            st.write(_("Saved run **{name}**, cost per epoch beside the lecture's:").format(name=run.name))
            changed = _changes(lecture, run)
            if changed:
                st.warning(_("This run differs from the lecture's settings ({changes}), so its costs are not the "
                             "lecture's to compare.").format(changes=changed))
            _comparison(lecture, run.meta.get("history", []), f"lecture_costs_{key}")
    page_links.link(page_links.RUNS, _("Compare this run with others on the Runs page"))
    return run


@st.fragment(run_every=1.0)  # only drawn while the lecture's run trains, so an idle page never polls
def _live(lecture: Lecture) -> None:
    snapshot = job_registry().snapshot()
    if not snapshot.active:
        st.rerun()  # it just ended: redraw the page once so the saved run is listed
    st.info(_("Training {run}: epoch {epoch}/{epochs}, batch {batch}/{batches}. The Train page shows it too, "
              "with a Stop button.").format(run=snapshot.run_name, epoch=max(snapshot.epoch, 1), epochs=snapshot.epochs,
                                            batch=snapshot.batch, batches=snapshot.batches))
    if snapshot.history:
        _comparison(lecture, list(snapshot.history), "lecture_live_costs")


def _saved_run(key: str) -> RunInfo | None:
    """A usable saved MNIST run of this network, newest first; None, with a line saying so, when there is none."""
    runs = [run for run in checkpoints.list_runs(runs_root())
            if run.damaged is None and run.config.model == key and run.config.dataset == "mnist"]
    if not runs:
        st.info(_("No saved run of this network yet: start the lecture's run above (or train one on the Train page)."))
        return None
    names = [run.name for run in runs]
    name = st.selectbox(_("Saved run"), names, key=f"lecture_run_{key}")
    return runs[names.index(name)]


def _changes(lecture: Lecture, run: RunInfo) -> str:
    """The settings in which the run differs from the lecture's, e.g. "max_batches 40, epochs 2"; "" when none."""
    theirs, ours = lecture.config.to_dict(), run.config.to_dict()
    return ", ".join(f"{_(SETTINGS[name]) if name in SETTINGS else name} {ours[name]}" for name in theirs
                     if name not in ("model", "design") and ours.get(name) != theirs[name])


def _comparison(lecture: Lecture, history: list[dict], key: str) -> None:
    header = {name: _(title) for name, title in COLUMNS.items()}
    rows = [{header[name]: value for name, value in row.items()} for row in cost_comparison(lecture, history)]
    st.dataframe(rows, hide_index=True, key=key, column_config={
        header["lecture cost"]: st.column_config.NumberColumn(format="%.9f"),
        header["our cost"]: st.column_config.NumberColumn(format="%.9f"),
        header["difference"]: st.column_config.NumberColumn(format="%+.9f"),
    })
    if lecture.costs:
        epochs = ", ".join(_("epoch {epoch}").format(epoch=epoch) for epoch in lecture.costs)
        st.caption(_("The lecture's notebook kept the cost of {epochs} only.").format(epochs=epochs))
    else:
        st.caption(_("The lecture's notebook kept no cost for this network; only its test accuracy."))
    st.plotly_chart(_figure(lecture, history), key=f"{key}_chart")


def _figure(lecture: Lecture, history: list[dict]) -> go.Figure:
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=[e["epoch"] for e in history], y=[e["cost"] for e in history],
                                name=_("our cost"), mode="lines+markers"))
    if lecture.costs:
        figure.add_trace(go.Scatter(x=list(lecture.costs), y=list(lecture.costs.values()), name=_("the lecture's cost"),
                                    mode="markers", marker=dict(size=12, symbol="x")))
    last = max([e["epoch"] for e in history] + list(lecture.costs) + [1])
    figure.update_layout(height=280, margin=dict(l=10, r=10, t=10, b=10), xaxis_title=_("epoch"), yaxis_title=_("cost"),
                         xaxis=epoch_axis(last), legend=dict(orientation="h", y=-0.3))
    return figure

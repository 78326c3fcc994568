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
from ui.resources import job_registry, runs_root


def training_step(code: str, lecture: Lecture, key: str) -> RunInfo | None:
    """Draws the step; returns the saved run chosen for the testing step (None when there is none)."""
    st.subheader("4. Training")
    left, right = st.columns(2)
    left.code(code, language="python")
    with right:
        st.write(f"The lecture's settings: Adam, learning rate {lecture.config.lr:g}, {lecture.config.epochs} epochs "
                 f"of batches of {lecture.config.batch_size}, seed {lecture.config.seed}.")
        if st.button("Start the lecture's run", key=f"lecture_start_{key}", type="primary"):
            try:
                job_registry().start(lecture.config, None, runs_root())
            except JobBusy as error:
                st.error(str(error))
        snapshot = job_registry().snapshot()
        if snapshot.active and snapshot.kind == "train" and snapshot.config is not None and snapshot.config.model == key:
            _live(lecture)
        run = _saved_run(key)
        if run is not None:
            st.write(f"Saved run **{run.name}**, cost per epoch beside the lecture's:")
            changed = _changes(lecture, run)
            if changed:
                st.warning(f"This run differs from the lecture's settings ({changed}), so its costs are not the lecture's to compare.")
            _comparison(lecture, run.meta.get("history", []), f"lecture_costs_{key}")
    page_links.link(page_links.RUNS, "Compare this run with others on the Runs page")
    return run


@st.fragment(run_every=1.0)  # only drawn while the lecture's run trains, so an idle page never polls
def _live(lecture: Lecture) -> None:
    snapshot = job_registry().snapshot()
    if not snapshot.active:
        st.rerun()  # it just ended: redraw the page once so the saved run is listed
    st.info(f"Training {snapshot.run_name}: epoch {max(snapshot.epoch, 1)}/{snapshot.epochs}, "
            f"batch {snapshot.batch}/{snapshot.batches}. The Train page shows it too, with a Stop button.")
    if snapshot.history:
        _comparison(lecture, list(snapshot.history), "lecture_live_costs")


def _saved_run(key: str) -> RunInfo | None:
    """A usable saved MNIST run of this network, newest first; None, with a line saying so, when there is none."""
    runs = [run for run in checkpoints.list_runs(runs_root())
            if run.damaged is None and run.config.model == key and run.config.dataset == "mnist"]
    if not runs:
        st.info("No saved run of this network yet: start the lecture's run above (or train one on the Train page).")
        return None
    names = [run.name for run in runs]
    name = st.selectbox("Saved run", names, key=f"lecture_run_{key}")
    return runs[names.index(name)]


def _changes(lecture: Lecture, run: RunInfo) -> str:
    """The settings in which the run differs from the lecture's, e.g. "max_batches 40, epochs 2"; "" when none."""
    theirs, ours = lecture.config.to_dict(), run.config.to_dict()
    return ", ".join(f"{name} {ours[name]}" for name in theirs if name not in ("model", "design") and ours.get(name) != theirs[name])


def _comparison(lecture: Lecture, history: list[dict], key: str) -> None:
    rows = cost_comparison(lecture, history)
    st.dataframe(rows, hide_index=True, key=key, column_config={
        "lecture cost": st.column_config.NumberColumn(format="%.9f"),
        "our cost": st.column_config.NumberColumn(format="%.9f"),
        "difference": st.column_config.NumberColumn(format="%+.9f"),
    })
    printed = ", ".join(f"epoch {epoch}" for epoch in lecture.costs)
    st.caption(f"The lecture's notebook kept the cost of {printed} only." if lecture.costs
               else "The lecture's notebook kept no cost for this network; only its test accuracy.")
    st.plotly_chart(_figure(lecture, history), key=f"{key}_chart")


def _figure(lecture: Lecture, history: list[dict]) -> go.Figure:
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=[e["epoch"] for e in history], y=[e["cost"] for e in history],
                                name="our cost", mode="lines+markers"))
    if lecture.costs:
        figure.add_trace(go.Scatter(x=list(lecture.costs), y=list(lecture.costs.values()), name="the lecture's cost",
                                    mode="markers", marker=dict(size=12, symbol="x")))
    last = max([e["epoch"] for e in history] + list(lecture.costs) + [1])
    figure.update_layout(height=280, margin=dict(l=10, r=10, t=10, b=10), xaxis_title="epoch", yaxis_title="cost",
                         xaxis=epoch_axis(last), legend=dict(orientation="h", y=-0.3))
    return figure

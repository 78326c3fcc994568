"""Robustness on the Runs page: a column (PGD accuracy at eps 0.1) the runs table merges, and a chart of
accuracy against eps for the runs compared, measured in the background (core.explain.robustness).

    rows = runs_robustness.with_column(rows, runs)     # adds COLUMN to each run's row, from the cache only
    runs_robustness.section(selected_runs)             # the chart, and a button that measures the missing ones
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from core.data.loading import DatasetError
from core.explain import robustness
from core.runs.checkpoints import CheckpointError, RunInfo
from ui import filters_data, resources
from ui.i18n import N_, _

COLUMN = N_("accuracy at eps 0.1, PGD (%)")  # the row's key stays English; the table shows _(COLUMN)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached(run_dir: str, stamp: int) -> robustness.Robustness:
    try:
        found = robustness.cached_robustness(Path(run_dir), resources.run_dataset(Path(run_dir)).test)
    except (CheckpointError, DatasetError):
        found = None
    if found is None:
        raise LookupError("not measured yet")  # raised, so the absence is not cached
    return found


def curve(run: RunInfo) -> robustness.Robustness | None:
    """The run's cached curve, or None while it is not measured."""
    try:
        return _cached(str(run.path), resources.weights_stamp(run.path))
    except LookupError:
        return None


def accuracies(runs: Sequence[RunInfo]) -> dict[str, float | None]:
    """{run name: PGD accuracy at eps 0.1 (%)}, None where not measured yet; nothing is computed here."""
    found = {run.name: curve(run) for run in runs if not run.damaged}
    return {name: None if value is None else round(100 * value.at(0.1)["pgd"], 1) for name, value in found.items()}


def with_column(rows: list[dict[str, Any]], runs: Sequence[RunInfo]) -> list[dict[str, Any]]:
    """The table's rows with COLUMN added before "problem"."""
    values = accuracies(runs)
    merged = []
    for row in rows:
        problem = row.get("problem")
        row = {key: value for key, value in row.items() if key != "problem"}
        merged.append({**row, COLUMN: values.get(row["name"]), "problem": problem})
    return merged


def figure(curves: dict[str, robustness.Robustness]) -> go.Figure:
    hover = _("%{fullData.name}: %{y:.1%} at eps %{x}") + "<extra></extra>"  # the trace's name: run · method
    data = []
    for name, found in curves.items():
        for method, dash in (("pgd", "solid"), ("fgsm", "dot")):
            data.append({"type": "scatter", "x": list(found.epsilons), "y": list(found.accuracy[method]), "mode": "lines+markers",
                         "name": f"{name} · {method.upper()}", "line": {"dash": dash},
                         "hovertemplate": hover})
    layout = {"xaxis": {"title": {"text": _("eps (pixels run 0 to 1)")}},
              "yaxis": {"title": {"text": _("test accuracy")}, "range": [0, 1.02], "tickformat": ".0%"},
              "height": 340, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}}
    return go.Figure({"data": data, "layout": layout})


def _request(run: RunInfo) -> None:
    test = resources.run_dataset(run.path).test
    work = lambda progress, stop: robustness.robustness(run.path, test, progress=progress, stop=stop)  # noqa: E731
    filters_data.explain_jobs().request(("robustness", str(run.path), resources.weights_stamp(run.path)), work)


def section(runs: Sequence[RunInfo]) -> None:
    """Accuracy against eps for `runs`, FGSM dotted and PGD solid; the missing ones measured on request."""
    st.subheader(_("How easily is it fooled?"))
    st.caption(_("Test accuracy on the first {images:,} test images when each is attacked (FGSM, PGD) "
                 "by at most eps per pixel.").format(images=robustness.IMAGES))
    curves = {run.name: curve(run) for run in runs}
    missing = [run for run in runs if curves[run.name] is None]
    names = ", ".join(run.name for run in missing)
    if missing and st.button(_("Measure robustness of {runs}").format(runs=names), key="runs_robustness_measure"):
        for run in missing:
            _request(run)
    keys = [("robustness", str(run.path), resources.weights_stamp(run.path)) for run in missing]
    jobs = filters_data.explain_jobs()
    if any(jobs.status(key).active for key in keys):
        @st.fragment(run_every=1.0)
        def watch() -> None:
            states = [jobs.status(key) for key in keys]
            if not any(state.active for state in states):
                st.rerun()
            share = sum(state.progress if state.status != "done" else 1.0 for state in states) / len(states)
            message = next((state.message for state in states if state.active), "")  # core's words, in English
            st.progress(min(1.0, share), text=_("Attacking in the background: {message}").format(message=message))
        watch()
    for key in keys:
        if jobs.status(key).status == "failed":
            st.error(jobs.status(key).message)
    shown = {name: value for name, value in curves.items() if value is not None}
    if shown:
        st.plotly_chart(figure(shown), key="runs_robustness_chart")

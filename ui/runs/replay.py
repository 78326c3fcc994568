"""Replay a saved run's recorded internals on the Runs page, with a step slider.

Runs trained before recording began show "not recorded" in place of each part.
"""
from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.runs import telemetry_file
from core.runs.checkpoints import RunInfo
from core.training.readings import read
from ui import internals_view
from ui.i18n import _


def section(runs: Sequence[RunInfo]) -> None:
    """Pick one of the compared runs, then a recorded step; every view of the live panel at that step."""
    if not runs:
        return
    st.subheader(_("Inside the network, replayed"))
    names = [run.name for run in runs]
    name = st.selectbox(_("Run"), names, key="runs_inside_run") if len(names) > 1 else names[0]
    run = runs[names.index(name)]
    try:
        loaded = telemetry_file.load(run.path)
    except telemetry_file.TelemetryError as error:
        st.warning(f"{run.name}: {error}")
        return
    header, records = loaded if loaded else (None, [])
    dataset = run.meta.get("config", {}).get("dataset", "mnist")
    if not records:
        internals_view.show(header, records, [], "runs_inside", dataset=dataset)
        return
    steps = [record["step"] for record in records]
    step = st.select_slider(_("Step (batch)"), options=steps, value=steps[-1], key="runs_inside_step",
                            help=_("Every recorded batch of the run; the views show the network as it was then."))
    index = steps.index(step)
    costs = [cost for epoch in run.meta.get("history", []) for cost in epoch.get("batch_costs", [])][:step]
    internals_view.show(header, records, read(records[: index + 1], costs), "runs_inside", upto=index, dataset=dataset)

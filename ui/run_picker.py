"""Which saved run the Mistakes and Draw pages use: the chosen one, else a select box of usable runs,
with a line saying what network the run is."""
from __future__ import annotations

import streamlit as st

from core.runs import checkpoints
from core.runs.checkpoints import RunInfo
from core.data.datasets import get
from core.training.design import Design
from core.training.design_text import format_design
from core.training.walk import totals
from ui import page_links, resources
from ui.i18n import _, ngettext


def _label(run: RunInfo) -> str:
    accuracy = run.meta.get("metrics", {}).get("test_accuracy")
    dataset = get(run.config.dataset).title
    if accuracy is None:
        return f"{run.name} · {dataset}"
    return _("{run} · {dataset} · {accuracy:.2%} test accuracy").format(run=run.name, dataset=dataset, accuracy=accuracy)


def design_caption(design: Design) -> str:
    """The run's network in a line: its design's text, then its blocks, head and hidden layers counted."""
    blocks, hidden = len(design.blocks), len(design.hidden)
    counted = {
        "design": format_design(design),
        "blocks": ngettext("{n} conv block", "{n} conv blocks", blocks).format(n=blocks),
        "hidden": ngettext("{n} hidden layer", "{n} hidden layers", hidden).format(n=hidden),
        "parameters": totals(design).parameters,
    }
    if design.head == "gap":
        return _("Its network: `{design}`: {blocks}, global average pooling, {hidden}; {parameters:,} parameters.").format(**counted)
    return _("Its network: `{design}`: {blocks}, {hidden}; {parameters:,} parameters.").format(**counted)


def _point_to_train(message: str) -> None:
    st.info(message)
    page_links.link(page_links.TRAIN, _("Train a model"))


def pick_run(key: str) -> RunInfo | None:
    """A usable run (newest first), remembered as the chosen run; None, with a message, when there is none."""
    runs = checkpoints.list_runs(resources.runs_root())
    usable = [run for run in runs if run.damaged is None]
    chosen = resources.chosen_run()
    damaged = next((run for run in runs if run.name == chosen and run.damaged), None)
    if damaged is not None:
        st.error(_("The chosen run cannot be used: {reason} Pick another run, or delete it on the Runs page.").format(
            reason=damaged.damaged))
    if not runs:
        _point_to_train(_("There are no saved runs yet. Train a model first, then come back."))
        return None
    if not usable:
        _point_to_train(_("Every saved run is damaged, so there is no model to use. Train a new one."))
        return None
    names = [run.name for run in usable]
    index = names.index(chosen) if chosen in names else 0
    name = st.selectbox(
        _("Run"),
        names,
        index=index,
        format_func=lambda value: _label(usable[names.index(value)]),
        key=f"{key}_run",
        on_change=lambda: resources.choose_run(st.session_state[f"{key}_run"]),
    )
    run = usable[names.index(name)]
    st.caption(design_caption(run.config.design))
    return run

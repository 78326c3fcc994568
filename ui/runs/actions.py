"""The Runs page's actions: choose the run the other pages use, and delete a run after confirming."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from core.runs import checkpoints
from core.runs.checkpoints import RunInfo
from ui.i18n import _
from ui.resources import choose_run, chosen_run, job_registry

CONFIRM_KEY = "runs_confirm_delete"  # the run waiting for "Yes, delete"
NOTICE_KEY = "runs_notice"  # (kind, sentence) left by a callback for this run of the page


def choose_section(usable: Sequence[RunInfo]) -> None:
    """Pick the run the Mistakes and Draw pages use."""
    names = [run.name for run in usable]
    if not names:
        st.info(_("No usable run to choose yet."))
        return
    current = chosen_run()
    index = names.index(current) if current in names else 0
    st.selectbox(_("Run for the Mistakes and Draw pages"), names, index=index, key="runs_choose")
    st.button(_("Use this run"), key="runs_use", on_click=lambda: choose_run(st.session_state["runs_choose"]))
    st.caption(_("In use now: **{name}**").format(name=current) if current
               else _("None chosen yet: the other pages start with the newest usable run."))


def delete_section(runs: Sequence[RunInfo], root: Path) -> None:
    """Delete one run (damaged ones too), only after a second click."""
    st.selectbox(_("Run to delete"), [run.name for run in runs], key="runs_delete_name")
    st.button(_("Delete…"), key="runs_delete", on_click=_ask, args=(st.session_state["runs_delete_name"],))
    pending = st.session_state.get(CONFIRM_KEY)
    if pending:
        st.warning(_("Delete **{name}** and its weights for good? This cannot be undone.").format(name=pending))
        yes, no = st.columns(2)
        yes.button(_("Yes, delete"), key="runs_delete_yes", type="primary", on_click=_delete, args=(root, pending))
        no.button(_("Cancel"), key="runs_delete_no", on_click=_ask, args=(None,))


def show_notice() -> None:
    """The sentence a callback left (deleted, refused), shown once."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        kind, sentence = notice
        getattr(st, kind)(sentence)


def _ask(name: str | None) -> None:
    st.session_state[CONFIRM_KEY] = name


def _delete(root: Path, name: str) -> None:
    st.session_state[CONFIRM_KEY] = None
    job = job_registry().snapshot()
    if job.active and job.run_name == name:
        st.session_state[NOTICE_KEY] = ("error", _("{name} is training right now; stop it on the Train page first.").format(name=name))
        return
    try:
        checkpoints.delete_run(root, name)
    except checkpoints.CheckpointError as error:
        st.session_state[NOTICE_KEY] = ("error", str(error))
        return
    if chosen_run() == name:
        choose_run(None)
    st.session_state[NOTICE_KEY] = ("success", _("Deleted {name}.").format(name=name))

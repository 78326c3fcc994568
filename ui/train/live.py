"""The Train page's live look inside a running job: pause, step one batch, resume, and the recorded internals.

train_view.job_panel calls `controls` beside Stop and `internals` inside its once-a-second fragment,
so the filters, probe digits and charts refresh with the cost curve.
"""
from __future__ import annotations

import streamlit as st

from core.training.jobs import JobRegistry, JobSnapshot
from ui import internals_view
from ui.i18n import _


def controls(registry: JobRegistry, snapshot: JobSnapshot) -> None:
    """Pause or Resume, and Step one batch while paused; outside the fragment, so a click is never lost."""
    pause, step, _room = st.columns([1, 1, 4])
    if snapshot.paused:
        pause.button(_("Resume"), key="train_resume", on_click=registry.resume, help=_("Carry on training."))
        step.button(_("Step one batch"), key="train_step", on_click=registry.step,
                    help=_("Train exactly one batch, then hold again and show what it changed."))
    else:
        pause.button(_("Pause"), key="train_pause", on_click=registry.pause,
                     help=_("Hold the run after the current batch, without ending it."))


def internals(snapshot: JobSnapshot) -> None:
    """What the network looks like inside now, and (while paused) what the last single step changed."""
    if snapshot.paused:
        st.info(_("Paused after batch {batch} of epoch {epoch}. Step one batch to see what a single update does, "
                  "or resume.").format(batch=snapshot.batch, epoch=max(snapshot.epoch, 1)))
        if snapshot.step_change is not None:
            internals_view.step_change(snapshot.step_change)
    with st.expander(_("Inside the network, live"), expanded=True):
        dataset = snapshot.config.dataset if snapshot.config else "mnist"
        internals_view.show(snapshot.telemetry_header, snapshot.records, snapshot.readings, "train_live", dataset=dataset)

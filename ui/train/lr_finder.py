"""The Train page's learning-rate finder: start it, watch its progress, read its plot, use its suggestion.

It runs as the app's one background job (core.training.jobs.start_lr_find), on a throwaway copy of the
design and settings chosen above; nothing is saved and no run changes.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st

from core.training.config import TrainConfig
from core.training.jobs import JobBusy
from ui.i18n import _
from ui.train import form
from ui.resources import job_registry




def section(config: TrainConfig | None) -> None:
    """The finder's button, then its progress while it runs or its result once it has ended."""
    st.subheader(_("Find a learning rate"))
    st.caption(_("A range test: about 100 batches on a throwaway copy of this design, the rate growing from "
                 "1e-7 to 10. The cost falls fastest near a good rate."))
    if st.button(_("Find a learning rate"), key="train_lr_find", disabled=config is None):
        try:
            job_registry().start_lr_find(config, None)
        except JobBusy as error:
            st.error(str(error))
    snapshot = job_registry().snapshot()
    if snapshot.kind != "lr_find":
        return
    if snapshot.active:
        _progress()
    elif snapshot.lr_result is not None and snapshot.lr_result.lrs:
        _result(snapshot.lr_result)
    else:
        st.error(snapshot.message or _("The finder stopped before it tried any rate."))


@st.fragment(run_every=1.0)
def _progress() -> None:
    snapshot = job_registry().snapshot()
    if not snapshot.active:
        st.rerun()
    st.progress(min(1.0, snapshot.batch / max(1, snapshot.batches)),
                text=_("Trying rate after rate: batch {batch}/{batches}").format(batch=snapshot.batch, batches=snapshot.batches))


def _result(result) -> None:
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=result.lrs, y=result.costs, name=_("cost per batch"), mode="lines", opacity=0.3))
    figure.add_trace(go.Scatter(x=result.lrs, y=result.smoothed, name=_("smoothed cost"), mode="lines"))
    figure.add_vline(x=result.suggestion, line_dash="dash", line_color="#d62728",
                     annotation_text=_("suggested {rate:.2g}").format(rate=result.suggestion))
    figure.update_xaxes(type="log", title=_("learning rate"))
    figure.update_yaxes(title=_("cost"))
    figure.update_layout(height=320, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.3))
    st.plotly_chart(figure, key="train_lr_plot")
    nearest = nearest_choice(result.suggestion)
    rule = _(result.rule)
    st.markdown(_("**Suggested learning rate: {rate:.3g}** ({rule}; {batches} batches in {seconds:.1f} s). "
                  "The slider's nearest setting is {nearest:g}.").format(
        rate=result.suggestion, rule=rule, batches=len(result.lrs), seconds=result.seconds, nearest=nearest))
    st.button(_("Use it"), key="train_lr_use", on_click=use_rate, args=(nearest,),
              help=_("Sets the learning-rate slider above."))


def nearest_choice(lr: float) -> float:
    """The learning-rate slider's setting closest to `lr` on a log scale."""
    return min(form.LR_CHOICES, key=lambda choice: abs(math.log10(choice) - math.log10(lr)))


def use_rate(lr: float) -> None:
    st.session_state[form.WIDGETS["lr"]] = lr

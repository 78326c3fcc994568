"""Sweeps page: let Optuna try many settings, watch the trials arrive, and see which settings matter.

A sweep is the app's one background job (core.training.jobs): this server becomes one worker of the study,
and `python -m core.sweep --study <name>` on any machine adds more.
"""
import streamlit as st

from core.training.jobs import JobBusy
from ui import page_links
from ui.i18n import _
from ui.sweeps import form, view
from ui.resources import job_registry, runs_root

page_links.configure(page_links.SWEEPS)
st.title(_("Sweeps"))
st.write(_("Many runs, chosen by Optuna, answer the question \"which settings matter?\". Each trial is a normal run."))
st.info(_("Trials are scored on 5,000 training images held out as a validation split, never on the test set; "
          "each trial's test accuracy is shown, not optimised."))

form.init_state(st.session_state)
form.form()
try:
    request = form.build_request(st.session_state)
except ValueError as error:
    request = None
    st.error(str(error))

if st.button(_("Start sweep"), key="sweep_start", type="primary", disabled=request is None):
    try:
        job_registry().start_sweep(request, None, runs_root())  # each dataset finds its own folder
    except JobBusy as error:
        st.error(str(error))

st.caption(view.study_path_note(runs_root()))
view.job_panel(st.session_state["sweep_study"])

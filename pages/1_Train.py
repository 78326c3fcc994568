"""Train page: start from a preset or a named network, design your own with sliders, see its layers,
picture and cost per epoch, train it in the background, watch it learn.

Training runs in core.training.jobs' background thread, so it carries on while you switch pages,
reload, or open a second tab; every tab shows the same job.
"""
import streamlit as st

from core.training.jobs import JobBusy
from ui import page_links
from ui.i18n import _
from ui.train import designer, form, view
from ui.resources import job_registry, runs_root

page_links.configure(page_links.TRAIN)
st.title(_("Train a CNN"))
st.write(_("Start from the lecture's settings, a preset or a named network, change what you like, and watch the cost fall."))

state = st.session_state
form.init_state(state)
form.sync_model(state)  # before the Model box is drawn: the design's name, or custom
view.hyperparameter_form()
picture_place = designer.designer()
form.remember(state)
config, problem = form.checked_config(state)
if config is not None:
    hidden = form.hidden_settings(config)
    if hidden:
        st.caption(_("Also from the preset: {settings}.").format(settings=form.hidden_text(hidden)))
    with picture_place:
        designer.picture(config.design)
    designer.layer_table(config.design)
    designer.totals_line(config)
if problem:
    st.error(problem)

if st.button(_("Start training"), key="train_start", type="primary", disabled=problem is not None):
    try:
        job_registry().start(config, None, runs_root())  # each dataset finds its own folder
    except JobBusy as error:
        st.error(str(error))

view.job_panel()

from ui.train import lr_finder  # noqa: E402 (after the job panel: the finder is the page's last part)

lr_finder.section(config)

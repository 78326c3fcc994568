"""Train page: choose hyperparameters or a preset, see the network's layers, train in the background, watch it learn.

Training runs in core.training.jobs' background thread, so it carries on while you switch pages,
reload, or open a second tab; every tab shows the same job.
"""
import streamlit as st

from core.training.config import ConfigError
from core.training.jobs import JobBusy
from ui import page_links, train_form, train_view
from ui.resources import job_registry, runs_root

page_links.configure(page_links.TRAIN)
st.title("Train a CNN")
st.write("Start from the lecture's settings or a preset, change what you like, and watch the cost fall.")

train_form.init_state(st.session_state)
train_view.hyperparameter_form()
train_form.remember(st.session_state)
try:
    config = train_form.build_config(st.session_state)
except ConfigError as error:
    config = None
    st.error(str(error))

if config is not None:
    hidden = train_form.hidden_settings(config)
    if hidden:
        st.caption("Also from the preset: " + ", ".join(f"{name} {value}" for name, value in hidden.items()) + ".")
    with st.expander(f"Layers of {config.model}: output shape and parameters", expanded=True):
        train_view.layer_summary(config.design)

if st.button("Start training", key="train_start", type="primary", disabled=config is None):
    try:
        job_registry().start(config, None, runs_root())  # each dataset finds its own folder
    except JobBusy as error:
        st.error(str(error))

train_view.job_panel()

from ui import lr_finder_view  # noqa: E402 (after the job panel: the finder is the page's last part)

lr_finder_view.section(config)

"""Lecture page: the lecture's notebook step by step (data, layers, model, training, testing), each step's
plain PyTorch code from this project's export beside its live result; then the deeper CNN, the same steps.

Numbered 0 so it sorts right after Home; ui/page_links.py lists it first after Home in the sidebar.
"""
import streamlit as st

from core.lecture import LECTURES
from ui import page_links
from ui.i18n import _, titled
from ui.lecture import compute, title
from ui.lecture.data_step import data_step, load
from ui.lecture.layers_step import layers_step, model_step
from ui.lecture.testing_step import testing_step
from ui.lecture.training_step import training_step

page_links.configure(page_links.LECTURE)
st.title(_("The lecture, step by step"))
st.write(_("The lecture's notebook loads MNIST, defines a CNN, traces its shapes 28 -> 14 -> 7, trains 15 epochs "
           "printing the cost, and tests it. Each step below shows this project's own plain PyTorch code for it "
           "(the notebook `python -m core.export` writes) beside what it does, live."))

key = st.segmented_control(_("Network"), list(LECTURES), default="cnn", format_func=titled({name: lecture.title for name, lecture in LECTURES.items()}),
                           key="lecture_network", required=True)
lecture = LECTURES[key]
code = compute.code(key)

data_step(code["data"], load())
layers_step(code["layers"], lecture.config.design, key)
model_step(code["model"], lecture.config.design)
run = training_step(code["training"], lecture, key)
testing_step(code["testing"], lecture, run, key)
if key == "cnn":
    st.info(_("For more deep: choose **{title}** at the top for the same steps with three conv blocks and dropout.")
            .format(title=title(LECTURES["deep_cnn"])))

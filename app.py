"""MNIST CNN Studio, home page: what this is, whether MNIST is here, the device, the latest runs.

Run:  streamlit run app.py        (set MNIST_DATA_DIR / MNIST_CHECKPOINT_DIR to use other folders)
The numbered files in pages/ are the other pages; Streamlit lists them in the sidebar.
"""
from pathlib import Path

import streamlit as st

from core import checkpoints
from core.trainer import resolve_device
from ui import page_links, runs_table
from ui.dataset_status import dataset_status
from ui.resources import runs_root

APP_DIR = Path(__file__).resolve().parent

st.set_page_config(page_title="MNIST CNN Studio", page_icon=":material/neurology:", layout="wide")
st.title("MNIST CNN Studio")
st.write(
    "Train the lecture's convolutional networks on MNIST's handwritten digits and watch the cost fall as they learn. "
    "Then study the digits a trained network gets wrong, and test it on digits you draw yourself."
)

st.subheader("Data set")
dataset_status()

st.subheader("Device")
device = resolve_device("auto")
st.write(f"Training runs on **{device}**" + ("." if device.type == "cuda" else " (no CUDA GPU found)."))

st.subheader("Latest runs")
runs = checkpoints.list_runs(runs_root())
if runs:
    st.dataframe(runs_table.latest(runs), hide_index=True, key="home_runs")
else:
    st.info(f"No saved runs in `{runs_root()}` yet. Train one on the Train page.")

st.subheader("Pages")
for page in page_links.PAGES:
    if (APP_DIR / page).is_file():  # the page links need their files; a missing one is left out, not an error
        page_links.link(page)

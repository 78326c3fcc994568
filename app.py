"""MNIST CNN Studio, home page: what this is, which datasets are here, the device, the latest runs.

Run:  streamlit run app.py        (MNIST_DATA_DIR, FASHION_MNIST_DATA_DIR, MNIST_CHECKPOINT_DIR pick other folders)
The numbered files in pages/ are the other pages; ui/page_links.py lists them in the sidebar.
"""
import streamlit as st

from core.runs import checkpoints
from core.training.trainer import resolve_device
from ui import page_links, runs_table
from ui.home.dataset_status import dataset_status
from ui.resources import runs_root

page_links.configure(page_links.HOME)
st.title("MNIST CNN Studio")
st.write(
    "Train the lecture's convolutional networks on MNIST's handwritten digits and watch the cost fall as they learn. "
    "Then study the digits a trained network gets wrong, and test it on digits you draw yourself. "
    "For a harder test of what the same networks learn, train them on Fashion-MNIST's clothing images."
)

st.subheader("Datasets")
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
for page in page_links.present():
    if page != page_links.HOME:
        page_links.link(page)

"""MNIST CNN Studio, home page: what this is, which datasets are here, the device, the latest runs.

Run:  streamlit run app.py        (MNIST_DATA_DIR, FASHION_MNIST_DATA_DIR, MNIST_CHECKPOINT_DIR pick other folders)
The numbered files in pages/ are the other pages; ui/page_links.py lists them in the sidebar.
"""
import streamlit as st

from core.runs import checkpoints
from core.training.trainer import resolve_device
from ui import page_links, runs_table
from ui.home.dataset_status import dataset_status
from ui.i18n import _
from ui.resources import runs_root

page_links.configure(page_links.HOME)
st.title("MNIST CNN Studio")  # i18n: not words
st.write(_(
    "Train the lecture's convolutional networks on MNIST's handwritten digits and watch the cost fall as they learn. "
    "Then study the digits a trained network gets wrong, and test it on digits you draw yourself. "
    "For a harder test of what the same networks learn, train them on Fashion-MNIST's clothing images."
))

st.subheader(_("Datasets"))
dataset_status()

st.subheader(_("Device"))
device = resolve_device("auto")
if device.type == "cuda":
    st.write(_("Training runs on **{device}**.").format(device=device))
else:
    st.write(_("Training runs on **{device}** (no CUDA GPU found).").format(device=device))

st.subheader(_("Latest runs"))
runs = checkpoints.list_runs(runs_root())
if runs:
    st.dataframe(runs_table.latest(runs), hide_index=True, key="home_runs")
else:
    st.info(_("No saved runs in `{folder}` yet. Train one on the Train page.").format(folder=runs_root()))

st.subheader(_("Pages"))
for page in page_links.present():
    if page != page_links.HOME:
        page_links.link(page)

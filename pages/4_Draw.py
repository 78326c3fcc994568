"""Draw: write a digit with the mouse and watch a saved run read it, live; save it to your own handwriting set."""
import streamlit as st

from core.data import datasets
from core.runs.checkpoints import CheckpointError
from ui import page_links, resources
from ui.draw import view
from ui.handwriting_scores import reads_digits
from ui.i18n import _
from ui.run_picker import pick_run

page_links.configure(page_links.DRAW)
st.title(_("Draw a digit"))

run = pick_run("draw")
if run is None:
    st.stop()
if not reads_digits(run):
    dataset = run.meta["config"]["dataset"]
    title = datasets.DATASETS[dataset].title if dataset in datasets.DATASETS else dataset
    st.info(_("{run} was trained on {dataset}, not on digits, so it cannot read a drawn digit. "
              "Pick a run trained on MNIST.").format(run=run.name, dataset=title))
    st.stop()
try:
    model = resources.model(str(run.path), resources.weights_stamp(run.path))
except CheckpointError as error:
    st.error(_("{error} Pick another run, or delete this one on the Runs page.").format(error=error))
    st.stop()

view.drawing_area(run.path, model)

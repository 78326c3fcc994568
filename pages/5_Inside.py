"""Inside: one image through one epoch of a run: feature maps, filters, scores, attributions, every epoch."""
import streamlit as st

from core.runs.checkpoints import CheckpointError
from core.data import datasets
from core.explain.feature_maps import layer_names
from ui import inside_state, page_links
from ui.inside import compute, sections
from ui.inside import attack
from ui.run_picker import pick_run

page_links.configure(page_links.INSIDE)
st.title("Inside the network")
inside_state.arrive()

run = pick_run("inside")
if run is None:
    st.stop()
spec = datasets.get(run.config.dataset)
names = spec.classes
image, caption = sections.choose_image(run, names)
try:
    choices = compute.choices(run.path)
except CheckpointError as error:
    st.error(f"{error} Pick another run.")
    st.stop()
choice = sections.choose_epoch(choices)
history = compute.history(run.path, image)
if choice.problem is not None:
    st.warning(f"Epoch {choice.epoch} cannot be shown: {choice.problem}")
    sections.every_epoch(history, names, choice.epoch)
    st.stop()

try:
    layers = layer_names(compute.model(run.path, choice))
except CheckpointError as error:
    st.warning(f"Epoch {choice.epoch} cannot be shown: {error}")
    st.stop()
class_column, layer_column, range_column = st.columns(3)
target = class_column.selectbox(
    "Explain the class", [None, *range(len(names))], key="inside_class",
    format_func=lambda label: "the predicted one" if label is None else names[label],
)
layer = layer_column.selectbox("Grad-CAM layer", [name for name, _ in layers], index=len(layers) - 1,
                               format_func=dict(layers).get, key="inside_layer")
per_channel = range_column.toggle("Colour range per channel", key="inside_per_channel")
found = compute.inspection(run.path, choice, image, target, layer)

sections.image_and_scores(image, caption, found, spec)
sections.every_epoch(history, names, choice.epoch)
sections.feature_maps(found, per_channel)
sections.attributions(image, found, names)
attack.panel(run, choice, image, spec, layer)

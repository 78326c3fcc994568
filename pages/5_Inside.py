"""Inside: one image through one epoch of a run: feature maps, filters, scores, attributions, every epoch."""
import streamlit as st

from core.runs.checkpoints import CheckpointError
from core.data import datasets
from core.explain.feature_maps import layer_names
from ui import inside_state, page_links
from ui.i18n import _, class_names, layer_title
from ui.inside import compute, sections
from ui.inside import attack
from ui.run_picker import pick_run

page_links.configure(page_links.INSIDE)
st.title(_("Inside the network"))
inside_state.arrive()

run = pick_run("inside")
if run is None:
    st.stop()
spec = datasets.get(run.config.dataset)
names = class_names(spec)
image, caption = sections.choose_image(run, names)
try:
    choices = compute.choices(run.path)
except CheckpointError as error:
    st.error(_("{error} Pick another run.").format(error=error))
    st.stop()
choice = sections.choose_epoch(choices)
history = compute.history(run.path, image)
if choice.problem is not None:
    st.warning(_("Epoch {epoch} cannot be shown: {problem}").format(epoch=choice.epoch, problem=choice.problem))
    sections.every_epoch(history, names, choice.epoch)
    st.stop()

try:
    layers = layer_names(compute.model(run.path, choice))
except CheckpointError as error:
    st.warning(_("Epoch {epoch} cannot be shown: {problem}").format(epoch=choice.epoch, problem=error))
    st.stop()
class_column, layer_column, range_column = st.columns(3)
targets = {None: _("the predicted one"), **dict(enumerate(names))}  # worded here, in the script run's language
target = class_column.selectbox(_("Explain the class"), list(targets), key="inside_class", format_func=targets.get)
layer = layer_column.selectbox(_("Grad-CAM layer"), [name for name, _title in layers], index=len(layers) - 1,
                               format_func={name: layer_title(title) for name, title in layers}.get, key="inside_layer")
per_channel = range_column.toggle(_("Colour range per channel"), key="inside_per_channel")
found = compute.inspection(run.path, choice, image, target, layer)

sections.image_and_scores(image, caption, found, spec)
sections.every_epoch(history, names, choice.epoch)
sections.feature_maps(found, per_channel)
sections.attributions(image, found, names)
attack.panel(run, choice, image, spec, layer)

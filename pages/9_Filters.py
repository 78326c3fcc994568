"""Filters: what each channel of a conv block responds to (its top 9 test images and the input it wants
to see), at every saved epoch, so the learner watches a filter's preference form."""
import streamlit as st

from core.data import datasets
from core.data.loading import DatasetError
from core.explain.feature_maps import conv_blocks
from core.explain.top_images import block_geometry
from core.map import maps
from core.runs.checkpoints import CheckpointError
from ui import filters_data, map_data, page_links, resources
from ui.filters import view
from ui.i18n import _, class_names
from ui.run_picker import pick_run

page_links.configure(page_links.FILTERS)
st.title(_("What each filter looks for"))
st.caption(_("Each channel of a conv block, after its activation and pool: the 9 test images whose map peaks highest, "
             "and an input optimised until the channel's mean activation is as high as it gets (jitter and a "
             "total-variation penalty keep it readable)."))

run = pick_run("filters")
if run is None:
    st.stop()
try:
    data = resources.run_dataset(run.path)
    stamp = resources.weights_stamp(run.path)
    epochs = maps.available_epochs(run.path)
    blocks = [name for name, _block in conv_blocks(map_data.epoch_model(str(run.path), epochs[-1], stamp))]
except (DatasetError, CheckpointError) as error:
    st.error(str(error))
    st.stop()

block_column, epoch_column = st.columns([1, 2])
block = block_column.selectbox(_("Conv block"), blocks, key="filters_block")
if len(epochs) > 1:
    epoch = epoch_column.select_slider(_("Epoch (0 = before training)"), epochs, value=epochs[-1], key="filters_epoch")
else:
    epoch = epochs[-1]
    epoch_column.info(_("This run kept no per-epoch weights (it was saved before they were), so only its last epoch, "
                        "{epoch}, can be shown.").format(epoch=epoch))

views = filters_data.views(run.path, epoch, block, stamp)
if views is None:
    filters_data.request(run.path, epoch, block, stamp, data.test)
    view.progress(run.path, epoch, block, stamp)
    st.stop()
for other in epochs:  # the one shown is ready: every other epoch's follows in the background, for the slider
    filters_data.request(run.path, other, block, stamp, data.test)

view.overview(views)
channels = len(views.wanted)
index = st.number_input(_("Channel (0 to {last})").format(last=channels - 1), 0, channels - 1, 0, 1, key="filters_channel")
geometry = block_geometry(run.config.design, blocks.index(block))
view.channel(views, int(index), data.test.images, geometry, class_names(datasets.get(run.config.dataset)), data.test.labels)

"""Map: the 10,000 test images where the network puts them (the layer before its classifier, in 2-D),
how that map forms over the epochs, where your drawing lands, and what nudges an image across a border."""
import streamlit as st

from core.data import datasets

from core.map import maps
from core.runs.checkpoints import CheckpointError
from core.map.embedding import embed
from core.data.loading import DatasetError
from ui import map_data, page_links, resources
from ui.i18n import _, class_names, ngettext, titled
from ui.map import chart, perturb, view
from ui.run_picker import pick_run


page_links.configure(page_links.MAP)
st.title(_("The map of what the network learned"))
st.caption(_("Each dot is a test image, placed by the features of the layer just before the classifier. "
             "Colour: its true class; x: a mistake. Drag a box or a lasso to see the images."))

run = pick_run("map")
if run is None:
    st.stop()
try:
    data = resources.run_dataset(run.path)
    stamp = resources.weights_stamp(run.path)
    epochs = maps.available_epochs(run.path)
except (DatasetError, CheckpointError) as error:
    st.error(str(error))
    st.stop()
names = class_names(datasets.get(run.config.dataset))
last = epochs[-1]

method_column, epoch_column = st.columns([1, 2])
method = method_column.radio(_("Projection"), list(maps.METHODS), format_func=titled(maps.METHODS),
                             key="map_method")
if len(epochs) > 1:
    epoch = epoch_column.select_slider(_("Epoch (0 = before training)"), epochs, value=last, key="map_epoch")
else:
    epoch = last
    epoch_column.info(_("This run kept no per-epoch weights (it was saved before they were), so only its last epoch, {last}, "
                        "can be shown.").format(last=last))

run_key = str(run.path)
try:
    points = map_data.test_points(run_key, epoch, stamp)
    layout = map_data.pca_layout(run_key, epoch, last, stamp)
except CheckpointError as error:
    st.error(str(error))
    st.stop()
coords, place = layout.coords, layout.place
if method == "tsne":
    found = map_data.tsne_map(run_key, epoch, stamp)
    if found is None:
        view.tsne_progress(run_key, epoch, data)
    else:
        coords = found.coords
        place = lambda features: map_data.placer(run_key, epoch, stamp).place(found.pca.transform(features))  # noqa: E731

drawing = st.session_state.get("drawing_28x28") if datasets.get(run.config.dataset).digits else None
drawing_image = None if drawing is None else map_data.as_image(drawing)  # (1,1,28,28)
drawing_features = None
drawing_xy = None
if drawing_image is not None:
    drawing_features, _logits = embed(map_data.epoch_model(run_key, epoch, stamp), drawing_image)  # (1,D)
    drawing_xy = place(drawing_features)[0]

short = maps.METHODS[method].split(" (")[0]  # PCA, t-SNE
if epoch == last:
    title = _("{method} map at epoch {epoch} (the last)").format(method=short, epoch=epoch)
else:
    title = _("{method} map at epoch {epoch}").format(method=short, epoch=epoch)
figure = chart.map_figure(coords, data.test.labels, points.predicted, names, drawing_xy, title)
event = st.plotly_chart(figure, key="map_chart", on_select="rerun", selection_mode=("box", "lasso"))
selected = chart.selected_indices(event)
if selected:
    st.subheader(ngettext("{count:,} selected image", "{count:,} selected images", len(selected)).format(count=len(selected)))
    view.thumbnails(data.test.images, selected, data.test.labels, points.predicted, names, run.name)

st.subheader(_("Where your drawing lands"))
if drawing_image is None:
    st.info(_("Draw a digit on the Draw page: it appears here as a star, with the training images nearest to it."))
    page_links.link(page_links.DRAW)
else:
    view.neighbours(drawing_features, map_data.train_features(run_key, epoch, stamp), data, names)

st.subheader(_("Nudge an image: when does the prediction flip?"))
image = view.explorer_image(data, drawing_image, selected)
if image is None:
    st.info(_("Select images on the map, or draw a digit, to nudge one here."))
else:
    perturb.explorer(map_data.epoch_model(run_key, epoch, stamp), image, names, key="map_perturb")

"""The Inside page's widgets and sections; each reads its widgets by key and draws one part."""
from __future__ import annotations

import streamlit as st
import torch

from core.runs.checkpoints import RunInfo
from core.data.datasets import DatasetSpec
from core.data.loading import DatasetError
from core.runs.epochs import EpochFile
from core.explain.feature_maps import mosaic
from core.explain.inspection import EpochProbabilities, Inspection
from ui import inside_state, resources
from ui.i18n import N_, _, class_names, layer_title, ngettext
from ui.inside import view
from ui.pixels import enlarge
from ui.probability_bars import probability_bars_html

SOURCES = {inside_state.TEST: N_("Test image"), inside_state.DRAWING: N_("Drawing")}  # radio value -> label


def choose_image(run: RunInfo, names: tuple[str, ...]) -> tuple[torch.Tensor, str]:
    """((1,1,28,28) image, caption) from a test image by index or the drawing sent from Draw."""
    drawing = inside_state.drawing()
    sources = [inside_state.TEST, inside_state.DRAWING] if drawing is not None else [inside_state.TEST]
    if st.session_state.get("inside_source") not in sources:
        st.session_state["inside_source"] = inside_state.TEST
    labels = {source: _(SOURCES[source]) for source in sources}  # worded in the script run, where the language is known
    source = st.radio(_("Image"), sources, format_func=labels.get, key="inside_source", horizontal=True)
    if source == inside_state.DRAWING:
        inside_state.remember(run.name, source, None)
        return drawing, _("your drawing, as the model sees it")
    try:
        test = resources.run_dataset(run.path).test
    except DatasetError as error:
        st.error(str(error))
        st.stop()
    st.session_state["inside_index"] = min(max(st.session_state.get("inside_index", 0), 0), len(test) - 1)
    label = _("Test image (0 to {last:,})").format(last=len(test) - 1)
    index = st.number_input(label, 0, len(test) - 1, key="inside_index", step=1)
    inside_state.remember(run.name, source, index)
    if drawing is None:
        st.caption(_("Or draw a digit on the Draw page and follow its “Look inside” link."))
    caption = _("test image {index}: a {name}").format(index=index, name=names[int(test.labels[index])])
    return test.images[index : index + 1], caption


def choose_epoch(choices: list[EpochFile]) -> EpochFile:
    """An epoch slider over every epoch; unavailable ones are marked, and their reasons listed."""
    usable = [choice for choice in choices if choice.problem is None]
    by_epoch = {choice.epoch: choice for choice in choices}
    if len(choices) == 1:
        st.caption(_("This run was saved before every epoch was kept, so only its last epoch ({epoch}) is shown.").format(
            epoch=choices[0].epoch))
        return choices[0]
    if st.session_state.get("inside_epoch") not in by_epoch:
        st.session_state["inside_epoch"] = (usable or choices)[-1].epoch
    labels = {choice.epoch: str(choice.epoch) if choice.problem is None else _("{epoch} (unavailable)").format(epoch=choice.epoch)
              for choice in choices}
    epoch = st.select_slider(_("Epoch (0 = the initial weights, before training)"), options=list(by_epoch),
                             format_func=labels.get, key="inside_epoch")
    broken = [choice for choice in choices if choice.problem is not None]
    if broken:
        label = ngettext("{count} epoch cannot be shown", "{count} epochs cannot be shown", len(broken)).format(count=len(broken))
        with st.expander(label, icon=":material/block:"):
            for choice in broken:
                st.markdown("- " + _("**Epoch {epoch}**: {problem}").format(epoch=choice.epoch, problem=choice.problem))
    return by_epoch[epoch]


def image_and_scores(image: torch.Tensor, caption: str, found: Inspection, spec: DatasetSpec) -> None:
    image_column, scores_column = st.columns([2, 3])
    image_column.image(enlarge(image, 12), output_format="PNG", caption=caption)
    with scores_column:
        names = class_names(spec)
        st.metric(_("Prediction"), names[found.predicted])
        st.caption(_("{sure:.0%} sure; explaining class {name} below (dashed outline); under each class, its logit.").format(
            sure=found.probabilities.max(), name=names[found.target]))
        with st.container(key="inside_scores"):
            st.html(probability_bars_html(found.probabilities, spec, found.logits, found.target))


def feature_maps(found: Inspection, per_channel: bool) -> None:
    st.subheader(_("Feature maps"))
    if per_channel:
        st.caption(_("Every channel of each conv block, highest mean activation first; colours: each channel to its own "
                     "range. Blue is negative, red positive; after a ReLU or a sigmoid nothing is negative."))
    else:
        st.caption(_("Every channel of each conv block, highest mean activation first; colours: one colour range per "
                     "layer. Blue is negative, red positive; after a ReLU or a sigmoid nothing is negative."))
    for start in range(0, len(found.layers), 2):
        columns = st.columns(2)
        for column, layer in zip(columns, found.layers[start : start + 2]):
            title = f"{layer_title(layer.title)} · {layer.maps.shape[0]}×{layer.maps.shape[1]}×{layer.maps.shape[2]}"
            picture = mosaic(layer.maps[layer.order], per_channel)
            with column.container(key=f"inside_maps_{layer.name.replace('.', '_')}"):
                st.html(view.mosaic_heat(picture, layer.signed, title))
    filters = mosaic(found.filters, per_channel=False)
    side = found.filters.shape[-1]
    title = _("The first layer's {count} filters ({side}×{side} weights)").format(count=len(found.filters), side=side)
    with st.container(key="inside_filters"):
        st.html(view.mosaic_heat(filters, True, title, width=320))


def attributions(image: torch.Tensor, found: Inspection, names: tuple[str, ...]) -> None:
    st.subheader(_("Why {name}? Pixels that raise (red) or lower (blue) its score").format(name=names[found.target]))
    st.caption(_("Grad-CAM at {layer}; Integrated Gradients from a black image; Occlusion hides 4×4 patches; "
                 "Saliency is the gradient's size. 2% outliers clipped, as Captum does.").format(layer=found.gradcam_layer))
    columns = st.columns(len(found.attributions))
    for column, (method, values) in zip(columns, found.attributions.items()):
        with column.container(key=f"inside_attr_{method.lower().replace(' ', '_').replace('-', '_')}"):
            st.html(view.attribution_heat(image[0, 0].numpy(), values, method))


def every_epoch(history: EpochProbabilities, names: tuple[str, ...], current: int) -> None:
    st.subheader(_("This image at every epoch"))
    if not history.epochs:
        st.info(_("No epoch's weights could be read for this run."))
        return
    st.plotly_chart(view.epochs_figure(history, names, current), key="inside_epochs")

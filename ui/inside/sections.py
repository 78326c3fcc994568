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
from ui.inside import view
from ui.pixels import enlarge
from ui.probability_bars import probability_bars_html


def choose_image(run: RunInfo, names: tuple[str, ...]) -> tuple[torch.Tensor, str]:
    """((1,1,28,28) image, caption) from a test image by index or the drawing sent from Draw."""
    drawing = inside_state.drawing()
    sources = [inside_state.TEST, inside_state.DRAWING] if drawing is not None else [inside_state.TEST]
    if st.session_state.get("inside_source") not in sources:
        st.session_state["inside_source"] = inside_state.TEST
    source = st.radio("Image", sources, key="inside_source", horizontal=True)
    if source == inside_state.DRAWING:
        inside_state.remember(run.name, source, None)
        return drawing, "your drawing, as the model sees it"
    try:
        test = resources.run_dataset(run.path).test
    except DatasetError as error:
        st.error(str(error))
        st.stop()
    st.session_state["inside_index"] = min(max(st.session_state.get("inside_index", 0), 0), len(test) - 1)
    index = st.number_input(f"Test image (0 to {len(test) - 1:,})", 0, len(test) - 1, key="inside_index", step=1)
    inside_state.remember(run.name, source, index)
    if drawing is None:
        st.caption("Or draw a digit on the Draw page and follow its “Look inside” link.")
    return test.images[index : index + 1], f"test image {index}: a {names[int(test.labels[index])]}"


def choose_epoch(choices: list[EpochFile]) -> EpochFile:
    """An epoch slider over every epoch; unavailable ones are marked, and their reasons listed."""
    usable = [choice for choice in choices if choice.problem is None]
    by_epoch = {choice.epoch: choice for choice in choices}
    if len(choices) == 1:
        st.caption(f"This run was saved before every epoch was kept, so only its last epoch ({choices[0].epoch}) is shown.")
        return choices[0]
    if st.session_state.get("inside_epoch") not in by_epoch:
        st.session_state["inside_epoch"] = (usable or choices)[-1].epoch
    epoch = st.select_slider(
        "Epoch (0 = the initial weights, before training)", options=list(by_epoch), key="inside_epoch",
        format_func=lambda value: str(value) if by_epoch[value].problem is None else f"{value} (unavailable)",
    )
    broken = [choice for choice in choices if choice.problem is not None]
    if broken:
        with st.expander(f"{len(broken)} epoch(s) cannot be shown", icon=":material/block:"):
            for choice in broken:
                st.markdown(f"- **Epoch {choice.epoch}**: {choice.problem}")
    return by_epoch[epoch]


def image_and_scores(image: torch.Tensor, caption: str, found: Inspection, spec: DatasetSpec) -> None:
    image_column, scores_column = st.columns([2, 3])
    image_column.image(enlarge(image, 12), output_format="PNG", caption=caption)
    with scores_column:
        st.metric("Prediction", spec.classes[found.predicted])
        st.caption(f"{found.probabilities.max():.0%} sure; explaining class {spec.classes[found.target]} below "
                   "(dashed outline); under each class, its logit.")
        with st.container(key="inside_scores"):
            st.html(probability_bars_html(found.probabilities, spec, found.logits, found.target))


def feature_maps(found: Inspection, per_channel: bool) -> None:
    st.subheader("Feature maps")
    scale = "each channel to its own range" if per_channel else "one colour range per layer"
    st.caption(f"Every channel of each conv block, highest mean activation first; colours: {scale}. "
               "Blue is negative, red positive; after a ReLU or a sigmoid nothing is negative.")
    for start in range(0, len(found.layers), 2):
        columns = st.columns(2)
        for column, layer in zip(columns, found.layers[start : start + 2]):
            title = f"{layer.title} · {layer.maps.shape[0]}×{layer.maps.shape[1]}×{layer.maps.shape[2]}"
            picture = mosaic(layer.maps[layer.order], per_channel)
            with column.container(key=f"inside_maps_{layer.name.replace('.', '_')}"):
                st.html(view.mosaic_heat(picture, layer.signed, title))
    filters = mosaic(found.filters, per_channel=False)
    side = found.filters.shape[-1]
    title = f"The first layer's {len(found.filters)} filters ({side}×{side} weights)"
    with st.container(key="inside_filters"):
        st.html(view.mosaic_heat(filters, True, title, width=320))


def attributions(image: torch.Tensor, found: Inspection, names: tuple[str, ...]) -> None:
    st.subheader(f"Why {names[found.target]}? Pixels that raise (red) or lower (blue) its score")
    st.caption(f"Grad-CAM at {found.gradcam_layer}; Integrated Gradients from a black image; "
               "Occlusion hides 4×4 patches; Saliency is the gradient's size. 2% outliers clipped, as Captum does.")
    columns = st.columns(len(found.attributions))
    for column, (method, values) in zip(columns, found.attributions.items()):
        with column.container(key=f"inside_attr_{method.lower().replace(' ', '_').replace('-', '_')}"):
            st.html(view.attribution_heat(image[0, 0].numpy(), values, method))


def every_epoch(history: EpochProbabilities, names: tuple[str, ...], current: int) -> None:
    st.subheader("This image at every epoch")
    if not history.epochs:
        st.info("No epoch's weights could be read for this run.")
        return
    st.plotly_chart(view.epochs_figure(history, names, current), key="inside_epochs")

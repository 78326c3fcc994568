"""Step 5, testing: the export's test cell beside the accuracy measured correctly, the lecture's way,
and a slider that scales the test pixels from x1 to x255, with the accuracy over that scale."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core.data.loading import DatasetError
from core.lecture import Lecture
from core.pixel_scale import CURVE_IMAGES, LECTURE_SCALE
from core.runs.checkpoints import CheckpointError, RunInfo
from ui import page_links
from ui.i18n import _
from ui.lecture import compute
from ui.resources import weights_stamp


def testing_step(code: str, lecture: Lecture, run: RunInfo | None, key: str) -> None:
    st.subheader(_("5. Testing"))
    left, right = st.columns(2)
    left.code(code, language="python")
    with right:
        if run is None:
            st.info(_("Train or pick a saved run in step 4 to test it here."))
        else:
            try:
                _scores(lecture, run, key)
            except (CheckpointError, DatasetError) as error:
                st.error(str(error))
    page_links.link(page_links.MISTAKES, _("Study the test digits it gets wrong"))


def _scores(lecture: Lecture, run: RunInfo, key: str) -> None:
    run_dir, stamp = str(run.path), weights_stamp(run.path)
    with st.spinner(_("Scoring the test set…")):
        correct, lecture_way = compute.measured(run_dir, stamp)
    measured, their_way, printed = st.columns(3)
    measured.metric(_("Correct (x1)"), f"{correct:.2%}", help=_("Test pixels in [0, 1], as in training."))
    their_way.metric(_("Lecture's way (x255)"), f"{lecture_way:.2%}", help=_("Raw 0-255 test pixels."))
    if lecture.accuracy is not None:
        printed.metric(_("Lecture printed"), f"{lecture.accuracy:.2%}", help=_("Its notebook, on raw 0-255 test pixels."))
    st.write(_("The lecture trains on pixels in [0, 1] but tests on the raw 0-255 values: every pixel 255 times "
               "brighter than anything the network saw. Scale the test pixels yourself:"))
    scale = st.slider(_("Test pixels multiplied by"), 1, LECTURE_SCALE, 1, key=f"lecture_scale_{key}")
    with st.spinner(_("Scoring the first test images at each pixel scale…")):
        curve = compute.scale_curve(run_dir, stamp)
        accuracy = compute.accuracy_at(run_dir, stamp, scale)
    st.metric(_("Test accuracy at x{scale}").format(scale=scale), f"{accuracy:.2%}",
              help=_("On the first {count:,} test images, as the chart.").format(count=CURVE_IMAGES))
    st.plotly_chart(_figure(curve, scale, lecture), key=f"lecture_scale_chart_{key}")
    st.caption(_("On the first {count:,} test images. x1 is the scale the network trained on, so it is the "
                 "test. Without biases a ReLU network would answer alike at every scale (multiplying the input "
                 "multiplies every layer's output); the biases do not grow with the input, so at x255 they barely "
                 "count and the number scores a different network from the one trained.").format(count=CURVE_IMAGES))


def _figure(curve: dict[str, list[float]], scale: int, lecture: Lecture) -> go.Figure:
    """The curve; the slider's scale and the lecture's printed accuracy as lines drawn in data coordinates
    (plotly's add_vline on a log axis puts the line and its label in different units)."""
    percent = [100 * accuracy for accuracy in curve["accuracy"]]
    low, high = min(percent + [100 * (lecture.accuracy or 1)]) - 0.5, max(percent + [100 * (lecture.accuracy or 0)]) + 0.5
    figure = go.Figure(go.Scatter(x=curve["scale"], y=percent, mode="lines+markers", name=_("this run")))
    figure.add_trace(go.Scatter(x=[scale, scale], y=[low, high], mode="lines+text", text=["", f"x{scale}"],
                                textposition="top right", line=dict(dash="dot", color="#555"), name=_("the slider")))
    if lecture.accuracy is not None:
        edge = [curve["scale"][0], curve["scale"][-1]]
        printed = _("the lecture printed")
        figure.add_trace(go.Scatter(x=edge, y=[100 * lecture.accuracy] * 2, mode="lines+text",
                                    text=[printed, ""], textposition="bottom right",
                                    line=dict(dash="dash", color="#c00"), name=printed))
    figure.update_layout(height=300, margin=dict(l=10, r=10, t=20, b=10), showlegend=False,
                         xaxis=dict(type="log", title=_("test pixels multiplied by"), tickvals=curve["scale"]),
                         yaxis=dict(title=_("test accuracy (%)"), range=[low, high + 0.3]))
    return figure

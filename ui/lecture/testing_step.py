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
from ui.lecture import compute
from ui.resources import weights_stamp


def testing_step(code: str, lecture: Lecture, run: RunInfo | None, key: str) -> None:
    st.subheader("5. Testing")
    left, right = st.columns(2)
    left.code(code, language="python")
    with right:
        if run is None:
            st.info("Train or pick a saved run in step 4 to test it here.")
        else:
            try:
                _scores(lecture, run, key)
            except (CheckpointError, DatasetError) as error:
                st.error(str(error))
    page_links.link(page_links.MISTAKES, "Study the test digits it gets wrong")


def _scores(lecture: Lecture, run: RunInfo, key: str) -> None:
    run_dir, stamp = str(run.path), weights_stamp(run.path)
    correct, lecture_way = compute.measured(run_dir, stamp)
    measured, their_way, printed = st.columns(3)
    measured.metric("Correct (x1)", f"{correct:.2%}", help="Test pixels in [0, 1], as in training.")
    their_way.metric("Lecture's way (x255)", f"{lecture_way:.2%}", help="Raw 0-255 test pixels.")
    if lecture.accuracy is not None:
        printed.metric("Lecture printed", f"{lecture.accuracy:.2%}", help="Its notebook, on raw 0-255 test pixels.")
    st.write("The lecture trains on pixels in [0, 1] but tests on the raw 0-255 values: every pixel 255 times "
             "brighter than anything the network saw. Scale the test pixels yourself:")
    scale = st.slider("Test pixels multiplied by", 1, LECTURE_SCALE, 1, key=f"lecture_scale_{key}")
    st.metric(f"Test accuracy at x{scale}", f"{compute.accuracy_at(run_dir, stamp, scale):.2%}",
              help=f"On the first {CURVE_IMAGES:,} test images, as the chart.")
    curve = compute.scale_curve(run_dir, stamp)
    st.plotly_chart(_figure(curve, scale, lecture), key=f"lecture_scale_chart_{key}")
    st.caption(f"On the first {CURVE_IMAGES:,} test images. x1 is the scale the network trained on, so it is the "
               "test. Without biases a ReLU network would answer alike at every scale (multiplying the input "
               "multiplies every layer's output); the biases do not grow with the input, so at x255 they barely "
               "count and the number scores a different network from the one trained.")


def _figure(curve: dict[str, list[float]], scale: int, lecture: Lecture) -> go.Figure:
    """The curve; the slider's scale and the lecture's printed accuracy as lines drawn in data coordinates
    (plotly's add_vline on a log axis puts the line and its label in different units)."""
    percent = [100 * accuracy for accuracy in curve["accuracy"]]
    low, high = min(percent + [100 * (lecture.accuracy or 1)]) - 0.5, max(percent + [100 * (lecture.accuracy or 0)]) + 0.5
    figure = go.Figure(go.Scatter(x=curve["scale"], y=percent, mode="lines+markers", name="this run"))
    figure.add_trace(go.Scatter(x=[scale, scale], y=[low, high], mode="lines+text", text=["", f"x{scale}"],
                                textposition="top right", line=dict(dash="dot", color="#555"), name="the slider"))
    if lecture.accuracy is not None:
        edge = [curve["scale"][0], curve["scale"][-1]]
        figure.add_trace(go.Scatter(x=edge, y=[100 * lecture.accuracy] * 2, mode="lines+text",
                                    text=["the lecture printed", ""], textposition="bottom right",
                                    line=dict(dash="dash", color="#c00"), name="the lecture printed"))
    figure.update_layout(height=300, margin=dict(l=10, r=10, t=20, b=10), showlegend=False,
                         xaxis=dict(type="log", title="test pixels multiplied by", tickvals=curve["scale"]),
                         yaxis=dict(title="test accuracy (%)", range=[low, high + 0.3]))
    return figure

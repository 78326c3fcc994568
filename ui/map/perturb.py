"""The perturbation explorer: sliders that rotate, shift, scale, thicken, blur or add noise to one image,
and a chart of the ten probabilities across the range of the slider last moved, with the flips marked.

Reusable by any page: `explorer(model, image, class_names, key="map_perturb")`.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import plotly.graph_objects as go
import streamlit as st
import torch

from core.explain import perturb
from core.evaluate import predict_digit
from ui.i18n import _
from ui.map.chart import COLOURS
from ui.pixels import enlarge

def setting_label(name: str) -> str:
    """The slider label of setting `name` in the current language ."""
    return _(perturb.RANGES[name].label)


def _remember_moved(key: str, name: str) -> None:
    st.session_state[f"{key}_moved"] = name


def _sliders(key: str) -> perturb.Perturbation:
    settings = perturb.Perturbation()
    columns = st.columns(4)
    for slot, name in enumerate(perturb.setting_names()):
        span = perturb.RANGES[name]
        default = getattr(settings, name)
        cast = int if name == "thickness" else float
        value = columns[slot % 4].slider(
            setting_label(name), cast(span.low), cast(span.high), cast(default), cast(span.step),
            key=f"{key}_{name}", on_change=_remember_moved, args=(key, name),
        )
        settings = replace(settings, **{name: value})
    return settings


def sweep_figure(points: torch.Tensor, probabilities: torch.Tensor, name: str, current: float, class_names: Sequence[str]) -> go.Figure:
    """(S,) slider values and (S,10) probabilities as ten lines; dashed lines where the prediction flips."""
    figure = go.Figure([
        go.Scatter(x=points.tolist(), y=probabilities[:, label].tolist(), mode="lines", name=class_name,
                   line={"color": COLOURS[label % len(COLOURS)]})
        for label, class_name in enumerate(class_names)
    ])
    for value, before, after in perturb.flips(points, probabilities):
        figure.add_vline(x=value, line={"dash": "dash", "color": "grey"},
                         annotation_text=f"{class_names[before]}→{class_names[after]}", annotation_position="top")
    figure.add_vline(x=current, line={"color": "black", "width": 1})
    figure.update_xaxes(title=setting_label(name))
    figure.update_yaxes(title=_("probability"), range=[0, 1.05], tickformat=".0%")
    figure.update_layout(height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return figure


def explorer(model: torch.nn.Module, image: torch.Tensor, class_names: Sequence[str], key: str) -> None:
    """Sliders, the perturbed image and its prediction, and the sweep chart of the slider last moved."""
    settings = _sliders(key)
    moved = st.session_state.get(f"{key}_moved", "rotate")
    changed = perturb.apply(image, settings)  # (1,1,28,28)
    probabilities = predict_digit(model, changed)
    original = int(predict_digit(model, image).argmax())
    picture, chart = st.columns([1, 3])
    with picture:
        st.image(enlarge(changed, 6), output_format="PNG", caption=_("What the network sees now"))
        now = int(probabilities.argmax())
        st.metric(_("Prediction"), class_names[now], help=_("The network's answer for the perturbed image"))
        sure = float(probabilities.max())
        if now == original:
            st.caption(_("{sure:.0%} sure").format(sure=sure))
        else:
            st.caption(_("{sure:.0%} sure (it was {original})").format(sure=sure, original=class_names[original]))
    with chart:
        points, sweep = perturb.sweep(model, image, settings, moved)
        st.plotly_chart(sweep_figure(points, sweep, moved, getattr(settings, moved), class_names), key=f"{key}_sweep")
        st.caption(_("The ten probabilities as **{setting}** runs across its range, the other sliders held where they are. "
                     "Dashed lines: where the prediction flips. Move another slider to chart it.").format(setting=setting_label(moved).lower()))

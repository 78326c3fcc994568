"""The Inside page's "Fool it" panel: FGSM or PGD (captum.robust) on the image shown, with an eps slider in
the model's input scale; the attacked image, the perturbation made visible, the new prediction and its
probabilities; a targeted mode with the smallest eps that works; and the attacked image's own insides.

    inside_attack.panel(run, choice, image, spec, layer)      # one call, at the end of pages/5_Inside.py
Widget keys: inside_attack_method, inside_attack_eps, inside_attack_target, inside_attack_smallest, inside_attack_look.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st
import torch

from core.data.datasets import DatasetSpec
from core.explain import attacks
from core.explain.feature_maps import mosaic
from core.runs.checkpoints import RunInfo
from core.runs.epochs import EpochFile
from ui.i18n import N_, _, class_names, layer_title
from ui.inside import compute, heat_picture, view
from ui.pixels import enlarge
from ui.probability_bars import probability_bars_html

MAX_EPS = 0.5
METHOD_LABELS = {"fgsm": N_("FGSM (one step)"), "pgd": N_("PGD (10 steps)")}  # attacks.METHODS' keys, as the radio shows them


@st.cache_data(max_entries=64, show_spinner=False)  # the caller shows a spinner in the page's language
def _attack(run_dir: str, epoch: int, path: str, stamp: tuple, pixels: bytes, method: str, eps: float,
            target: int | None, smallest: bool) -> attacks.Attack | None:
    model = compute.model(Path(run_dir), EpochFile(epoch, Path(path), None))
    image = torch.from_numpy(np.frombuffer(pixels, np.float32).copy()).reshape(1, 1, 28, 28)
    if smallest:
        return attacks.smallest_eps(model, image, method, target)
    return attacks.attack(model, image, method, eps, target)


def _run_attack(run: RunInfo, choice: EpochFile, image: torch.Tensor, method: str, eps: float, target: int | None,
                smallest: bool = False) -> attacks.Attack | None:
    pixels = image.float().contiguous().numpy().tobytes()
    with st.spinner(_("Attacking…")):
        return _attack(str(run.path), choice.epoch, str(choice.path), compute.epochs_stamp(run.path), pixels,
                       method, eps, target, smallest)


def _controls(names: tuple[str, ...]) -> tuple[str, float, int | None]:
    method_column, eps_column, target_column = st.columns(3)
    methods = {method: _(METHOD_LABELS.get(method, words)) for method, words in attacks.METHODS.items()}
    method = method_column.radio(_("Attack"), list(methods), format_func=methods.get, key="inside_attack_method",
                                 horizontal=True)
    eps = eps_column.slider(_("eps: the most any pixel may change (pixels run 0 to 1)"), 0.0, MAX_EPS, 0.1, 0.01,
                            key="inside_attack_eps")
    targets = {None: _("anything else (untargeted)"), **dict(enumerate(names))}
    target = target_column.selectbox(_("Make it read as"), list(targets), format_func=targets.get, key="inside_attack_target")
    return method, eps, target


def _show(found: attacks.Attack, spec: DatasetSpec, key: str = "inside_attack") -> None:
    picture_column, change_column, scores_column = st.columns([2, 2, 3])
    picture_column.image(enlarge(found.adversarial, 8), output_format="PNG",
                         caption=_("attacked at eps {eps:.3f}").format(eps=found.eps))
    change = found.perturbation[0, 0].numpy()
    limit = max(float(np.abs(change).max()), 1e-6)  # the colour range spans what was added: amplified to be visible
    with change_column.container(key=f"{key}_change"):
        st.html(heat_picture.heat(change, heat_picture.DIVERGING, -limit, limit, _("what the attack added (amplified)"), 240))
    with scores_column:
        predicted = int(found.after.argmax())
        st.metric(_("Prediction after the attack"), class_names(spec)[predicted],
                  delta=None if predicted == int(found.before.argmax()) else _("fooled"), delta_color="inverse")
        with st.container(key=f"{key}_scores"):
            st.html(probability_bars_html(found.after, spec))


def _look_inside(run: RunInfo, choice: EpochFile, found: attacks.Attack, layer: str | None, names: tuple[str, ...]) -> None:
    """The attacked image's feature maps and attributions, drawn as the original's are above."""
    inspected = compute.inspection(run.path, choice, found.adversarial, None, layer)
    st.caption(_("The fooled network reads it as {name}; compare these with the original's above.").format(
        name=names[inspected.predicted]))
    columns = st.columns(2)
    for slot, maps in enumerate(inspected.layers):
        with columns[slot % 2].container(key=f"inside_attack_maps_{maps.name.replace('.', '_')}"):
            st.html(view.mosaic_heat(mosaic(maps.maps[maps.order], False), maps.signed, layer_title(maps.title)))
    columns = st.columns(len(inspected.attributions))
    for column, (method, values) in zip(columns, inspected.attributions.items()):
        column.html(view.attribution_heat(found.adversarial[0, 0].numpy(), values, method))


def panel(run: RunInfo, choice: EpochFile, image: torch.Tensor, spec: DatasetSpec, layer: str | None) -> None:
    names = class_names(spec)
    st.subheader(_("Fool it: the smallest change that flips the answer"))
    st.caption(_("FGSM takes one step of size eps along the sign of the cost's gradient; PGD takes 10 smaller steps, "
                 "staying within eps of the image. Untargeted attacks push away from the current prediction."))
    method, eps, target = _controls(names)
    found = _run_attack(run, choice, image, method, eps, target)
    _show(found, spec)
    if target is not None:
        wanted = _("Find the smallest eps that makes it read as {name}").format(name=names[target])
        if st.button(wanted, key="inside_attack_smallest"):
            smallest = _run_attack(run, choice, image, method, 0.0, target, smallest=True)
            if smallest is None:
                st.warning(_("Even eps {eps:g} does not make it read as {name}.").format(eps=attacks.HIGH, name=names[target]))
            else:
                st.success(_("eps {eps:.4f} is enough (found by bisection): it now reads as {name}.").format(
                    eps=smallest.eps, name=names[int(smallest.after.argmax())]))
                _show(smallest, spec, key="inside_attack_smallest_found")
    if st.toggle(_("Look inside the attacked image"), key="inside_attack_look"):
        _look_inside(run, choice, found, layer, names)

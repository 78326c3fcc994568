"""The Train page's network designer: sliders for the blocks, the head and the hidden layers, and
what they make: a picture of the network, the layer table, and its totals with the time per epoch.

Every widget's key comes from ui.train.design_form, where the plain-data logic lives.
"""
from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.data.validation import FRACTION
from core.training.config import TRAIN_SET_SIZE, TrainConfig
from core.training.design import ACTIVATIONS, HEADS, INITS, KERNELS, MAX_BLOCKS, MAX_HIDDEN, POOLS, Design
from core.training.design_text import format_design
from core.training.walk import TRAINING_FLOPS_PER_MAC, totals, walk
from ui.train import design_form, form as train_form
from ui.train.design_form import BLOCKS_KEY, HEAD_KEY, HIDDEN_KEY, INIT_KEY, block_key, hidden_key
from ui.i18n import _, titled
from ui.network_picture import network_svg
from ui.resources import job_registry, speed_probe
from ui.train.view import format_seconds


def designer() -> DeltaGenerator:
    """The design's widgets: conv blocks in columns, then the head and the hidden layers. Returns a place
    above them for the picture, so a learner sees it change while moving a slider."""
    state = st.session_state
    st.subheader(_("Network design"))
    picture_place = st.container()
    st.slider(_("Conv blocks"), 1, MAX_BLOCKS, key=BLOCKS_KEY,
              help=_("Each block: conv, [batch norm], activation, [2×2 pooling]."))
    for column, number in zip(st.columns(MAX_BLOCKS), range(1, int(state[BLOCKS_KEY]) + 1)):
        with column:
            _block(number)
    left, right = st.columns([1, 2])
    left.radio(_("After the last block"), HEADS, key=HEAD_KEY, format_func=titled(design_form.HEAD_TITLES))
    left.selectbox(_("Linear layers start from"), INITS, key=INIT_KEY, format_func=titled(design_form.INIT_TITLES))
    right.slider(_("Hidden linear layers"), 0, MAX_HIDDEN, key=HIDDEN_KEY,
                 help=_("Each: linear, ReLU, dropout; the classifier follows."))
    for column, number in zip(right.columns(MAX_HIDDEN), range(1, int(state[HIDDEN_KEY]) + 1)):
        column.select_slider(_("Hidden layer {number}: units").format(number=number), design_form.UNIT_CHOICES,
                             key=hidden_key(number, "units"))
        column.slider(_("Hidden layer {number}: dropout").format(number=number), *design_form.DROPOUT_RANGE, step=0.05,
                      key=hidden_key(number, "dropout"), help=_("Share of its units dropped while training."))
    return picture_place


def _block(number: int) -> None:
    state = st.session_state
    st.markdown(_("**Block {number}**").format(number=number))
    st.select_slider(_("Channels"), design_form.CHANNEL_CHOICES, key=block_key(number, "channels"))
    st.select_slider(_("Kernel"), KERNELS, key=block_key(number, "kernel"), format_func=lambda k: f"{k}×{k}")
    st.selectbox(_("Pooling"), POOLS, key=block_key(number, "pool"), format_func=titled(design_form.POOL_TITLES))
    pooled = state[block_key(number, "pool")] != "none"
    st.radio(_("Pool padding"), (0, 1), key=block_key(number, "pool_padding"), horizontal=True, disabled=not pooled,
             help=_("1 lets an odd side round up (7 → 4, as the deeper CNN's third block)."))
    st.checkbox(_("Batch norm"), key=block_key(number, "batch_norm"))
    st.selectbox(_("Activation"), ACTIVATIONS, key=block_key(number, "activation"))  # relu, tanh, sigmoid: names
    st.checkbox(_("Pool before batch norm"), key=block_key(number, "pool_first"),
                disabled=not (pooled and state[block_key(number, "batch_norm")]), help=_("The fast CNN's order."))


def picture(design: Design) -> None:
    """The network drawn, and its text form."""
    # st.html drops <svg> (its sanitiser keeps HTML only); markdown keeps it, data-* attributes included
    st.markdown(network_svg(design), unsafe_allow_html=True)
    st.caption(_("As text: `{design}`").format(design=format_design(design)))


def layer_table(design: Design) -> None:
    """The design's layers: shape in the lecture's notation, parameters, multiply-adds, receptive field, memory."""
    rows = walk(design)  # arithmetic on the design: no weights, no RNG draws
    # st.table, not st.dataframe: plain HTML redraws ~200 ms sooner in Chromium than the canvas grid (bench.design_redraw).
    # Its cells are markdown, which would print -> as an arrow glyph: as code they read as the lecture's comments do.
    table = [{_(train_form.LAYER_COLUMNS[name]): f"`{value}`" if name == "layer" else value for name, value in row.items()}
             for row in train_form.layer_table(rows)]
    st.table(table, hide_index=True, border="horizontal")
    st.caption(_("**{parameters:,} parameters in total.** {pooling}").format(
        parameters=sum(row.parameters for row in rows), pooling=train_form.pooling_story(rows)))


def totals_line(config: TrainConfig) -> None:
    """Parameters, training FLOPs per image, and the estimated seconds per epoch, with how it is estimated."""
    total = totals(config.design)
    probe = speed_probe()
    speed = probe.speed()
    parts = [_("**{parameters:,}** parameters").format(parameters=total.parameters),
             _("**{mflops:,.1f} MFLOPs** to train on one image").format(mflops=total.training_flops / 1e6)]
    if speed is not None:
        train_size = TRAIN_SET_SIZE - (TRAIN_SET_SIZE // FRACTION if config.validation else 0)  # 5,000 held out
        seconds = speed.epoch_seconds(config.design, config.batch_size, train_size, config.max_batches)
        parts.append(_("about **{time} per epoch** here").format(time=_seconds(seconds)))
    st.markdown(" · ".join(parts))
    if speed is not None:
        # the machine's key (CPU model, threads, torch version) is an identifier: shown as code, not translated
        st.caption(_(
            "Training FLOPs are {factor} × the multiply-adds (forward, and backward to inputs and weights). "
            "The time is a fit to real training steps of four small designs measured once on this machine "
            "(`{machine}`, {measured_at}): seconds per batch = a × FLOPs + b × layer outputs + c per step. "
            "It counts the training steps, not scoring the test set or augmenting images, on a machine "
            "nothing else is busy on: other jobs or users make epochs slower."
        ).format(factor=TRAINING_FLOPS_PER_MAC, machine=speed.machine, measured_at=speed.measured_at))
        st.button(_("Measure the speed again"), key="train_measure_again", on_click=probe.measure_again,
                  disabled=job_registry().snapshot().active, help=_("If the machine was busy when it was measured."))
    elif probe.error:
        st.caption(_("No time estimate: measuring this machine's speed failed ({error}).").format(error=probe.error))
    elif job_registry().snapshot().active:
        st.caption(_("The time per epoch is estimated once this machine's speed is measured, after the current job."))
    else:
        probe.start()
        _await_speed()


@st.fragment(run_every=1.0)  # only drawn while the speed is being measured
def _await_speed() -> None:
    probe = speed_probe()
    if probe.speed() is not None or probe.error or not probe.measuring:
        st.rerun()
    st.caption(_("Measuring this machine's training speed once (a few seconds) to estimate the time per epoch…"))


def _seconds(seconds: float) -> str:
    """0.4 s, 21 s, 3 min 05 s, 1 h 02 min."""
    return _("{seconds:.1f} s").format(seconds=seconds) if seconds < 1 else format_seconds(seconds)

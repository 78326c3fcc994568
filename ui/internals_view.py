"""The recorded internals of one run, drawn: live on Train, replayed with a step slider on Runs.

    internals_view.show(header, records, readings, key="train_live")            # the latest record
    internals_view.show(header, records, readings, key="runs_inside", upto=12)  # record 12 and before

A part the run did not record (a run trained before recording began) says "not recorded" in its place.
Readings come from core.training.readings in English (core's CLI prints the same sentences).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import streamlit as st

from core.data.datasets import DATASETS
from ui import internals_charts
from ui.i18n import N_, _, class_names, ngettext
from ui.pixels import enlarge

PARTS = (N_("Filters"), N_("Probe digits"), N_("Gradients and update sizes"), N_("Dead units"), N_("Weight distributions"))
NOT_RECORDED = N_("**{part}:** not recorded: this run was trained before the internals were recorded.")
NOTHING_YET = N_("**{part}:** nothing recorded yet.")


def show(header: Mapping[str, Any] | None, records: Sequence[Mapping[str, Any]], readings: Sequence[Any],
         key: str, upto: int | None = None, dataset: str = "mnist") -> None:
    """Readings, filters, probe digits, gradient and update charts, dead units, weight distributions."""
    for reading in readings:
        st.warning(reading.sentence)
    if header is None or not records:
        for part in PARTS:
            st.caption(_(NOT_RECORDED if header is None else NOTHING_YET).format(part=_(part)))
        return
    index = len(records) - 1 if upto is None else upto
    record = records[index]
    st.caption(ngettext("Recorded at batch {step} (epoch {epoch}, batch {batch}); a record every {every} batch.",
                        "Recorded at batch {step} (epoch {epoch}, batch {batch}); a record every {every} batches.",
                        header["every"])
               .format(step=record["step"], epoch=record["epoch"], batch=record["batch"], every=header["every"]))
    left, right = st.columns([1, 2])
    left.plotly_chart(internals_charts.filters_figure(record["filters"]), key=f"{key}_filters")
    with right:
        probe_digits(header, record, dataset)
    grads, updates = st.columns(2)
    grads.plotly_chart(internals_charts.series_figure(records, "grad_norm", index), key=f"{key}_grad_norm")
    updates.plotly_chart(internals_charts.series_figure(records, "update_ratio", index), key=f"{key}_update_ratio")
    dead, distribution = st.columns(2)
    dead.plotly_chart(internals_charts.dead_figure(record), key=f"{key}_dead")
    with distribution:
        layers = list(record["weights"])
        layer = st.selectbox(_("Layer"), layers, key=f"{key}_layer", help=_("Whose weights to show over time."))
        figure = internals_charts.distribution_figure(records, header["weight_bins"][layer], layer, upto=index)
        st.plotly_chart(figure, key=f"{key}_distribution")


def probe_digits(header: Mapping[str, Any], record: Mapping[str, Any], dataset: str = "mnist") -> None:
    """The ten probe images, one per class, each with the network's top three guesses now."""
    names = class_names(DATASETS[dataset]) if dataset in DATASETS else [str(c) for c in range(10)]
    st.markdown(_("**Probe digits and the network's guesses now**"))
    columns = st.columns(5)
    for i, (pixels, label, probabilities) in enumerate(zip(header["probe_images"], header["probe_labels"], record["probabilities"])):
        guess = int(np.argmax(probabilities))
        mark = "✓" if guess == label else "✗"
        with columns[i % 5]:
            st.image(enlarge(np.asarray(pixels, dtype=np.float32) / 255, 2), output_format="PNG")
            st.caption(f"{mark} {internals_charts.top_guesses(probabilities, names)}")


def step_change(change: Any) -> None:
    """What the last single step changed: the filters before and after, and each layer's update size."""
    st.markdown(_("**What step {step} changed**").format(step=change.step))
    before, after, sizes = st.columns(3)
    before.plotly_chart(internals_charts.filters_figure(change.filters_before, _("Filters before")), key="train_step_before")
    after.plotly_chart(internals_charts.filters_figure(change.filters_after, _("Filters after")), key="train_step_after")
    layer, size = _("layer"), _("update size ||dw|| / ||w||")
    sizes.dataframe([{layer: name, size: f"{ratio:.2e}"} for name, ratio in change.update_ratio],
                    hide_index=True, key="train_step_sizes")

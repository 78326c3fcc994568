"""The Runs page's export and import: a run as a notebook, a script, ONNX, a zip or a report; a zip imported.

ONNX and the report score the whole test set, so they are made on a click and then offered for
download; the notebook and script are text made at once; the zip is made when its button is clicked.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from core.data.loading import DatasetError
from core.export.code import script_text
from core.export.notebook import notebook_text
from core.runs import share
from core.runs.checkpoints import RunInfo
from ui.resources import model, run_dataset, weights_stamp
from ui.runs.actions import NOTICE_KEY

MADE_KEY = "export_made"  # {(run, kind): (file name, bytes, caption)} made on a click


def export_section(usable: Sequence[RunInfo]) -> None:
    """Downloads for one chosen run."""
    if not usable:
        return
    by_name = {run.name: run for run in usable}
    name = st.selectbox("Run to take with you", list(by_name), key="export_run")
    run = by_name[name]
    st.download_button("Notebook (.ipynb)", notebook_text(run.config, name), file_name=f"{name}.ipynb",
                       mime="application/x-ipynb+json", key="export_notebook", on_click="ignore")
    st.download_button("Script (.py)", script_text(run.config, name), file_name=f"{name}.py",
                       mime="text/x-python", key="export_script", on_click="ignore")
    st.download_button("Zip to share (.zip)", lambda: share.export_zip(run.path), file_name=f"{name}.zip",
                       mime="application/zip", key="export_zip", on_click="ignore")
    made = st.session_state.setdefault(MADE_KEY, {})
    for kind, label in (("onnx", "ONNX"), ("report", "Report (.html)")):
        if (name, kind) in made:
            file_name, data, caption = made[(name, kind)]
            st.download_button(f"Download {label}", data, file_name=file_name, key=f"export_{kind}_download", on_click="ignore")
            st.caption(caption)
        else:
            st.button(f"Make {label}", key=f"export_{kind}_make", on_click=_make, args=(run, kind))


def import_section(root: Path) -> None:
    """Upload a run's zip; it is checked whole before anything is written."""
    upload = st.file_uploader("Import a run (.zip)", type=["zip"], key="import_zip")
    st.button("Import", key="import_run", on_click=_import, args=(root,), disabled=upload is None)


def _import(root: Path) -> None:
    """In a callback, so the rerun that follows lists the new run."""
    upload = st.session_state.get("import_zip")
    try:
        name = share.import_zip(upload.getvalue(), root)
    except share.ShareError as error:
        st.session_state[NOTICE_KEY] = ("error", str(error))
    else:
        st.session_state[NOTICE_KEY] = ("success", f"Imported as {name}: it is in the table now, like a run trained here.")


def _make(run: RunInfo, kind: str) -> None:
    from core.export.onnx import OnnxError

    try:
        data = run_dataset(run.path)
        if kind == "onnx":
            from core.export.onnx import export_onnx

            made, agreement = export_onnx(model(str(run.path), weights_stamp(run.path)), data.test, None, data.spec.classes)
            caption = (f"Checked with onnxruntime: the classes agree on {agreement.agreement:.2%} of {agreement.images:,} "
                       f"test images, logits within {agreement.max_logit_difference:.1e}.")
            entry = (f"{run.name}.onnx", made, caption)
        else:
            from core.export.report import report_html

            entry = (f"{run.name}.html", report_html(run.path, data.test, data.spec.classes).encode(), "One HTML file, no network needed.")
    except (DatasetError, OnnxError) as error:
        st.session_state[NOTICE_KEY] = ("error", str(error))
        return
    st.session_state.setdefault(MADE_KEY, {})[(run.name, kind)] = entry

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
from ui.i18n import N_, _
from ui.resources import model, run_dataset, weights_stamp
from ui.runs.actions import NOTICE_KEY

MADE_KEY = "export_made"  # {(run, kind): (file name, bytes, caption id, its values)} made on a click
MADE_LABELS = {  # kind -> (the button that makes it, the button that downloads it)
    "onnx": (N_("Make ONNX"), N_("Download ONNX")),
    "report": (N_("Make Report (.html)"), N_("Download Report (.html)")),
}


def export_section(usable: Sequence[RunInfo]) -> None:
    """Downloads for one chosen run."""
    if not usable:
        return
    by_name = {run.name: run for run in usable}
    name = st.selectbox(_("Run to take with you"), list(by_name), key="export_run")
    run = by_name[name]
    st.download_button(_("Notebook (.ipynb)"), notebook_text(run.config, name), file_name=f"{name}.ipynb",
                       mime="application/x-ipynb+json", key="export_notebook", on_click="ignore")
    st.download_button(_("Script (.py)"), script_text(run.config, name), file_name=f"{name}.py",
                       mime="text/x-python", key="export_script", on_click="ignore")
    st.download_button(_("Zip to share (.zip)"), lambda: share.export_zip(run.path), file_name=f"{name}.zip",
                       mime="application/zip", key="export_zip", on_click="ignore")
    made = st.session_state.setdefault(MADE_KEY, {})
    for kind, (make, download) in MADE_LABELS.items():
        if (name, kind) in made:
            file_name, data, caption, values = made[(name, kind)]
            st.download_button(_(download), data, file_name=file_name, key=f"export_{kind}_download", on_click="ignore")
            st.caption(_(caption).format(**values))  # drawn in the language of the page now, not of the click
        else:
            st.button(_(make), key=f"export_{kind}_make", on_click=_make, args=(run, kind))


def import_section(root: Path) -> None:
    """Upload a run's zip; it is checked whole before anything is written."""
    upload = st.file_uploader(_("Import a run (.zip)"), type=["zip"], key="import_zip")
    st.button(_("Import"), key="import_run", on_click=_import, args=(root,), disabled=upload is None)


def _import(root: Path) -> None:
    """In a callback, so the rerun that follows lists the new run."""
    upload = st.session_state.get("import_zip")
    try:
        name = share.import_zip(upload.getvalue(), root)
    except share.ShareError as error:
        st.session_state[NOTICE_KEY] = ("error", str(error))
    else:
        st.session_state[NOTICE_KEY] = ("success", _("Imported as {name}: it is in the table now, like a run trained here.").format(name=name))


def _make(run: RunInfo, kind: str) -> None:
    from core.export.onnx import OnnxError

    try:
        data = run_dataset(run.path)
        if kind == "onnx":
            from core.export.onnx import export_onnx

            made, agreement = export_onnx(model(str(run.path), weights_stamp(run.path)), data.test, None, data.spec.classes)
            caption = N_("Checked with onnxruntime: the classes agree on {agreement:.2%} of {images:,} test images, "
                         "logits within {difference:.1e}.")
            values = {"agreement": agreement.agreement, "images": agreement.images, "difference": agreement.max_logit_difference}
            entry = (f"{run.name}.onnx", made, caption, values)
        else:
            from core.export.report import report_html

            html = report_html(run.path, data.test, data.spec.classes).encode()
            entry = (f"{run.name}.html", html, N_("One HTML file, no network needed."), {})
    except (DatasetError, OnnxError) as error:
        st.session_state[NOTICE_KEY] = ("error", str(error))
        return
    st.session_state.setdefault(MADE_KEY, {})[(run.name, kind)] = entry

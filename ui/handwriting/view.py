"""The Handwriting page's pieces: the set as a grid by digit with delete, its confusion matrix, export and import."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.data import handwriting, handwriting_zip
from core.data.datasets import MNIST
from core.evaluate import Predictions
from core.data.handwriting import Drawing, HandwritingError
from ui import mistakes_view
from ui.i18n import _, ngettext
from ui.pixels import enlarge

GRID_COLUMNS = 8
NOTICE = "handwriting_notice"


def notice(kind: str, text: str) -> None:
    st.session_state[NOTICE] = (kind, text)


def show_notice() -> None:
    kind, text = st.session_state.pop(NOTICE, (None, None))
    if kind is not None:
        getattr(st, kind)(text)


def delete_drawing(folder: Path, name: str) -> None:
    try:
        handwriting.delete(folder, name)
        notice("success", _("Deleted {name}.").format(name=name))
    except HandwritingError as error:
        notice("error", str(error))


def score_section(predictions: Predictions | None, run_name: str) -> None:
    """The chosen run's accuracy on the set and the set's own confusion matrix."""
    if predictions is None:
        st.info(_("The set is empty: save labelled drawings on the Draw page, or import a set below."))
        return
    right = int((predictions.predicted == predictions.targets).sum())
    total = len(predictions.targets)
    read_right = ngettext("{right} of {total} drawing read as the digit you labelled it.",
                          "{right} of {total} drawings read as the digit you labelled them.", total)
    st.metric(_("{run} reads your handwriting").format(run=run_name), f"{predictions.accuracy:.1%}",
              help=read_right.format(right=right, total=total))
    figure = mistakes_view.confusion_figure(predictions.confusion_matrix(), False, MNIST)  # the set holds digits
    figure.update_layout(title=_("Your set: true digit (row) against the run's reading (column)"))
    st.plotly_chart(figure, key="handwriting_matrix")


def grid(folder: Path, drawings: list[Drawing], predictions: Predictions | None) -> None:
    """One row of thumbnails per digit, each with what the run read and a delete button."""
    readable = [drawing for drawing in drawings if drawing.seen is not None]
    read_as = {} if predictions is None else dict(zip((d.name for d in readable), predictions.predicted.tolist()))
    for digit in range(10):
        mine = [drawing for drawing in readable if drawing.label == digit]
        if not mine:
            continue
        st.markdown(ngettext("**{digit}** · {count} drawing", "**{digit}** · {count} drawings", len(mine))
                    .format(digit=digit, count=len(mine)))
        for start in range(0, len(mine), GRID_COLUMNS):
            for column, drawing in zip(st.columns(GRID_COLUMNS), mine[start : start + GRID_COLUMNS]):
                reading = read_as.get(drawing.name)
                mark = "✓" if reading == digit else "✗"
                caption = None if reading is None else _("read as {digit} {mark}").format(digit=reading, mark=mark)
                column.image(enlarge(drawing.seen, 3), caption=caption, output_format="PNG")
                column.button(_("Delete"), key=f"handwriting_delete_{drawing.name}", on_click=delete_drawing,
                              args=(folder, drawing.name), icon=":material/delete:")
    for drawing in drawings:
        if drawing.problem:
            st.warning(_("{problem} It is left out of scores and training.").format(problem=drawing.problem))
            st.button(_("Delete {name}").format(name=drawing.name), key=f"handwriting_delete_{drawing.name}",
                      on_click=delete_drawing, args=(folder, drawing.name))


def import_drawings(folder: Path) -> None:
    upload = st.session_state.get("handwriting_upload")
    if upload is None:
        notice("error", _("Choose a zip file to import first."))
        return
    try:
        added, skipped = handwriting_zip.import_zip(folder, upload.getvalue())
    except HandwritingError as error:
        notice("error", f"{upload.name}: {error}")
        return
    if skipped:
        text = ngettext("Imported {added} drawings from {file}; {skipped} was already in the set.",
                        "Imported {added} drawings from {file}; {skipped} were already in the set.", skipped)
    else:
        text = ngettext("Imported {added} drawing from {file}.", "Imported {added} drawings from {file}.", added)
    notice("success", text.format(added=added, file=upload.name, skipped=skipped))


def move_section(folder: Path, drawings: list[Drawing]) -> None:
    """Export the set as a zip of IDX files; import one, validated before anything is written."""
    left, right = st.columns(2)
    with left:
        st.subheader(_("Export"))
        st.download_button(_("Download the set (zip of IDX files)"), handwriting_zip.export_zip(drawings),
                           file_name="my-handwriting.zip", mime="application/zip", key="handwriting_export",
                           disabled=not drawings, icon=":material/download:")
        st.caption(_("MNIST's own format: the 28x28 images and their labels, readable by any MNIST loader."))
    with right:
        st.subheader(_("Import"))
        st.file_uploader(_("A zip exported from here"), type=["zip"], key="handwriting_upload")
        st.button(_("Import"), key="handwriting_import", on_click=import_drawings, args=(folder,), icon=":material/upload:")

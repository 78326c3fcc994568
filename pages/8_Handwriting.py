"""Handwriting: your own labelled drawings as a set — every run scored on it, a grid by digit, export and import."""
import streamlit as st

from core.data import handwriting
from core.runs.checkpoints import CheckpointError
from ui import handwriting_scores, page_links
from ui.handwriting import view
from ui.i18n import _
from ui.run_picker import pick_run

page_links.configure(page_links.HANDWRITING)
st.title(_("My handwriting"))
folder = handwriting.set_dir()
st.caption(_("Drawings you label and save on the Draw page, kept in `{folder}`. "
             "Each run is scored on them (see the Runs page), and the Train page can fine-tune on them.")
           .format(folder=folder))
view.show_notice()
drawings = handwriting.list_drawings(folder)

predictions = None
run = pick_run("handwriting")
if run is not None and not handwriting_scores.reads_digits(run):
    st.info(_("{run} was not trained on digits, so it is not scored on your handwriting.").format(run=run.name))
elif run is not None:
    try:
        predictions = handwriting_scores.predictions(run.path, folder)
    except CheckpointError as error:
        st.error(_("{error} Pick another run.").format(error=error))
    view.score_section(predictions, run.name)

view.grid(folder, drawings, predictions)
page_links.link(page_links.DRAW, _("Draw and save more"))
view.move_section(folder, drawings)

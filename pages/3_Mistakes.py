"""Mistakes: where a saved run goes wrong on the 10,000 test images, worst first."""
import math

import streamlit as st

from core.runs.checkpoints import CheckpointError
from core.data.loading import DatasetError, data_dir, find_files, missing_help
from core.data.datasets import get
from ui import mistakes_view, page_links, resources
from ui.i18n import _, ngettext, noun
from ui.mistakes import scoring
from ui.run_picker import pick_run

PAGE_SIZE = 24

page_links.configure(page_links.MISTAKES)
st.title(_("Mistakes"))
for name, value in {"mistakes_true": None, "mistakes_predicted": None, "mistakes_page": 1}.items():
    st.session_state.setdefault(name, value)


def filter_to_clicked_cell() -> None:
    cell = mistakes_view.selected_cell(st.session_state.get("mistakes_matrix"))
    if cell is not None:
        st.session_state["mistakes_true"], st.session_state["mistakes_predicted"] = cell
        st.session_state["mistakes_page"] = 1


def back_to_first_page() -> None:
    st.session_state["mistakes_page"] = 1


run = pick_run("mistakes")
if run is None:
    st.stop()
spec = get(run.config.dataset)
folder = data_dir(dataset=spec.name)
if find_files(folder, spec.name) is None:  # never start a download from here; the home page offers one
    st.error(missing_help(folder, spec.name))
    st.page_link("app.py", label=_("Home: download {dataset}").format(dataset=spec.title),  # i18n: not words
                 icon=":material/download:")
    st.stop()
try:
    data = resources.dataset(spec.name)
    predictions = scoring.predictions(run.path, spec.name, data.source)
except (DatasetError, CheckpointError) as error:
    st.error(str(error))
    st.stop()

wrong = predictions.mistakes()
accuracy_column, wrong_column = st.columns(2)
accuracy_column.metric(_("Test accuracy"), f"{predictions.accuracy:.2%}")
wrong_of_all = _("{wrong:,} of {total:,}").format(wrong=len(wrong), total=len(predictions.targets))
wrong_column.metric(_("Test images wrong"), wrong_of_all)
matrix_column, pairs_column = st.columns([3, 2])
with matrix_column:
    normalised = st.toggle(_("Normalised (share of each true {noun})").format(noun=noun(spec)),
                           key="mistakes_normalised")
    figure = mistakes_view.confusion_figure(predictions.confusion_matrix(), normalised, spec)
    st.plotly_chart(figure, key="mistakes_matrix", on_select=filter_to_clicked_cell, selection_mode="points")
    st.caption(_("Click a cell to see those mistakes."))
with pairs_column:
    st.subheader(_("Most confused"))
    pairs = mistakes_view.confused_pairs(predictions.most_confused(10), spec)
    st.dataframe(pairs, hide_index=True, key="mistakes_pairs")

true_column, predicted_column, page_column = st.columns(3)
# the browser shows a None value as the placeholder, not through format_func: make both say "any"
describe = mistakes_view.describer(spec)
filters = {"format_func": describe, "placeholder": describe(None), "on_change": back_to_first_page}
choices = [None, *range(len(spec.classes))]
true = true_column.selectbox(_("True {noun}").format(noun=noun(spec)), choices, key="mistakes_true", **filters)
predicted = predicted_column.selectbox(_("Predicted {noun}").format(noun=noun(spec)), choices,
                                       key="mistakes_predicted", **filters)
shown = predictions.mistakes(true, predicted)
pages = max(1, math.ceil(len(shown) / PAGE_SIZE))
st.session_state["mistakes_page"] = min(st.session_state["mistakes_page"], pages)
page = page_column.number_input(_("Page (of {pages})").format(pages=pages), 1, pages, key="mistakes_page")
if len(shown) == 0:
    st.info(_("No mistakes match these filters."))
else:
    st.caption(ngettext("{count:,} mistake, worst (highest cost) first.", "{count:,} mistakes, worst (highest cost) first.",
                        len(shown)).format(count=len(shown)))
    mistakes_view.mistakes_grid(data.test.images, predictions, shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], spec, run.name)

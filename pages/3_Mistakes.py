"""Mistakes: where a saved run goes wrong on the 10,000 test images, worst first."""
import math

import streamlit as st

from core.checkpoints import CheckpointError
from core.data import DatasetError, data_dir, find_files, missing_help
from ui import mistakes_view, page_links, resources, scoring
from ui.run_picker import pick_run

PAGE_SIZE = 24
CHOICES = [None, *mistakes_view.DIGITS]

page_links.configure(page_links.MISTAKES)
st.title("Mistakes")
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
if find_files(data_dir()) is None:  # never start a download from here; the home page offers one
    st.error(missing_help(data_dir()))
    st.page_link("app.py", label="Home: download MNIST", icon=":material/download:")
    st.stop()
try:
    data = resources.mnist()
    predictions = scoring.predictions(run.path, data.source)
except (DatasetError, CheckpointError) as error:
    st.error(str(error))
    st.stop()

wrong = predictions.mistakes()
accuracy_column, wrong_column = st.columns(2)
accuracy_column.metric("Test accuracy", f"{predictions.accuracy:.2%}")
wrong_column.metric("Test images wrong", f"{len(wrong):,} of {len(predictions.targets):,}")
matrix_column, pairs_column = st.columns([3, 2])
with matrix_column:
    normalised = st.toggle("Normalised (share of each true digit)", key="mistakes_normalised")
    figure = mistakes_view.confusion_figure(predictions.confusion_matrix(), normalised)
    st.plotly_chart(figure, key="mistakes_matrix", on_select=filter_to_clicked_cell, selection_mode="points")
    st.caption("Click a cell to see those mistakes.")
with pairs_column:
    st.subheader("Most confused")
    pairs = mistakes_view.confused_pairs(predictions.most_confused(10))
    st.dataframe(pairs, hide_index=True, key="mistakes_pairs")

true_column, predicted_column, page_column = st.columns(3)
# the browser shows a None value as the placeholder, not through format_func: make both say "any"
filters = {"format_func": mistakes_view.describe, "placeholder": mistakes_view.describe(None),
           "on_change": back_to_first_page}
true = true_column.selectbox("True digit", CHOICES, key="mistakes_true", **filters)
predicted = predicted_column.selectbox("Predicted digit", CHOICES, key="mistakes_predicted", **filters)
shown = predictions.mistakes(true, predicted)
pages = max(1, math.ceil(len(shown) / PAGE_SIZE))
st.session_state["mistakes_page"] = min(st.session_state["mistakes_page"], pages)
page = page_column.number_input(f"Page (of {pages})", 1, pages, key="mistakes_page")
if len(shown) == 0:
    st.info("No mistakes match these filters.")
else:
    st.caption(f"{len(shown):,} mistakes, worst (highest cost) first.")
    mistakes_view.mistakes_grid(data.test.images, predictions, shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], run.name)

"""Runs page: every saved run in a table, curves of several overlaid, two runs' settings compared,
the run the other pages use chosen, and runs deleted."""
import streamlit as st

from core.data import handwriting

from core.runs import checkpoints
from ui import charts, handwriting_scores, page_links, runs_table
from ui.i18n import _
from ui.runs import actions, export, replay, robustness, scatter
from ui.resources import runs_root

page_links.configure(page_links.RUNS)
st.title(_("Saved runs"))
actions.show_notice()

root = runs_root()
runs = checkpoints.list_runs(root)
if not runs:
    st.info(_("No saved runs in `{folder}` yet. Train one first.").format(folder=root))
    page_links.link(page_links.TRAIN)
    export.import_section(root)
    st.stop()

scores = handwriting_scores.accuracies(runs, handwriting.set_dir())
rows = robustness.with_column(runs_table.run_rows(runs, scores), runs)
header = runs_table.header  # rows keep English keys (the charts read them); the table shows their headers
st.dataframe(runs_table.shown(rows), hide_index=True, key="runs_table", column_config={  # name and score stay in view while scrolling sideways
    header("name"): st.column_config.TextColumn(pinned=True),
    header(runs_table.ACCURACY): st.column_config.NumberColumn(pinned=True),
    header(runs_table.DESIGN): st.column_config.TextColumn(
        help=_("The network as text: conv blocks, then gap, hidden layers, the classifier.")),
    header(runs_table.PARAMETERS): st.column_config.NumberColumn(format="localized"),
})
if not any(score is not None for score in scores.values()):
    st.caption(_("The *my handwriting* column fills in once you save labelled drawings on the Draw page."))
for run in runs:
    if run.damaged:
        st.warning(_("**{name}** is damaged and cannot be used: {problem}").format(name=run.name, problem=run.damaged))

by_size, by_time = st.columns(2)
by_size.plotly_chart(scatter.accuracy_scatter(rows, runs_table.PARAMETERS), key="runs_by_parameters")
by_time.plotly_chart(scatter.accuracy_scatter(rows, runs_table.SECONDS), key="runs_by_time")

usable = {run.name: run for run in runs if not run.damaged}
state = st.session_state
state["runs_selected"] = [name for name in state.get("runs_selected", list(usable)[:1]) if name in usable]
selected = st.multiselect(_("Compare runs"), list(usable), key="runs_selected", help=_("Their curves are drawn together."))
if selected:
    histories = {name: usable[name].meta["history"] for name in selected}
    cost, accuracy = st.columns(2)
    cost.plotly_chart(charts.overlay_figure(histories, "cost"), key="runs_cost")
    accuracy.plotly_chart(charts.overlay_figure(histories, "test_accuracy"), key="runs_accuracy")
    robustness.section([usable[name] for name in selected])
    replay.section([usable[name] for name in selected])
if len(selected) == 2:
    first, second = (usable[name] for name in selected)
    diff = runs_table.config_diff(first, second)
    st.subheader(_("How their settings differ"))
    if diff:
        st.dataframe(diff, hide_index=True, key="runs_diff")
        changes = runs_table.design_difference(first, second)
        if changes:
            st.markdown(_("**Their designs differ in** {changes}.").format(changes=changes))
    else:
        st.write(_("They were trained with the same settings."))

left, right = st.columns(2)
with left:
    st.subheader(_("Use a run"))
    actions.choose_section(list(usable.values()))
with right:
    st.subheader(_("Delete a run"))
    actions.delete_section(runs, root)

with st.expander(_("Take a run with you, or import one")):
    export.export_section(list(usable.values()))
    export.import_section(root)

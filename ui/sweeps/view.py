"""The Sweeps page's views: the live trial table, Optuna's figures, the best trial with "use this run"."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import optuna
import plotly.graph_objects as go
import streamlit as st
from optuna.trial import TrialState

from core.training.jobs import JobSnapshot
from core.sweep.job import load_study
from core.sweep.report import settings_text, trial_rows
from core.sweep.trial import DESIGN, RUN, TEST_ACCURACY
from ui import page_links
from ui.i18n import N_, _, ngettext
from ui.resources import choose_run, job_registry, runs_root
from ui.sweeps.form import label

FIGURES = {  # tab title -> optuna.visualization function
    N_("History"): optuna.visualization.plot_optimization_history,
    N_("Importances"): optuna.visualization.plot_param_importances,
    N_("Parallel coordinates"): optuna.visualization.plot_parallel_coordinate,
    N_("Slice"): optuna.visualization.plot_slice,
    N_("Intermediate values"): optuna.visualization.plot_intermediate_values,
}
# Optuna's own words in its figures (optuna 5), in ours; its objective is the validation accuracy
OPTUNA_WORDS = {
    "Optimization History Plot": N_("Validation accuracy of each trial"),
    "Hyperparameter Importances": N_("Which settings matter"),
    "Hyperparameter Importance": N_("importance"),
    "Hyperparameter": N_("setting"),
    "Parallel Coordinate Plot": N_("Each trial's settings and validation accuracy"),
    "Slice Plot": N_("Validation accuracy by each setting"),
    "Intermediate Values Plot": N_("Validation accuracy after each epoch"),
    "Intermediate Value": N_("validation accuracy"),
    "Objective Value": N_("validation accuracy"),
    "Best Value": N_("best so far"),
    "Trial": N_("trial"),
    "Step": N_("epoch"),
    "Feasible Trial": N_("trial"),
    "Infeasible Trial": N_("infeasible trial"),
}
COLUMNS = {  # core.sweep.report.trial_rows' keys -> the trials table's headers (the sampled settings: form.LABELS)
    "trial": N_("trial"), "state": N_("state"), DESIGN: N_("design"), "validation accuracy (%)": N_("validation accuracy (%)"),
    "test accuracy (%)": N_("test accuracy (%)"), "epochs": N_("epochs"), RUN: N_("run"), "problem": N_("problem"),
}
STATES = {"complete": N_("complete"), "pruned": N_("pruned"), "fail": N_("fail"), "running": N_("running"), "waiting": N_("waiting")}
ENDINGS = {"finished": N_("Sweep finished."), "stopped": N_("Sweep stopped."), "failed": N_("Sweep failed.")}


def job_panel(study_name: str) -> None:
    """Stop and live progress while a sweep runs (polled every second); the study's results below."""
    registry = job_registry()
    snapshot = registry.snapshot()
    if snapshot.active and snapshot.kind == "sweep":
        st.subheader(_("Sweeping study {study}").format(study=snapshot.study))
        st.button(_("Stop"), key="sweep_stop", on_click=registry.stop,
                  help=_("Ends the trial in progress after its current batch (it is recorded failed); finished trials stay."))
        _live()
        return
    if snapshot.kind == "sweep" and snapshot.study == study_name and snapshot.status != "idle":
        ending = _(ENDINGS[snapshot.status]) if snapshot.status in ENDINGS else _("Sweep {status}.").format(status=snapshot.status)
        if snapshot.status == "failed":
            st.error(f"{ending} {snapshot.message}".strip())  # core's reason, in English
        else:  # core's message is its best trial, which "Best trial" below shows in the page's words
            done = ngettext("{done} of {trials} trial done.", "{done} of {trials} trials done.", snapshot.trials)
            st.success(f"{ending} {done.format(done=snapshot.trials_done, trials=snapshot.trials)}")
    results(study_name)


@st.fragment(run_every=1.0)  # drawn only while a sweep runs
def _live() -> None:
    snapshot = job_registry().snapshot()
    if not snapshot.active:
        st.rerun()  # it just ended: redraw the page once, with the figures
    st.progress(min(1.0, snapshot.trials_done / max(1, snapshot.trials)), text=_progress_text(snapshot))
    if snapshot.stopping:
        st.info(_("Stopping after the current batch…"))
    trial_table(snapshot.study or "")


def _progress_text(snapshot: JobSnapshot) -> str:
    done = ngettext("{done}/{trials} trial finished", "{done}/{trials} trials finished", snapshot.trials)
    done = done.format(done=snapshot.trials_done, trials=snapshot.trials)
    if snapshot.status == "loading":
        return _("{done} · loading the dataset").format(done=done)
    if snapshot.trial is not None:
        return _("{done} · trial {trial}: epoch {epoch}/{epochs}, batch {batch}/{batches}").format(
            done=done, trial=snapshot.trial, epoch=snapshot.epoch, epochs=snapshot.epochs, batch=snapshot.batch, batches=snapshot.batches)
    return done


def trial_table(study_name: str) -> optuna.Study | None:
    """Every trial of the study, newest last; None (and a note) before the study exists."""
    study = load_study(study_name, runs_root())
    if study is None:
        st.caption(_("No study named {study} yet: Start sweep creates it.").format(study=study_name))
        return None
    rows = [_shown_row(row) for row in trial_rows(study.get_trials(deepcopy=False))]
    run = _(COLUMNS[RUN])
    st.dataframe(rows, hide_index=True, key="sweep_trials_table",
                 column_config={run: st.column_config.TextColumn(run, help=_("The trial's run folder; it is on Runs, Mistakes and Draw."))})
    return study


def _shown_row(row: dict) -> dict:
    """One row of core.sweep.report.trial_rows with the headers and the trial's state in the current language."""
    shown = {}
    for key, value in row.items():
        if key == "state":
            value = _(STATES[value]) if value in STATES else value
        shown[_(COLUMNS[key]) if key in COLUMNS else label(key)] = value
    return shown


def results(study_name: str) -> None:
    study = trial_table(study_name)
    if study is None:
        return
    best_trial(study)
    figures(study)


def best_trial(study: optuna.Study) -> None:
    complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not complete:
        return
    best = study.best_trial
    test = best.user_attrs.get(TEST_ACCURACY)
    st.subheader(_("Best trial"))
    design = best.user_attrs.get(DESIGN)
    values = {"number": best.number, "validation": best.value, "test": test, "settings": settings_text(best.params), "design": design}
    if test is not None and design:
        text = _("Trial {number}: validation accuracy **{validation:.2%}** (test accuracy {test:.2%}, shown, not optimised); "
                 "`{settings}`; design `{design}`.")
    elif test is not None:
        text = _("Trial {number}: validation accuracy **{validation:.2%}** (test accuracy {test:.2%}, shown, not optimised); `{settings}`.")
    elif design:
        text = _("Trial {number}: validation accuracy **{validation:.2%}**; `{settings}`; design `{design}`.")
    else:
        text = _("Trial {number}: validation accuracy **{validation:.2%}**; `{settings}`.")
    st.write(text.format(**values))
    run = best.user_attrs.get(RUN)
    if run and (runs_root() / run).is_dir():
        if st.button(_("Use this run ({run})").format(run=run), key="sweep_use_best"):
            choose_run(run)
            st.success(_("{run} is now the run on Mistakes and Draw.").format(run=run))
        left, right = st.columns(2)
        with left:
            page_links.link(page_links.MISTAKES)
        with right:
            page_links.link(page_links.DRAW)


def figures(study: optuna.Study) -> None:
    """Optuna's own plotly figures; each says why when the study is too small for it."""
    tabs = st.tabs([_(title) for title in FIGURES])
    for tab, (title, plot) in zip(tabs, FIGURES.items()):
        with tab:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    figure = plot(study)
            except (ValueError, RuntimeError) as error:  # e.g. importances need two complete trials
                st.caption(_("Not enough trials yet for this figure ({reason}).").format(reason=error))
                continue
            st.plotly_chart(in_our_words(figure), key=f"sweep_figure_{title.lower().replace(' ', '_')}")


def _word(text: object) -> object:
    """Optuna's `text` in our words: its titles, a sampled setting's name, "Trial3"; anything else as it is."""
    if not isinstance(text, str):
        return text
    if text in OPTUNA_WORDS:
        return _(OPTUNA_WORDS[text])
    if (numbered := re.fullmatch(r"Trial(\d+)", text)) is not None:
        return _("trial {number}").format(number=numbered.group(1))
    return label(text)


def in_our_words(figure: go.Figure) -> go.Figure:
    """An Optuna figure with its titles, axis titles and ticks, legend names and colour bars in the current language."""
    figure.update_layout(title_text=_word(figure.layout.title.text))
    figure.for_each_xaxis(lambda axis: axis.update(title_text=_word(axis.title.text),
                                                   ticktext=[_word(text) for text in axis.ticktext] if axis.ticktext else None))
    figure.for_each_yaxis(lambda axis: axis.update(title_text=_word(axis.title.text)))
    for trace in figure.data:
        if getattr(trace, "name", None):
            trace.name = _word(trace.name)
        colorbar = getattr(getattr(trace, "marker", None), "colorbar", None)
        if colorbar is not None and colorbar.title.text:
            colorbar.title.text = _word(colorbar.title.text)
        if trace.type == "scatter" and trace.hovertemplate and trace.hovertemplate.startswith("%{customdata[0]}: "):
            trace.customdata = [[_word(name), value] for name, value in trace.customdata]  # parallel coordinates' hover
        if trace.type == "bar":  # the importances: one bar per setting, Optuna's hover names its distribution class
            trace.update(y=[_word(name) for name in trace.y], hovertemplate="%{y}: %{x:.3f}<extra></extra>")
    return figure


def study_path_note(root: Path) -> str:
    return _("Studies are kept in {journal}; runs in {root}.").format(journal=root / "optuna-journal.log", root=root)

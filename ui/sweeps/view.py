"""The Sweeps page's views: the live trial table, Optuna's figures, the best trial with "use this run"."""
from __future__ import annotations

import warnings
from pathlib import Path

import optuna
import streamlit as st
from optuna.trial import TrialState

from core.training.jobs import JobSnapshot
from core.sweep.job import load_study
from core.sweep.report import settings_text, trial_rows
from core.sweep.trial import DESIGN, RUN, TEST_ACCURACY
from ui import page_links
from ui.resources import choose_run, job_registry, runs_root

FIGURES = {  # tab title -> optuna.visualization function
    "History": optuna.visualization.plot_optimization_history,
    "Importances": optuna.visualization.plot_param_importances,
    "Parallel coordinates": optuna.visualization.plot_parallel_coordinate,
    "Slice": optuna.visualization.plot_slice,
    "Intermediate values": optuna.visualization.plot_intermediate_values,
}


def job_panel(study_name: str) -> None:
    """Stop and live progress while a sweep runs (polled every second); the study's results below."""
    registry = job_registry()
    snapshot = registry.snapshot()
    if snapshot.active and snapshot.kind == "sweep":
        st.subheader(f"Sweeping {snapshot.title}")
        st.button("Stop", key="sweep_stop", on_click=registry.stop,
                  help="Ends the trial in progress after its current batch (it is recorded failed); finished trials stay.")
        _live()
        return
    if snapshot.kind == "sweep" and snapshot.study == study_name and snapshot.status != "idle":
        (st.error if snapshot.status == "failed" else st.success)(f"Sweep {snapshot.status}. {snapshot.message}")
    results(study_name)


@st.fragment(run_every=1.0)  # drawn only while a sweep runs
def _live() -> None:
    snapshot = job_registry().snapshot()
    if not snapshot.active:
        st.rerun()  # it just ended: redraw the page once, with the figures
    st.progress(min(1.0, snapshot.trials_done / max(1, snapshot.trials)), text=_progress_text(snapshot))
    if snapshot.stopping:
        st.info("Stopping after the current batch…")
    trial_table(snapshot.study or "")


def _progress_text(snapshot: JobSnapshot) -> str:
    text = f"{snapshot.trials_done}/{snapshot.trials} trials finished"
    if snapshot.status == "loading":
        return text + " · loading the dataset"
    if snapshot.trial is not None:
        text += f" · trial {snapshot.trial}: epoch {snapshot.epoch}/{snapshot.epochs}, batch {snapshot.batch}/{snapshot.batches}"
    return text


def trial_table(study_name: str) -> optuna.Study | None:
    """Every trial of the study, newest last; None (and a note) before the study exists."""
    study = load_study(study_name, runs_root())
    if study is None:
        st.caption(f"No study named {study_name} yet: Start creates it.")
        return None
    rows = trial_rows(study.get_trials(deepcopy=False))
    st.dataframe(rows, hide_index=True, key="sweep_trials_table",
                 column_config={"run": st.column_config.TextColumn("run", help="The trial's run folder; it is on Runs, Mistakes and Draw.")})
    return study


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
    st.subheader("Best trial")
    st.write(
        f"Trial {best.number}: validation accuracy **{best.value:.2%}**"
        f"{f' (test accuracy {test:.2%}, shown, not optimised)' if test is not None else ''}; {settings_text(best.params)}"
        f"{f'; design `{best.user_attrs[DESIGN]}`' if best.user_attrs.get(DESIGN) else ''}."
    )
    run = best.user_attrs.get(RUN)
    if run and (runs_root() / run).is_dir():
        if st.button(f"Use this run ({run})", key="sweep_use_best"):
            choose_run(run)
            st.success(f"{run} is now the run on Mistakes and Draw.")
        left, right = st.columns(2)
        with left:
            page_links.link(page_links.MISTAKES)
        with right:
            page_links.link(page_links.DRAW)


def figures(study: optuna.Study) -> None:
    """Optuna's own plotly figures; each says why when the study is too small for it."""
    tabs = st.tabs(list(FIGURES))
    for tab, (title, plot) in zip(tabs, FIGURES.items()):
        with tab:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    figure = plot(study)
            except (ValueError, RuntimeError) as error:  # e.g. importances need two complete trials
                st.caption(f"Not enough trials yet for this figure ({error}).")
                continue
            st.plotly_chart(figure, key=f"sweep_figure_{title.lower().replace(' ', '_')}")


def study_path_note(root: Path) -> str:
    return f"Studies are kept in {root / 'optuna-journal.log'}; runs in {root}."

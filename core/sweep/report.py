"""Trials as lines and table rows: what the CLI prints and the Sweeps page lists."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import optuna
from optuna.trial import FrozenTrial, TrialState

from core.sweep.stale import FAILURE
from core.sweep.trial import DESIGN, EPOCHS_DONE, RUN, TEST_ACCURACY


def settings_text(params: dict[str, Any]) -> str:
    """'lr=0.00312 batch_size=64 optimizer=adam'."""
    return " ".join(f"{name}={value:.3g}" if isinstance(value, float) else f"{name}={value}" for name, value in params.items())


def trial_line(trial: FrozenTrial, root: Path) -> str:
    """One line for a finished trial, e.g. 'trial 3 complete: validation accuracy 0.9812 ...'."""
    state = trial.state.name.lower()
    if trial.state == TrialState.FAIL:
        return f"trial {trial.number} failed: {trial.user_attrs.get(FAILURE, 'see the worker log')} ({settings_text(trial.params)})"
    score = trial.value if trial.value is not None else trial.intermediate_values.get(max(trial.intermediate_values, default=0))
    epochs = trial.user_attrs.get(EPOCHS_DONE, 0)
    accuracy = f"validation accuracy {score:.4f}" if score is not None else "no score"
    test = trial.user_attrs.get(TEST_ACCURACY)
    test_text = f", test accuracy {test:.4f}" if test is not None else ""
    return (f"trial {trial.number} {state} after {epochs} epoch(s): {accuracy}{test_text}; {settings_text(trial.params)}"
            f"{_design_text(trial)} -> {_run_path(trial, root)}")


def _design_text(trial: FrozenTrial) -> str:
    design = trial.user_attrs.get(DESIGN)
    return f" design={design}" if design else ""


def best_line(study: optuna.Study, root: Path) -> str:
    """The best complete trial: accuracy, settings, run folder."""
    try:
        best = study.best_trial
    except ValueError:
        return "Best: no trial has completed yet."
    test = best.user_attrs.get(TEST_ACCURACY)
    return (
        f"Best: trial {best.number}, validation accuracy {best.value:.4f}"
        f"{f' (test accuracy {test:.4f}, shown, not optimised)' if test is not None else ''}; "
        f"{settings_text(best.params)}{_design_text(best)}; run {_run_path(best, root)}"
    )


def _run_path(trial: FrozenTrial, root: Path) -> str:
    name = trial.user_attrs.get(RUN)
    return str(root / name) if name else "(no run folder: no epoch finished)"


def trial_rows(trials: list[FrozenTrial]) -> list[dict[str, Any]]:
    """One row per trial, newest last: state, sampled settings, the design's text, validation and
    test accuracy (%), epochs, run."""
    rows = []
    for trial in trials:
        score = trial.value
        if score is None and trial.intermediate_values:
            score = trial.intermediate_values[max(trial.intermediate_values)]
        test = trial.user_attrs.get(TEST_ACCURACY)
        rows.append({
            "trial": trial.number,
            "state": trial.state.name.lower(),
            **trial.params,
            DESIGN: trial.user_attrs.get(DESIGN),  # trials from before designs were recorded: None
            "validation accuracy (%)": None if score is None else round(100 * score, 2),
            "test accuracy (%)": None if test is None else round(100 * test, 2),
            "epochs": trial.user_attrs.get(EPOCHS_DONE, 0),
            "run": trial.user_attrs.get(RUN),
            "problem": trial.user_attrs.get(FAILURE, ""),
        })
    return rows

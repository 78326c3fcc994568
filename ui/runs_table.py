"""Saved runs as table rows, and the settings two runs differ in: plain data for the Runs and Home pages.

A row's keys are English (code looks columns up by them: ACCURACY, "name", "status"); `shown(rows)` gives the
rows as a table shows them, headers and status words in the learner's language, and `header(key)` one header.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.runs.checkpoints import RunInfo
from core.training.design_diff import design_changes
from core.training.design_text import format_design
from core.training.walk import totals
from core.data.datasets import get
from ui.i18n import N_, _

SETTINGS = ("model", "optimizer", "lr", "batch_size", "seed", "dropout", "schedule", "handwriting")

ACCURACY, DESIGN, PARAMETERS, SECONDS = N_("test accuracy (%)"), N_("design"), N_("parameters"), N_("training time (s)")
HANDWRITING = N_("my handwriting (%)")
HEADERS = {  # a column's key -> its header, where they differ or the key is not marked for the catalog elsewhere
    "name": N_("name"), "dataset": N_("dataset"), "epochs": N_("epochs"), "status": N_("status"), "date": N_("date"),
    "problem": N_("problem"), "setting": N_("setting"),
}
SETTING_NAMES = {  # TrainConfig's fields, as a column or a row of the diff names them
    "model": N_("model"), "dataset": N_("dataset"), "lr": N_("lr"), "epochs": N_("epochs"), "batch_size": N_("batch size"),
    "seed": N_("seed"), "optimizer": N_("optimizer"), "momentum": N_("momentum"), "weight_decay": N_("weight decay"),
    "dropout": N_("dropout"), "schedule": N_("schedule"), "max_batches": N_("max batches"),
    "validation": N_("validation"), "handwriting": N_("handwriting"), "augment": N_("augment"),
}
STATUSES = {  # run.json's status (core.training.fit), and a damaged run's
    "running": N_("running"), "finished": N_("finished"), "stopped": N_("stopped"), "diverged": N_("diverged"),
    "pruned": N_("pruned"), "damaged": N_("damaged"),
}


def run_row(run: RunInfo, handwriting: float | None = None) -> dict[str, Any]:
    """One run, what a comparison needs first (name, test accuracy (%), dataset, design, parameters,
    epochs done, training time), then status and settings, accuracy on the user's handwriting set (%),
    date; damaged runs say why."""
    if run.damaged:
        return {"name": run.name, "status": "damaged", "problem": run.damaged}
    config, metrics = run.config, run.meta.get("metrics", {})  # the config fills in what older runs lack
    accuracy = metrics.get("test_accuracy")
    return {
        "name": run.name,
        ACCURACY: None if accuracy is None else round(100 * accuracy, 2),
        "dataset": get(config.dataset).title,
        DESIGN: format_design(config.design),
        PARAMETERS: totals(config.design).parameters,
        "epochs": f"{metrics.get('epochs_done', 0)}/{config.epochs}",
        SECONDS: round(metrics.get("train_seconds", 0.0), 1),
        "status": run.meta.get("status", ""),
        **{SETTING_NAMES[name]: getattr(config, name) for name in SETTINGS},
        HANDWRITING: None if handwriting is None else round(100 * handwriting, 1),
        "date": when(run.meta.get("created", "")),
        "problem": run.meta.get("message") or "",
    }


def run_rows(runs: Sequence[RunInfo], handwriting: Mapping[str, float | None] | None = None) -> list[dict[str, Any]]:
    """Every run as a row with the same columns, for st.dataframe; `handwriting`: run name -> accuracy on the set."""
    rows = [run_row(run, (handwriting or {}).get(run.name)) for run in runs]
    full_first = sorted(rows, key=lambda row: row["status"] == "damaged")  # a damaged row's 3 keys must not set the order
    columns = list(dict.fromkeys(key for row in full_first for key in row))
    columns.append(columns.pop(columns.index("problem")))  # the reason reads best at the end
    return [{column: row.get(column) for column in columns} for row in rows]


def header(column: str) -> str:
    """The header a table shows for the column `column` (a row's key), in the current language."""
    return _(HEADERS.get(column, column))  # keys that are their own header (ACCURACY, ...) are marked N_ above


def shown(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """`rows` as st.dataframe shows them: each header and status in the current language, the values as they are."""
    def cell(key: str, value: Any) -> Any:
        return _(STATUSES[value]) if key == "status" and value in STATUSES else value

    return [{header(key): cell(key, value) for key, value in row.items()} for row in rows]


def when(iso: str) -> str:
    """'2026-01-02T03:04:05+00:00' -> '2026-01-02 03:04 UTC'."""
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 else iso


def config_diff(first: RunInfo, second: RunInfo) -> list[dict[str, Any]]:
    """The settings that differ between two runs, for the table only: [{"setting", <first name>, <second name>}]
    with the header and each setting's name in the current language; a different design is one row of each
    one's text (design_difference says which blocks differ)."""
    a, b = (run.config.to_dict() for run in (first, second))  # older runs get today's defaults and their model's design
    setting = header("setting")
    rows = [
        {setting: _(SETTING_NAMES.get(name, name)), first.name: a[name], second.name: b[name]}
        for name in a
        if name != "design" and a[name] != b[name]
    ]
    designs = first.config.design, second.config.design
    if designs[0] != designs[1]:
        rows.append({setting: _(DESIGN), first.name: format_design(designs[0]), second.name: format_design(designs[1])})
    return rows


def design_difference(first: RunInfo, second: RunInfo) -> str:
    """'block 2: channels 64 -> 128; block 3: added', or '' when the two runs share a design."""
    return "; ".join(design_changes(first.config.design, second.config.design))


def latest(runs: Sequence[RunInfo], count: int = 5) -> list[dict[str, Any]]:
    """A short list for the home page, as shown: name, test accuracy (%), dataset, design, status, epochs."""
    short = ("name", ACCURACY, "dataset", DESIGN, "status", "epochs", "problem")
    return shown([{column: row.get(column) for column in short} for row in run_rows(runs[:count])])

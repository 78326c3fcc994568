"""Saved runs as table rows, and the settings two runs differ in: plain data for the Runs and Home pages."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.runs.checkpoints import RunInfo
from core.training.config import TrainConfig
from core.data.datasets import get

SETTINGS = ("dataset", "model", "optimizer", "lr", "batch_size", "epochs", "seed", "dropout", "schedule", "handwriting")


HANDWRITING = "my handwriting (%)"


def run_row(run: RunInfo, handwriting: float | None = None) -> dict[str, Any]:
    """One run: name, status, settings, epochs done, test accuracy (%), accuracy on the user's
    handwriting set (%), training time, date; damaged runs say why."""
    if run.damaged:
        return {"name": run.name, "status": "damaged", "problem": run.damaged}
    config, metrics = run.meta["config"], run.meta.get("metrics", {})
    accuracy = metrics.get("test_accuracy")
    return {
        "name": run.name,
        "status": run.meta.get("status", ""),
        "dataset": get(config.get("dataset", "mnist")).title,  # runs before Fashion-MNIST were all MNIST
        **{name.replace("_", " "): config.get(name) for name in SETTINGS if name not in ("dataset", "epochs")},
        "epochs": f"{metrics.get('epochs_done', 0)}/{config.get('epochs')}",
        "test accuracy (%)": None if accuracy is None else round(100 * accuracy, 2),
        HANDWRITING: None if handwriting is None else round(100 * handwriting, 1),
        "training time (s)": round(metrics.get("train_seconds", 0.0), 1),
        "date": when(run.meta.get("created", "")),
        "problem": run.meta.get("message") or "",
    }


def run_rows(runs: Sequence[RunInfo], handwriting: Mapping[str, float | None] | None = None) -> list[dict[str, Any]]:
    """Every run as a row with the same columns, for st.dataframe; `handwriting`: run name -> accuracy on the set."""
    rows = [run_row(run, (handwriting or {}).get(run.name)) for run in runs]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    columns.append(columns.pop(columns.index("problem")))  # the reason reads best at the end
    return [{column: row.get(column) for column in columns} for row in rows]


def when(iso: str) -> str:
    """'2026-01-02T03:04:05+00:00' -> '2026-01-02 03:04 UTC'."""
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 else iso


def config_diff(first: RunInfo, second: RunInfo) -> list[dict[str, Any]]:
    """The settings that differ between two runs: [{"setting", <first name>, <second name>}]."""
    default = TrainConfig().to_dict()
    a, b = ({**default, **run.meta["config"]} for run in (first, second))  # older runs lack newer settings
    return [
        {"setting": name, first.name: a.get(name), second.name: b.get(name)}
        for name in dict.fromkeys([*a, *b])
        if a.get(name) != b.get(name)
    ]


def latest(runs: Sequence[RunInfo], count: int = 5) -> list[dict[str, Any]]:
    """A short list for the home page: name, dataset, model, status, epochs, test accuracy (%)."""
    short = ("name", "dataset", "model", "status", "epochs", "test accuracy (%)", "problem")
    return [{column: row.get(column) for column in short} for row in run_rows(runs[:count])]

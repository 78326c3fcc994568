"""The sweep benchmark: what pruning saves on a 20-trial study, and what a trial costs beyond a plain run.

    .venv/bin/python -m bench.sweep --part median &    # a 20-trial study with the median pruner
    .venv/bin/python -m bench.sweep --part none &      # the same study without pruning
    .venv/bin/python -m bench.sweep --part overhead    # a trial's Optuna work against a plain run
    .venv/bin/python -m bench.sweep --merge            # -> bench/sweep_results.json

Parts run as separate processes (at once, on a shared machine, they get their fair share).
1. The studies share the sampler seed, so their first (random) trials are the same settings:
   epochs trained, best validation accuracy and that trial's test accuracy, wall time.
2. Overhead: the real TrialRunner and worker loop on a journal file with training replaced by
   instant epochs, so only the sweep's own work is timed (ask, tell, reports, pruning checks,
   user attributes, stale checks, run.json labels), against the median plain run (core.training.fit) of
   the same settings. Timing a trial and a plain run side by side cannot resolve 5% on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from unittest import mock

import optuna

from bench.machine import describe_machine
from core.training.config import TrainConfig
from core.data.loading import PROJECT_ROOT, load_mnist
from core.training.events import EpochEnd
from core.training.fit import fit, new_run
from core.sweep.space import SearchSpace
from core.sweep.storage import open_storage
from core.sweep.study import SweepSettings, open_study
from core.sweep.trial import EPOCHS_DONE, TEST_ACCURACY, TrialRunner
from core.sweep.worker import work

SAMPLER_SEED = 1
OUT = PROJECT_ROOT / "bench" / "sweep_results.json"


def study_run(data, root: Path, pruner: str, trials: int, epochs: int, max_batches: int) -> dict:
    settings = SweepSettings(space=SearchSpace(vary=("lr", "batch_size", "optimizer")), epochs=epochs,
                             max_batches=max_batches, pruner=pruner)
    study, settings = open_study(open_storage(None, root), f"bench-{pruner}", settings, set(settings.to_dict()), SAMPLER_SEED)
    started = time.perf_counter()
    work(study, TrialRunner(settings, data, root, study.study_name, "journal"), trials)
    seconds = time.perf_counter() - started
    best = study.best_trial
    states = [trial.state.name for trial in study.trials]
    return {
        "pruner": pruner, "trials": len(study.trials), "pruned": states.count("PRUNED"),
        "epochs_trained": sum(trial.user_attrs.get(EPOCHS_DONE, 0) for trial in study.trials),
        "epochs_without_pruning": len(study.trials) * epochs,
        "best_validation_accuracy": best.value, "best_test_accuracy": best.user_attrs.get(TEST_ACCURACY),
        "best_params": best.params, "seconds": round(seconds, 1),
    }


def instant_fit(epochs: int):
    """Stands in for core.training.fit.fit: the epochs' events at once, so only the sweep's own work takes time."""
    def fake(trainer, run_dir, stop=None, labels=None):
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "run.json").write_text(json.dumps({"config": {}, "sweep": labels}))  # what fit writes beside the weights
        for epoch in range(1, epochs + 1):
            yield EpochEnd(epoch, epochs, 0.1, 0.1, 0.9, 0.0, 0.0, 0.001, 0.1, 0.9 + epoch / 1000)
    return fake


def overhead(data, root: Path, plain_runs: int, trials: int, epochs: int, max_batches: int) -> dict:
    config = TrainConfig(epochs=epochs, max_batches=max_batches, validation=True)
    plain = []
    for index in range(plain_runs):
        started = time.perf_counter()
        trainer, run_dir = new_run(config, data, root, name=f"plain-{index}")
        for _ in fit(trainer, run_dir):
            pass
        plain.append(time.perf_counter() - started)
    settings = SweepSettings(space=SearchSpace(vary=("lr",)), epochs=epochs, max_batches=max_batches, pruner="median")
    study, settings = open_study(open_storage(None, root), "bench-overhead", settings, set(settings.to_dict()))
    with mock.patch("core.sweep.trial.fit", instant_fit(epochs)), \
         mock.patch("core.sweep.trial.new_run", lambda config, data, root, device, name: (None, root / name)):
        started = time.perf_counter()
        work(study, TrialRunner(settings, data, root, "bench-overhead", "journal"), trials)
        per_trial = (time.perf_counter() - started) / trials
    plain_s = statistics.median(plain)
    return {"plain_run_s": round(plain_s, 2), "plain_all_s": [round(s, 2) for s in plain],
            "sweep_work_per_trial_s": round(per_trial, 4), "overhead": round(per_trial / plain_s, 4),
            "trials_timed": trials, "epochs": epochs, "max_batches": max_batches}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["median", "none", "overhead"])
    parser.add_argument("--merge", action="store_true", help="combine the parts' files into bench/sweep_results.json")
    parser.add_argument("--data-dir")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--max-batches", type=int, default=10)
    args = parser.parse_args(argv)
    if args.merge:
        parts = {path.stem.split(".")[-1]: json.loads(path.read_text()) for path in sorted(OUT.parent.glob("sweep_results.*.json"))}
        OUT.write_text(json.dumps(parts, indent=1))
        print(json.dumps(parts, indent=1))
        return 0
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    data = load_mnist(args.data_dir, allow_download=False)
    result = {"machine": describe_machine().describe(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "settings": {k: v for k, v in vars(args).items() if k != "merge"}}
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        if args.part == "overhead":
            result.update(overhead(data, Path(tmp), 2, 50, args.epochs, args.max_batches))
        else:
            result.update(study_run(data, Path(tmp), args.part, args.trials, args.epochs, args.max_batches))
    OUT.with_name(f"sweep_results.{args.part}.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

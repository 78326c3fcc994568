"""The sweep benchmark: what pruning saves on a 20-trial study, and what a trial costs beyond a plain run.

    .venv/bin/python -m bench.sweep [--data-dir DIR] [--trials 20] [--epochs 4] [--max-batches 20] [--pairs 4]

1. Two 20-trial studies on the real MNIST, one with the median pruner and one without, the same
   sampler seed (so their first, random trials are the same settings): epochs trained, best validation
   accuracy (and that trial's test accuracy), wall time.
2. The same settings as a plain run (core.fit) and as a sweep trial (Optuna ask/report/tell on a
   journal file), alternating, so a busy neighbour slows both alike: median seconds of each.
Writes bench/sweep_results.json.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import optuna

from bench.machine import describe_machine
from core.config import TrainConfig
from core.data import PROJECT_ROOT, load_mnist
from core.fit import fit, new_run
from core.sweep.space import SearchSpace
from core.sweep.storage import open_storage
from core.sweep.study import SweepSettings, open_study
from core.sweep.trial import EPOCHS_DONE, TEST_ACCURACY, TrialRunner
from core.sweep.worker import work

SAMPLER_SEED = 1


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


def overhead(data, root: Path, pairs: int, epochs: int, max_batches: int) -> dict:
    """Median seconds of a plain run and of a sweep trial with the same settings, alternating."""
    config = TrainConfig(epochs=epochs, max_batches=max_batches, validation=True)
    settings = SweepSettings(space=SearchSpace(vary=("lr",), lr=(config.lr, config.lr * 1.0001)), epochs=epochs,
                             max_batches=max_batches, pruner="none")
    study, settings = open_study(open_storage(None, root), "bench-overhead", settings, set(settings.to_dict()))
    runner = TrialRunner(settings, data, root, "bench-overhead", "journal")
    plain, trial = [], []
    for index in range(pairs):
        started = time.perf_counter()
        trainer, run_dir = new_run(config, data, root, name=f"plain-{index}")
        for _ in fit(trainer, run_dir):
            pass
        plain.append(time.perf_counter() - started)
        study.enqueue_trial({"lr": config.lr})
        started = time.perf_counter()
        work(study, runner, index + 1)
        trial.append(time.perf_counter() - started)
    plain_s, trial_s = statistics.median(plain), statistics.median(trial)
    return {"plain_s": round(plain_s, 2), "trial_s": round(trial_s, 2), "overhead": round(trial_s / plain_s - 1, 4),
            "pairs": pairs, "plain_all": [round(s, 2) for s in plain], "trial_all": [round(s, 2) for s in trial]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--max-batches", type=int, default=20)
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--skip-studies", action="store_true", help="only the per-trial overhead")
    parser.add_argument("--out", default=str(PROJECT_ROOT / "bench" / "sweep_results.json"))
    args = parser.parse_args(argv)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    data = load_mnist(args.data_dir, allow_download=False)
    results = {"machine": describe_machine().describe(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "settings": vars(args)}
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        results["overhead"] = overhead(data, Path(tmp), args.pairs, args.epochs, args.max_batches)
        print(json.dumps(results["overhead"]), flush=True)
        if not args.skip_studies:
            results["studies"] = [study_run(data, Path(tmp), pruner, args.trials, args.epochs, args.max_batches)
                                  for pruner in ("median", "none")]
            for study in results["studies"]:
                print(json.dumps(study), flush=True)
    Path(args.out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

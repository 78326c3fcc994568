"""The benchmark: our trainer against the lecture's loop, the fast preset, scoring and drawing.

    .venv/bin/python -m bench.run [--data-dir DIR] [--out bench/results.json]
    .venv/bin/python -m bench.run --smoke --data-dir TINY_MNIST   # seconds; what tests/test_bench.py runs

It takes about 15 minutes on 2 CPU cores (8 of them the `best` preset's whole run). It prints a Markdown table and writes
the numbers, with the machine, to a JSON results file.
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bench import inside, latency, processes
from bench.training import augment_cost, epoch_estimate, throughput
from bench.machine import describe_machine
from bench.report import table
from core.data.loading import PROJECT_ROOT, data_dir, load_mnist

FULL = {"batches": 100, "rounds": 3, "repeats": 2, "max_batches": None, "scoring": 3, "drawing": 30, "inside": 20,
        "augment_batches": 50, "estimate_batches": 40}
SMOKE = {"batches": 2, "rounds": 1, "repeats": 1, "max_batches": 2, "scoring": 1, "drawing": 2, "inside": 1,
         "augment_batches": 2, "estimate_batches": 2}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="MNIST folder (default: $MNIST_DATA_DIR, else data/)")
    parser.add_argument("--out", default=str(PROJECT_ROOT / "bench" / "results.json"), help="results file")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the benchmark still runs")
    return parser.parse_args(argv)


def whole_processes(folder: Path, root: Path, work: Path, sizes: dict) -> dict:
    """Lecture-loop epoch and `core.train --epochs 1`, alternating; then the fast preset, short and long."""
    cap = ["--max-batches", str(sizes["max_batches"])] if sizes["max_batches"] else []
    lecture, ours = [], []
    for repeat in range(sizes["repeats"]):
        lecture.append(processes.lecture_epoch(root, PROJECT_ROOT, sizes["max_batches"]))
        runs = work / f"ours-{repeat}"
        ours.append(processes.core_train("core.train --epochs 1", ["--epochs", "1", *cap], folder, runs, PROJECT_ROOT))
    fast_runs = work / "fast"
    fast = processes.core_train("core.train --preset fast", ["--preset", "fast", *cap], folder, fast_runs, PROJECT_ROOT)
    epoch_seconds = processes.epoch_seconds(fast_runs)
    lecture_seconds = statistics.median(p.seconds for p in lecture)  # as bench/report.py reads it
    # the longer fast run: as many epochs as fit in 5x the fast budget (half a lecture epoch), with
    # 25% spare per epoch plus a second for its scoring and saving
    budget = 5 * lecture_seconds / 2
    overhead = fast.seconds - epoch_seconds
    epochs = max(2, math.floor((budget - overhead) / (1.25 * epoch_seconds + 1.0)))
    longer = processes.core_train(
        f"core.train --preset fast --epochs {epochs}", ["--preset", "fast", "--epochs", str(epochs), *cap],
        folder, work / "fast-long", PROJECT_ROOT,
    )
    quick = ["--epochs", "1", *cap] if cap else []  # a smoke run checks the row, not 12 epochs of it
    best = processes.core_train("core.train --preset best", ["--preset", "best", *quick], folder, work / "best", PROJECT_ROOT)
    return {"lecture": lecture, "ours": ours, "fast": fast, "fast_long": longer, "best": best}


def measure(args: argparse.Namespace) -> dict:
    sizes = SMOKE if args.smoke else FULL
    folder = data_dir(args.data_dir)
    data = load_mnist(folder)
    with tempfile.TemporaryDirectory(prefix="mnist-bench-") as tmp:
        root = processes.torchvision_root(folder, Path(tmp) / "torchvision")
        speeds = [throughput.compare(m, str(folder), str(root), sizes["batches"], sizes["rounds"]) for m in ("cnn", "deep_cnn")]
        whole = whole_processes(folder, root, Path(tmp), sizes)
    return {
        "speeds": speeds,
        "whole": whole,
        "scoring": {m: latency.scoring_seconds(m, data.test, sizes["scoring"]) for m in ("cnn", "deep_cnn")},
        "drawing": {m: latency.drawing_milliseconds(m, sizes["drawing"]) for m in ("cnn", "deep_cnn")},
        "inside": inside.measure(data, sizes["inside"]),
        "augment_growth": augment_cost.epoch_growth(data, sizes["augment_batches"], sizes["rounds"]),
        "epoch_estimate": epoch_estimate.measure(sizes["estimate_batches"], sizes["rounds"]),
        "bench_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def results_json(machine, numbers: dict, smoke: bool) -> dict:
    whole = numbers["whole"]
    process = lambda p: {"seconds": p.seconds, "peak_mib": p.peak_mib, "accuracy": p.accuracy, "label": p.label}
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "smoke": smoke,
        "machine": machine.to_dict(),
        "throughput": [
            {"model": s.model, "lecture_images_per_s": s.lecture, "ours_images_per_s": s.ours, "ratio": s.ratio,
             "train_gflop_per_image": s.train_flops_per_image / 1e9,
             "peak_fraction": s.ours * s.train_flops_per_image / (machine.peak_gflops * 1e9)}
            for s in numbers["speeds"]
        ],
        "processes": {key: [process(p) for p in whole[key]] for key in ("lecture", "ours")}
        | {key: process(whole[key]) for key in ("fast", "fast_long", "best")},
        "scoring_seconds": numbers["scoring"],
        "drawing_ms": numbers["drawing"],
        "inside_ms": numbers["inside"],
        "augment_growth": numbers["augment_growth"],
        "epoch_estimate": numbers["epoch_estimate"],
        "bench_peak_mib": numbers["bench_peak_mib"],
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    machine = describe_machine()
    print(f"Machine: {machine.describe()}", flush=True)
    results = results_json(machine, measure(args), args.smoke)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nResults written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

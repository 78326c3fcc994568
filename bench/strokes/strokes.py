"""How well each preset's run reads digits drawn as strokes (bench/strokes/stroke_digits.py), beside its MNIST accuracy.

    .venv/bin/python -m bench.strokes.strokes --runs-dir RUNS [--data-dir DIR] [--count 1000] [--out bench/strokes.json]
    .venv/bin/python -m bench.strokes.strokes --runs-dir RUNS --train     # first trains each preset that has no run

For each preset, the newest finished run in RUNS whose config is exactly the preset's
is scored; a preset without one is listed with the command that trains it. The stroke
digits are MNIST's first `count` *test* digits, redrawn with seeded random pens, so no
run has seen them, and every run is scored on the same drawings.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import torch

from bench.processes import core_train
from bench.strokes.stroke_digits import stroke_digits
from core.runs import checkpoints
from core.data.loading import PROJECT_ROOT, Split, data_dir, load_mnist
from core.evaluate import predict
from core.training.presets import PRESETS


@dataclass(frozen=True)
class PresetScore:
    preset: str
    run: str | None  # None: no finished run of this preset in the runs folder
    mnist_accuracy: float | None
    stroke_accuracy: float | None
    most_confused: list[tuple[int, int, int]]  # (true, predicted, count), largest first


def preset_run(root: Path, preset: str) -> checkpoints.RunInfo | None:
    """The newest finished, undamaged run whose config is exactly the preset's."""
    wanted = PRESETS[preset].to_dict()
    for run in checkpoints.list_runs(root):  # newest first
        if run.damaged is None and run.meta.get("status") == "finished" and run.config.to_dict() == wanted:
            return run
    return None


def score_presets(root: Path, strokes: Split) -> list[PresetScore]:
    scores = []
    for preset in PRESETS:
        run = preset_run(root, preset)
        if run is None:
            scores.append(PresetScore(preset, None, None, None, []))
            continue
        model, _ = checkpoints.load_model(run.path)
        predictions = predict(model, strokes)
        scores.append(PresetScore(
            preset, run.name, run.meta["metrics"]["test_accuracy"], predictions.accuracy, predictions.most_confused(3),
        ))
    return scores


def train_missing(root: Path, folder: Path) -> None:
    """Train, one whole process each, every preset that has no finished run in `root`."""
    for preset in PRESETS:
        if preset_run(root, preset) is None:
            print(f"training --preset {preset} ...", flush=True)
            core_train(f"core.train --preset {preset}", ["--preset", preset], folder, root, PROJECT_ROOT)


def table(scores: list[PresetScore], count: int) -> str:
    lines = [
        f"| Preset | MNIST test accuracy | Stroke digits ({count:,}) accuracy | Most confused (true→read: count) |",
        "|---|---:|---:|---|",
    ]
    for score in scores:
        if score.run is None:
            lines.append(f"| `{score.preset}` | not trained | | `python -m core.train --preset {score.preset}` |")
            continue
        confused = ", ".join(f"{t}→{p}: {n}" for t, p, n in score.most_confused)
        lines.append(f"| `{score.preset}` | {score.mnist_accuracy:.2%} | **{score.stroke_accuracy:.2%}** | {confused} |")
    return "\n".join(lines)


def drawn_digits(folder: Path, count: int, seed: int, cache: Path | None) -> tuple[torch.Tensor, torch.Tensor]:
    """The stroke digits, from `cache` when it holds this count and seed, else drawn (and cached)."""
    if cache is not None and cache.is_file():
        saved = torch.load(cache, weights_only=True)
        if (saved["count"], saved["seed"]) == (count, seed):
            return saved["images"], saved["labels"]
    started = time.perf_counter()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one small canvas at a time: a second thread only waits (4x slower, measured)
    try:
        images, labels = stroke_digits(load_mnist(folder).test, count, seed)
    finally:
        torch.set_num_threads(threads)
    print(f"{len(labels)} stroke digits drawn and preprocessed in {time.perf_counter() - started:.0f} s", flush=True)
    if cache is not None:
        torch.save({"count": count, "seed": seed, "images": images, "labels": labels}, cache)
    return images, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.strokes.strokes", description=__doc__.splitlines()[0])
    parser.add_argument("--runs-dir", help="runs folder (default: $MNIST_CHECKPOINT_DIR, else checkpoints/)")
    parser.add_argument("--data-dir", help="MNIST folder (default: $MNIST_DATA_DIR, else data/)")
    parser.add_argument("--count", type=int, default=1000, help="test digits to redraw (from the first)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random pens")
    parser.add_argument("--cache", help="keep the drawn digits in this .pt file and reuse them (same --count and --seed)")
    parser.add_argument("--train", action="store_true", help="first train each preset that has no run (long)")
    parser.add_argument("--out", default=str(PROJECT_ROOT / "bench" / "strokes.json"), help="results file")
    args = parser.parse_args(argv)
    root, folder = checkpoints.checkpoint_dir(args.runs_dir), data_dir(args.data_dir)
    if args.train:
        train_missing(root, folder)
    images, labels = drawn_digits(folder, args.count, args.seed, Path(args.cache) if args.cache else None)
    scores = score_presets(root, Split(images, labels))
    print(table(scores, len(labels)))
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "count": len(labels), "seed": args.seed,
        "scores": [asdict(score) for score in scores],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(f"Results written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

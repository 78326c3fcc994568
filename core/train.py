"""Train a CNN on MNIST (or Fashion-MNIST) from the command line, printing the lecture's lines.

    python -m core.train                          # the lecture's basic CNN, 15 epochs
    python -m core.train --model deep_cnn
    python -m core.train --arch c16-bn-max,c32-bn-max,gap,fc10   # any design, as text or a JSON file (README)
    python -m core.train --preset fast            # 99% in one quick epoch
    python -m core.train --dataset fashion-mnist  # the same CNN on clothing images
    python -m core.train --preset fast --augment strong
    python -m core.train --epochs 1 --max-batches 50
    python -m core.train --resume cnn-20261128-101500 --epochs 20
"""
from __future__ import annotations

import argparse
import sys

from core.runs import checkpoints
from core.training.augment import LEVELS, describe
from core.cli import HARD_STOP, INTERRUPTED, Parser, interrupted, ProgressLine, fail, kept_epochs, number, positive_int, stop_on_ctrl_c
from core.training.capacity import check_fits
from core.training.config import ConfigError, TrainConfig
from core.training.design_file import design_argument
from core.training.design_text import format_design
from core.data.loading import DatasetError, load_dataset
from core.data.datasets import DATASETS
from core.training.events import BatchEnd, EpochEnd, Stopped
from core.training.fit import fit, new_run, resume_run
from core.training.models import MODELS
from core.training.presets import PRESETS
from core.training.readings import Watch
from core.training.trainer import Trainer

# CLI flag -> TrainConfig field, for the flags that set a field
FIELD_FLAGS = {
    "model": "model", "dataset": "dataset", "epochs": "epochs", "batch_size": "batch_size", "lr": "lr", "seed": "seed",
    "optimizer": "optimizer", "dropout": "dropout", "max_batches": "max_batches", "augment": "augment",
}


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m core.train", description="Train a CNN on MNIST or Fashion-MNIST.")
    p.add_argument("--preset", choices=list(PRESETS), help="start from a named recipe (default: the lecture's)")
    p.add_argument("--model", choices=list(MODELS))
    p.add_argument("--arch", "--design", dest="arch", metavar="TEXT|FILE.json",
                   help="any design instead of --model: its text (c32-max,c64-max,fc10) or a JSON file; see python -m core.summary")
    p.add_argument("--dataset", choices=list(DATASETS), help="default: mnist, or the preset's")
    p.add_argument("--epochs", type=positive_int)
    p.add_argument("--batch-size", type=positive_int)
    p.add_argument("--lr", type=number, help="learning rate")
    p.add_argument("--seed", type=int)
    p.add_argument("--optimizer", choices=["adam", "sgd", "adamw"])
    p.add_argument("--dropout", type=number, help="dropout rate of deep_cnn's hidden layer")
    p.add_argument("--augment", choices=list(LEVELS),
                   help="random changes to each training image: " + "; ".join(f"{k}: {describe(k)}" for k in LEVELS).replace("%", "%%"))
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--data-dir", help="dataset folder (default: $MNIST_DATA_DIR or $FASHION_MNIST_DATA_DIR, else data/)")
    p.add_argument("--checkpoint-dir", help="runs folder (default: $MNIST_CHECKPOINT_DIR, else checkpoints/)")
    p.add_argument("--max-batches", type=positive_int, help="cap batches per epoch, for quick tries")
    p.add_argument("--resume", metavar="RUN", help="continue a saved run (its folder or name) up to --epochs in total")
    return p


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    if args.arch is not None and args.model is not None:
        raise ConfigError("give --model or --arch, not both: a named model is a design.")
    base = PRESETS[args.preset or "lecture-cnn"]
    changes = {field: getattr(args, flag) for flag, field in FIELD_FLAGS.items() if getattr(args, flag) is not None}
    if args.arch is not None:
        changes["design"] = design_argument(args.arch)
    return base.with_changes(**changes)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root = checkpoints.checkpoint_dir(args.checkpoint_dir)
    try:
        config = config_from_args(args)
        Trainer.batches_per_epoch(config, 60_000)  # batch size vs. the real training set, before any work
        if args.device == "cuda":
            from core.training.trainer import resolve_device

            resolve_device("cuda")
        check_fits(config.design, config.batch_size, "cuda" if args.device == "cuda" else "cpu")
        dataset = config.dataset
        if args.resume:
            run_dir = checkpoints.user_run_path(root, args.resume)
            dataset = checkpoints.read_meta(run_dir)["config"].get("dataset", "mnist")
    except (ConfigError, ValueError, checkpoints.CheckpointError) as error:
        fail(str(error))
    try:
        data = load_dataset(dataset, args.data_dir)
    except DatasetError as error:
        fail(str(error), code=1)
    try:
        if args.resume:
            trainer = resume_run(run_dir, data, args.epochs or config.epochs, args.device)
        else:
            trainer, run_dir = new_run(config, data, root, args.device)
    except (ValueError, checkpoints.CheckpointError) as error:
        fail(str(error))
    return report(trainer, run_dir)


def report(trainer: Trainer, run_dir) -> int:
    """Train, printing the lecture's lines; Ctrl-C stops after the current batch, a second one at once."""
    dataset = DATASETS[trainer.config.dataset].title
    print(f"Training {trainer.config.model} on {dataset}, on {trainer.device} -> {run_dir}", flush=True)
    print(f"design: {format_design(trainer.config.design)}", flush=True)
    progress, watch = ProgressLine(), Watch()
    with stop_on_ctrl_c() as stop:
        try:
            for event in fit(trainer, run_dir, stop):
                for reading in watch.see(event):
                    progress.clear()
                    print(f"warning: {reading.sentence}", flush=True)
                if isinstance(event, BatchEnd):
                    progress.update(event.epoch, event.batch, event.batches, event.cost)
                elif isinstance(event, EpochEnd):
                    progress.clear()
                    print(
                        f"[Epoch: {event.epoch:>4}] cost = {event.cost:>.9}  test accuracy = {event.test_accuracy:.4f}"
                        f"  ({event.seconds:.1f} s, {event.images_per_second:,.0f} images/s)",
                        flush=True,
                    )
                elif isinstance(event, Stopped):
                    progress.clear()
                    if event.reason == "stopped":
                        print(f"{event.message.rstrip('.')}; {kept_epochs(event.epochs_done)}.", file=sys.stderr)
                        return INTERRUPTED
                    print(event.message, file=sys.stderr)
                    return 3
        except BaseException as error:
            if not interrupted(error):
                raise
            progress.clear()
            print(f"Stopped at once by a second Ctrl-C; {kept_epochs(checkpoints.mark_stopped(run_dir, HARD_STOP))}.", file=sys.stderr)
            return INTERRUPTED
    if not trainer.history:
        return 1
    print("Learning Finished!")
    print(f"Accuracy: {trainer.history[-1]['test_accuracy']:.4f}")
    meta = checkpoints.read_meta(run_dir)
    lecture = meta["metrics"].get("lecture_accuracy")
    if lecture is not None:
        print(f"Accuracy measured the lecture's way (raw 0-255 test pixels): {lecture:.4f}")
    print(f"Run saved in {run_dir}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # before training began, e.g. while the data loads
        print("Stopped before training began; nothing is saved.", file=sys.stderr)
        sys.exit(INTERRUPTED)

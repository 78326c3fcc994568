"""Run a hyperparameter sweep with Optuna; start the same command on more machines to share the work.

    python -m core.sweep --study lr-vs-batch --trials 20 --vary lr,batch_size --epochs 3
    python -m core.sweep --study big --trials 100 --storage postgresql+psycopg://me@db-host:5432/sweeps
    python -m core.sweep --study clothes --trials 20 --dataset fashion-mnist
    python -m core.sweep --study shapes --trials 30 --vary depth,width,kernel,batch_norm --design c16-max,c32-max,fc10

`--trials` is the study's total, across all its workers. Each trial is a run in the runs folder,
scored on the validation split held out of the training images, never on the test set.
Exit codes: 0 done, 1 storage or data unusable, 2 bad input, 130 stopped by Ctrl-C (after the current batch;
a second Ctrl-C stops at once).
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import zlib

import optuna

from core.runs import checkpoints
from core.cli import HARD_STOP, INTERRUPTED, Parser, fail, interrupted, kept_epochs, positive_int, stop_on_ctrl_c
from core.training.config import ConfigError, TrainConfig
from core.data.loading import DatasetError, load_dataset
from core.data.datasets import DATASETS
from core.sweep.report import best_line, trial_line
from core.sweep.space import VARIABLES, SearchSpace
from core.sweep.storage import StorageError, open_storage, safe_url
from core.sweep.study import BASE_DESIGN, PRUNERS, SettingsMismatch, SweepSettings, check_study_name, open_study
from core.sweep.trial import RUN, TrialRunner
from core.sweep.worker import counts, work
from core.training.events import Event, Stopped


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m core.sweep", description="Sweep hyperparameters with Optuna, one run per trial.")
    p.add_argument("--study", required=True, help="the study's name; workers with the same name share it")
    p.add_argument("--trials", type=positive_int, required=True, help="finished trials the study needs, all workers together")
    p.add_argument("--storage", help="postgresql+psycopg://user@host:port/db, or a journal file (default: in the runs folder)")
    p.add_argument("--vary", help=f"comma list of {','.join(VARIABLES)} (default lr,batch_size,optimizer)")
    p.add_argument("--epochs", type=positive_int, help="epochs per trial (default 3)")
    p.add_argument("--max-batches", type=positive_int, help="cap batches per epoch, for quick tries")
    p.add_argument("--pruner", choices=PRUNERS, help="stop weak trials early (default median)")
    p.add_argument("--timeout", type=positive_int, help="seconds after which this worker starts no new trial")
    p.add_argument("--seed", type=int, help="every trial's training seed (default 777)")
    p.add_argument("--dataset", choices=list(DATASETS), help="what every trial trains on (default mnist, or the study's)")
    p.add_argument("--arch", "--design", dest="design", help=f"the base design that depth, width, kernel, batch_norm and hidden_units vary (default {BASE_DESIGN})")
    p.add_argument("--data-dir", help="dataset folder (default: $MNIST_DATA_DIR or $FASHION_MNIST_DATA_DIR, else data/)")
    p.add_argument("--checkpoint-dir", help="runs folder (default: $MNIST_CHECKPOINT_DIR, else checkpoints/)")
    return p


def settings_from_args(args: argparse.Namespace) -> tuple[SweepSettings, set[str]]:
    """The asked settings (defaults where a flag is absent) and which ones were given explicitly."""
    given = {
        field: value for field, value in (
            ("space", SearchSpace.parse(args.vary) if args.vary is not None else None), ("epochs", args.epochs),
            ("max_batches", args.max_batches), ("pruner", args.pruner), ("seed", args.seed), ("dataset", args.dataset),
            ("design", args.design),
        ) if value is not None
    }
    settings = SweepSettings(**given)
    TrainConfig(epochs=settings.epochs, max_batches=settings.max_batches, seed=settings.seed)  # same limits as a run
    return settings, set(given)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root = checkpoints.checkpoint_dir(args.checkpoint_dir)
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # our own line per trial replaces Optuna's log
    try:
        check_study_name(args.study)
        settings, given = settings_from_args(args)
        storage = open_storage(args.storage, root)
        # each worker samples its own way, so workers starting together do not try the same settings
        sampler_seed = zlib.crc32(f"{settings.seed}-{socket.gethostname()}-{os.getpid()}".encode())
        study, settings = open_study(storage, args.study, settings, given, sampler_seed)
    except (ConfigError, ValueError) as error:  # SettingsMismatch included
        fail(str(error))
    except StorageError as error:
        fail(str(error), code=1)
    try:
        data = load_dataset(settings.dataset, args.data_dir)  # the study's, when it already existed
    except DatasetError as error:
        fail(str(error), code=1)
    label = safe_url(args.storage) if args.storage else str(root / "optuna-journal.log")
    print(f"Study {args.study}: {settings.space.describe()} from design {settings.design}; {DATASETS[settings.dataset].title}, "
          f"{settings.epochs} epochs per trial; {args.trials} trials in all; storage {label}", flush=True)
    cut_short: list[tuple[int, Stopped]] = []  # (trial number, its Stopped event), for the closing line
    training: list[int] = []  # the trial training now, if any

    def on_event(number: int, event: Event) -> None:
        training[:] = [number]
        if isinstance(event, Stopped):
            cut_short.append((number, event))

    with stop_on_ctrl_c() as stop:
        runner = TrialRunner(settings, data, root, args.study, label, stop=stop, on_event=on_event)
        try:
            finished = work(study, runner, args.trials, args.timeout, stop, lambda trial: print(trial_line(trial, root), flush=True))
        except BaseException as error:  # a Ctrl-C, which Optuna records as the trial in progress failing
            if not interrupted(error):
                raise
            run = study.trials[training[0]].user_attrs.get(RUN) if training else None
            kept = f"; trial {training[0]} is failed and {kept_epochs(checkpoints.mark_stopped(root / run, HARD_STOP))}" if run else ""
            print(f"Stopped at once by a second Ctrl-C{kept}; {kept_trials(counts(study)[0])}.", file=sys.stderr)
            return INTERRUPTED
    if stop.is_set() and finished < args.trials:
        print(stopped_line(cut_short, finished), file=sys.stderr)
        return INTERRUPTED
    print(best_line(study, root))
    return 0


def stopped_line(cut_short: list[tuple[int, Stopped]], finished: int) -> str:
    """One line on what a Ctrl-C kept: the study's finished trials, and the epochs of the trial it cut short."""
    kept = kept_trials(finished)
    if not cut_short:
        return f"Stopped by request between trials; {kept}."
    number, event = cut_short[-1]
    return f"Trial {number}: {event.message.rstrip('.')}, marked failed and {kept_epochs(event.epochs_done)}; {kept}."



def kept_trials(finished: int) -> str:
    return f"{finished} finished trial{' is' if finished == 1 else 's are'} saved in the study"


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # before the first trial, e.g. while the data loads
        print("Stopped before the first trial; nothing is saved.", file=sys.stderr)
        sys.exit(INTERRUPTED)

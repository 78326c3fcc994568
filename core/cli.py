"""Shared command-line plumbing: one-line errors with exit code 2, a progress line, Ctrl-C as a stop."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NoReturn, TextIO

INTERRUPTED = 130  # the shell's code for a process ended by SIGINT
HARD_STOP = "Stopped at once by a second Ctrl-C."  # run.json's message for a run cut short mid-batch


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line, exit code 2, no usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def run_arguments(parser: argparse.ArgumentParser) -> None:
    """The positional run and --checkpoint-dir, as every command that reads one saved run takes them."""
    parser.add_argument("run", help="a run folder (as core.train prints it), or the name of a run in the checkpoint folder")
    parser.add_argument("--checkpoint-dir", help="runs folder (default: $MNIST_CHECKPOINT_DIR, else checkpoints/)")


def saved_run(name: str, checkpoint_dir: str | None) -> Path:
    """The run a command line names, checked as the Runs page checks it (both files); CheckpointError says what is wrong."""
    from core.runs import checkpoints

    root = checkpoints.checkpoint_dir(checkpoint_dir)
    run_dir = checkpoints.user_run_path(root, name)  # a printed run folder, or a run name
    if not run_dir.is_dir():
        raise checkpoints.CheckpointError(f"There is no run named {run_dir.name} in {root}.")
    damaged = checkpoints.inspect_run(run_dir).damaged
    if damaged:
        raise checkpoints.CheckpointError(damaged)
    return run_dir


def fail(message: str, code: int = 2) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(code)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


class ProgressLine:
    """A one-line batch progress bar on a terminal; silent when output is redirected."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        # sys.stderr looked up now, not when this module was imported: it may have been replaced since
        self.stream, self.width = stream or sys.stderr, width
        self.enabled = self.stream.isatty()

    def update(self, epoch: int, batch: int, batches: int, cost: float) -> None:
        if not self.enabled or (batch % 10 and batch != batches):
            return
        filled = self.width * batch // batches
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\repoch {epoch} [{bar}] {batch}/{batches} cost {cost:.4f}")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (self.width + 50) + "\r")
            self.stream.flush()


@contextmanager
def stop_on_ctrl_c() -> Iterator[threading.Event]:
    """An event the first Ctrl-C sets; a second Ctrl-C raises KeyboardInterrupt at once.

    Python's own handler raises KeyboardInterrupt wherever the main thread is, e.g. inside a
    generator, which ends that generator as if it had finished; an event is only read where
    the work can stop cleanly (between batches)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # signal handlers belong to the main thread
        yield stop
        return

    def first_ctrl_c(_signum: int, _frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # os.write, not print: print here could re-enter a write the main thread was doing to stderr
        os.write(sys.stderr.fileno(), b"\nStopping after the current batch; press Ctrl-C again to stop at once.\n")

    previous = signal.signal(signal.SIGINT, first_ctrl_c)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def interrupted(error: BaseException) -> bool:
    """Whether `error` is a Ctrl-C, or an error raised while cleaning up after one (a lock or temp file
    whose removal the KeyboardInterrupt cut short, as Optuna's journal lock can be)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def kept_epochs(epochs_done: int) -> str:
    """What a stopped run keeps, as the end of a sentence."""
    if epochs_done == 0:
        return "no epoch had finished, so nothing is saved"
    return "epoch 1 is saved" if epochs_done == 1 else f"epochs 1-{epochs_done} are saved"

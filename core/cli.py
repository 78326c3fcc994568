"""Shared command-line plumbing: one-line errors with exit code 2, and a progress line."""
from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TextIO


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line, exit code 2, no usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


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

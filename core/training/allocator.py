"""Keep freed memory in the process, so that each training step reuses it instead of asking the kernel.

A training step frees and reallocates the same few large buffers (deep_cnn's first
pooling gradient alone is (100,32,28,28) float32, 10 MB). By default glibc hands such
blocks back to the kernel and maps fresh, zero-filled pages on the next step; on this
project's 2-core machine that cost deep_cnn about a third of its speed (bench/). Raising
glibc's mmap and trim thresholds keeps the pages. Only where memory comes from changes,
not the math; elsewhere (no glibc) this does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3  # glibc's mallopt parameters


def keep_freed_memory() -> bool:
    """True when glibc accepted the settings."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        settings = ((M_MMAP_THRESHOLD, 32 << 20), (M_TRIM_THRESHOLD, 1 << 30), (M_TOP_PAD, 64 << 20))
        return all(libc.mallopt(parameter, value) == 1 for parameter, value in settings)
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS, Windows)
        return False

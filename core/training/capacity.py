"""Whether a design fits this machine: its training memory estimated and compared with what is free.

    check_fits(design, batch_size)   # raises DesignError with a sentence, before any tensor is made

Estimate: parameters x 16 bytes (weights, gradients, Adam's two moments), plus a batch's layer
outputs x 8 bytes (each float32 output is kept for the backward pass, and gets a gradient of its
own size), plus the weights' first forward. It errs high; it only has to refuse what cannot run.
"""
from __future__ import annotations

import os

import torch

from core.training.design import Design, DesignError
from core.training.walk import BYTES_PER_VALUE, totals

BYTES_PER_PARAMETER = 4 * BYTES_PER_VALUE  # weight, gradient, and Adam's two moment estimates
SHARE_USABLE = 0.6  # of the memory free now: the dataset, Python and the page need the rest


def training_bytes(design: Design, batch_size: int) -> tuple[int, int]:
    """(parameter bytes, activation bytes) of training `design` on batches of `batch_size`."""
    total = totals(design)
    return total.parameters * BYTES_PER_PARAMETER, 2 * batch_size * total.activation_bytes


def free_bytes(device: torch.device | str = "cpu") -> int:
    """Memory free for a new run: the GPU's free memory on CUDA; else MemAvailable, within a cgroup's limit."""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.mem_get_info(device)[0]
    available = _meminfo_available()
    limit = _cgroup_room()
    return min(available, limit) if limit is not None else available


def check_fits(design: Design, batch_size: int, device: torch.device | str = "cpu", free: int | None = None) -> None:
    """Refuses, in one sentence, a design whose training would not fit in memory (`free` bytes, else measured now)."""
    parameters, activations = training_bytes(design, batch_size)
    usable = int((free_bytes(device) if free is None else free) * SHARE_USABLE)
    where = "on the GPU" if torch.device(device).type == "cuda" else "on this machine"
    if parameters > usable:
        raise DesignError(
            f"the design has {totals(design).parameters:,} parameters: training them with Adam needs about "
            f"{_gb(parameters)}, more than the {_gb(usable)} free {where}; use fewer channels, pooling, or a smaller hidden layer."
        )
    if parameters + activations > usable:
        raise DesignError(
            f"a batch of {batch_size} needs about {_gb(activations)} for the layers' outputs (and {_gb(parameters)} for the "
            f"weights), more than the {_gb(usable)} free {where}; use a smaller batch, fewer channels, or pool earlier."
        )


def _gb(count: int) -> str:
    return f"{count / 2**30:.1f} GB" if count >= 2**28 else f"{count / 2**20:.0f} MB"


def _meminfo_available() -> int:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")


def _cgroup_room() -> int | None:
    """The room left under a cgroup v2 memory limit, when one is set (containers)."""
    try:
        limit = open("/sys/fs/cgroup/memory.max").read().strip()
        used = int(open("/sys/fs/cgroup/memory.current").read())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else max(0, int(limit) - used)

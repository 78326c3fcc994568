"""What machine the benchmark ran on, and an estimate of its peak FP32 FLOP/s.

The peak is cores x clock x FP32 FLOPs per cycle per core, the vector width and
FMA units read off the CPU's flags. It is an estimate (no turbo, no thermal
limits); the benchmark states the assumptions next to the number.
"""
from __future__ import annotations

import os
import platform
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import torch


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int  # the cores this process may run on
    threads: int  # torch's intra-op threads
    clock_ghz: float
    flops_per_cycle: int  # FP32 FLOPs per cycle per core
    gpu: str | None

    @property
    def peak_gflops(self) -> float:
        return self.cores * self.clock_ghz * self.flops_per_cycle

    def describe(self) -> str:
        return (
            f"{self.cpu}, {self.cores} cores, torch {torch.__version__} with {self.threads} threads; "
            f"est. peak {self.peak_gflops:.0f} GFLOP/s FP32 = {self.cores} x {self.clock_ghz:.2f} GHz x "
            f"{self.flops_per_cycle} FLOP/cycle; GPU: {self.gpu or 'none'}"
        )

    def to_dict(self) -> dict:
        return {**asdict(self), "peak_gflops": self.peak_gflops}


def cpuinfo(path: Path = Path("/proc/cpuinfo")) -> dict[str, str]:
    """The first processor's fields from /proc/cpuinfo ({} where there is none)."""
    try:
        block = path.read_text().split("\n\n")[0]
    except OSError:
        return {}
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in block.splitlines())}


def flops_per_cycle(vendor: str, flags: set[str]) -> int:
    """FP32 FLOPs per cycle per core: 2 FMA pipes x lanes x 2 (multiply and add)."""
    if "avx512f" in flags and vendor == "GenuineIntel":
        return 64  # two 512-bit FMA units
    if "avx2" in flags and "fma" in flags:
        return 32  # two 256-bit FMA units; AMD Zen 4 runs AVX-512 on these, double-pumped
    return 16  # SSE: two 128-bit units


def clock_ghz(info: dict[str, str]) -> float:
    """Base clock: cpufreq's maximum when the kernel exposes it, else /proc/cpuinfo's MHz (the TSC's under KVM)."""
    maximum = Path("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
    if maximum.exists():
        return int(maximum.read_text()) / 1e6
    return float(info.get("cpu MHz", "2000")) / 1000


def describe_machine() -> Machine:
    info = cpuinfo()
    model = info.get("model name", platform.processor() or platform.machine())
    if info.get("cpu family") and info.get("model"):
        model += f" (family {info['cpu family']} model {info['model']})"
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return Machine(
        cpu=re.sub(r"\s+", " ", model),
        cores=len(os.sched_getaffinity(0)),
        threads=torch.get_num_threads(),
        clock_ghz=clock_ghz(info),
        flops_per_cycle=flops_per_cycle(info.get("vendor_id", ""), set(info.get("flags", "").split())),
        gpu=gpu,
    )

"""MNIST CNN Studio's library: plain PyTorch, no streamlit below this package.

Importing it first sets two process-wide defaults, before torch loads:
- OpenMP's idle threads sleep instead of spinning (read once, when torch loads its
  OpenMP runtime). On a machine whose cores are shared with other work, spinning threads
  wait on descheduled ones and training ran 2-4x slower (bench/). A value already set in
  the environment wins.
- freed memory stays in the process (core/training/allocator.py).
"""
import os

from core.training.allocator import keep_freed_memory

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
keep_freed_memory()

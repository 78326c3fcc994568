"""MNIST CNN Studio's library: plain PyTorch, no streamlit below this package.

Importing it first sets one process-wide default before torch loads its OpenMP
runtime (read once, at load): idle threads sleep instead of spinning. On a
machine whose cores are shared with other work, spinning threads wait on
descheduled ones and training ran 2-4x slower (bench/). A value already set
in the environment wins.
"""
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

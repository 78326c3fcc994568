"""Run folders: checkpoints (save, list, load safely), weights-only loading and why a file is refused, per-epoch weights, atomic writes."""

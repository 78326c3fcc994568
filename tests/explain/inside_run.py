"""One small trained cnn run with every epoch's weights, trained once per test process and copied by tests."""
from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

from core.training.config import TrainConfig
from core.training.fit import fit, new_run

EPOCHS = 3


@functools.lru_cache(maxsize=None)
def _trained(data_source: str, model: str) -> Path:
    from core.data.loading import load_mnist

    data = load_mnist(data_source, allow_download=False)
    root = Path(tempfile.mkdtemp(prefix="inside-runs-"))
    config = TrainConfig(model=model, epochs=EPOCHS, batch_size=64, max_batches=4)
    trainer, run_dir = new_run(config, data, root, device="cpu", name=f"inside-{model}")
    list(fit(trainer, run_dir))
    return run_dir


def trained_run(data_dir: Path, root: Path, model: str = "cnn") -> Path:
    """A copy, inside `root`, of a cnn run trained on the tiny synthetic digits (squares: easy)."""
    source = _trained(str(data_dir), model)
    root.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copytree(source, root / source.name))

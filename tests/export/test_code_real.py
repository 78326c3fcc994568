"""The exported script on the real MNIST repeats a run's recorded epoch-1 cost: within 0.5% for the
lecture's settings and the fast preset (same seed, same batches; only float summation order, memory
layout and thread count differ), within 2% for an augmented run. Both sides train 50 batches, the
run's max_batches, which the script writes as its own max_batches, so each test takes seconds."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.export.code import script_text
from core.runs import checkpoints
from core.training.config import TrainConfig
from core.training.fit import fit, new_run
from core.training.presets import PRESETS
from tests.conftest import REAL_MNIST
from tests.export.exported import epoch_costs, relative, run_script

CASES = {
    "lecture-cnn": (PRESETS["lecture-cnn"], 0.005),
    "fast": (PRESETS["fast"], 0.005),
    "robust": (PRESETS["robust"].with_changes(epochs=1), 0.02),  # strong augmentation
}


@pytest.mark.real_data
@pytest.mark.parametrize("preset", list(CASES))
def test_the_exported_script_prints_the_runs_epoch_1_cost_on_real_mnist(preset, real_mnist, tmp_path, capsys):
    config, allowed = CASES[preset]
    config = config.with_changes(epochs=1, max_batches=50)
    trainer, run_dir = new_run(config, real_mnist, tmp_path / "runs", device="cpu", name="run")
    for _ in fit(trainer, run_dir):
        pass
    recorded = checkpoints.read_meta(run_dir)["history"][0]["cost"]
    script = tmp_path / "alone" / "run.py"
    script.parent.mkdir()
    script.write_text(script_text(TrainConfig.from_dict(checkpoints.read_meta(run_dir)["config"]), "run"))
    printed = epoch_costs(run_script(script, Path(os.environ.get("MNIST_DATA_DIR", REAL_MNIST))))[0]
    with capsys.disabled():
        print(f"\n{preset}: run {recorded:.9f}, exported script {printed:.9f}, relative {relative(printed, recorded):.2e}")
    assert relative(printed, recorded) < allowed

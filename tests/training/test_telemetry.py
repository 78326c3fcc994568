"""The recorder: its numbers against a direct computation, dead units, the file beside the run, kill -9."""
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from core.data.loading import PROJECT_ROOT
from core.runs import checkpoints, telemetry_file
from core.training.config import TrainConfig
from core.training.events import BatchEnd, Telemetry
from core.training.fit import fit, new_run
from core.training.telemetry import Recorder, every_for
from core.training.trainer import Trainer

QUICK = TrainConfig(epochs=1, batch_size=32, max_batches=6)


def test_about_fifty_records_land_per_epoch():
    assert every_for(600) == 12 and 600 // every_for(600) == 50
    assert every_for(469) == 9 and every_for(10) == 1


def test_recorded_norms_equal_a_direct_computation_on_the_same_step(tiny_mnist):
    trainer = Trainer(QUICK, tiny_mnist, device="cpu")
    trainer.recorder.every = 3
    before = {name: p.detach().double().clone() for name, p in trainer.model.named_parameters()}
    for event in trainer.run():
        if isinstance(event, BatchEnd) and event.batch == 2:
            before = {name: p.detach().double().clone() for name, p in trainer.model.named_parameters()}
        if isinstance(event, Telemetry):
            break
    assert event.batch == 3 and event.record["step"] == 3
    layers = event.record["weights"]
    assert list(layers) == ["layer1", "layer2", "fc"]  # the lecture's basic CNN, in design order
    for name, key in (("layer1", "layer1.0.weight"), ("layer2", "layer2.0.weight"), ("fc", "fc.weight")):
        w = dict(trainer.model.named_parameters())[key]
        direct_norm = w.detach().double().norm().item()
        assert layers[name]["weight_norm"] == pytest.approx(direct_norm, rel=1e-5)
        assert layers[name]["grad_norm"] == pytest.approx(w.grad.double().norm().item(), rel=1e-5)
        update = (w.detach().double() - before[key]).norm().item()
        assert layers[name]["update_ratio"] == pytest.approx(update / direct_norm, rel=1e-4)
        assert sum(layers[name]["histogram"]) == w.numel()  # nothing lost outside the bins
    conv = trainer.model.layer1[0].weight.detach()
    assert np.allclose(event.record["filters"], conv[:, 0].numpy(), atol=1e-5)
    probabilities = np.array(event.record["probabilities"])
    assert probabilities.shape == (10, 10) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-3)


def test_a_layer_whose_bias_is_forced_very_negative_is_all_dead(tiny_mnist):
    trainer = Trainer(QUICK, tiny_mnist, device="cpu")
    with torch.no_grad():
        trainer.model.layer2[0].bias.fill_(-1e4)
    record = trainer.recorder.record(trainer.model, 1, 1, 6, 2.3).record
    assert record["activations"]["layer2"]["dead"] == 1.0
    assert record["activations"]["layer1"]["dead"] < 0.5  # the untouched layer is alive
    assert 0 <= record["activations"]["layer1"]["std"]


def test_recording_changes_nothing_the_run_learns(tiny_mnist):
    def final_weights(record: bool) -> dict:
        trainer = Trainer(QUICK.with_changes(epochs=2), tiny_mnist, device="cpu")
        if record:
            trainer.recorder.every = 1
        else:
            trainer.recorder = None
        list(trainer.run())
        return trainer.model.state_dict()

    recorded, plain = final_weights(True), final_weights(False)
    assert all(torch.equal(recorded[key], plain[key]) for key in plain)


def test_the_file_beside_the_run_holds_every_record_and_loads(tiny_mnist, runs_dir):
    trainer, run_dir = new_run(QUICK.with_changes(epochs=2), tiny_mnist, runs_dir, device="cpu")
    trainer.recorder.every = 2
    events = list(fit(trainer, run_dir))
    header, records = telemetry_file.load(run_dir)
    assert [r["step"] for r in records] == [2, 4, 6, 8, 10, 12]
    assert records == [e.record for e in events if isinstance(e, Telemetry)]
    assert header["probe_labels"] == list(range(10)) and np.array(header["probe_images"]).shape == (10, 28, 28)
    assert set(header["weight_bins"]) == {"layer1", "layer2", "fc"}


def test_a_run_trained_before_recording_has_none(runs_dir, tmp_path):
    assert telemetry_file.load(tmp_path) is None


def test_the_file_survives_a_kill_9_mid_epoch_and_loads(tmp_path, tiny_mnist_dir):
    runs = tmp_path / "runs"
    args = ["-m", "core.train", "--batch-size", "2", "--epochs", "500", "--data-dir", str(tiny_mnist_dir),
            "--checkpoint-dir", str(runs), "--device", "cpu"]
    process = subprocess.Popen([sys.executable, *args], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        lines = [process.stdout.readline() for _ in range(3)]  # "Training ...", "design: ...", epoch 1
        assert lines[2].startswith("[Epoch:    1]"), lines
        epoch_seconds = float(lines[2].split("(")[1].split(" s")[0])
        time.sleep(min(0.5 * epoch_seconds, 2.0))  # inside epoch 2
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    [run] = checkpoints.list_runs(runs)
    header, records = telemetry_file.load(run.path)
    done = run.meta["metrics"]["epochs_done"]
    assert done >= 1 and len(records) == done * (256 // header["every"])
    assert records[-1]["epoch"] == done and not list(run.path.glob(".*.tmp"))

"""The exported code: the network spelled out matches the studio's builder, and the script runs
on its own (a real python process, the project not on its path) and repeats the run's epoch-1 cost."""
from __future__ import annotations

import ast
import sys

import pytest
import torch

from core.export.code import code_cells, script_text
from core.export.network_code import network_source
from core.runs import checkpoints
from core.training.config import TrainConfig
from core.training.design import Conv, Dense, Design
from core.training.models import MODELS, named_design
from core.training.network import build
from tests.app.conftest import make_run
from tests.export.exported import epoch_costs, relative, run_script

DESIGNS = [
    *(named_design(name) for name in MODELS),
    Design(blocks=(Conv(8, kernel=5, pool="avg", activation="tanh"), Conv(12, batch_norm=True, activation="sigmoid", pool="max", pool_padding=1)),
           head="gap", hidden=(Dense(20, 0.25), Dense(15)), init="torch"),
    Design(blocks=(Conv(6, kernel=7), Conv(10, pool="max", batch_norm=True, pool_first=True))),
]


def exported_network(design):
    namespace = {}
    exec("import torch\nimport torch.nn as nn\nimport torch.nn.init\n" + network_source(design), namespace)
    return namespace["CNN"]


@pytest.mark.parametrize("design", DESIGNS, ids=lambda design: str(len(design.blocks)) + design.head + design.init)
def test_the_spelled_out_network_starts_from_the_builders_weights_and_computes_the_same(design):
    torch.manual_seed(123)
    ours = build(design)
    torch.manual_seed(123)
    exported = exported_network(design)()
    theirs, mine = exported.state_dict(), ours.state_dict()
    assert list(theirs) == list(mine)  # same keys, same order: a run's model.pt loads into it
    assert all(torch.equal(theirs[key], mine[key]) for key in mine)  # same init order, same draws
    images = torch.rand(5, 1, 28, 28)
    ours.eval(), exported.eval()
    assert torch.allclose(exported(images), ours(images), atol=1e-5)


def test_the_code_imports_only_torch_torchvision_and_the_standard_library():
    config = TrainConfig(augment="strong", validation=True, schedule="onecycle", optimizer="sgd")
    tree = ast.parse(script_text(config, "run"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported - set(sys.stdlib_module_names) == {"torch", "torchvision"}


def test_every_option_is_written_out():
    config = TrainConfig(optimizer="adamw", weight_decay=0.05, schedule="onecycle", augment="light",
                         validation=True, handwriting=True, max_batches=7, lr=0.003)
    script = script_text(config, "run")
    for expected in ("torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.05)", "OneCycleLR(",
                     "ROTATION, SCALE, SHEAR, SHIFT, ELASTIC, THICKNESS = 10, 0.1, 10, 2, 0.0, 0.0",
                     "validation_set = ", "NOT REPRODUCED EXACTLY", "max_batches = 7", "learning_rate = 0.003",
                     "[Epoch: {:>4}] cost = {:>.9}", "DataLoader(dataset=train_set, batch_size=batch_size, shuffle=True, drop_last=True)"):
        assert expected in script, expected
    plain = script_text(TrainConfig(), "run")
    assert "augment(" not in plain and "Subset(" not in plain and "NOT REPRODUCED" not in plain
    assert [title for title, _ in code_cells(TrainConfig(), "run")][0] == "Imports and seeds"


@pytest.mark.parametrize("settings", [
    {},  # the lecture's settings
    {"model": "fast_cnn", "lr": 0.01, "schedule": "onecycle", "optimizer": "sgd", "validation": True},
    {"model": "fast_cnn", "lr": 0.01, "schedule": "onecycle", "augment": "strong"},
], ids=["lecture", "fast-sgd-validation", "augmented"])
def test_the_script_run_alone_prints_the_runs_epoch_costs(settings, tmp_path, tiny_mnist, tiny_mnist_dir):
    """On the tiny synthetic set: 2 epochs of 3 batches, both the run and the exported script."""
    run_dir = make_run(tmp_path / "runs", tiny_mnist, "run", epochs=2, max_batches=3, batch_size=32, **settings)
    meta = checkpoints.read_meta(run_dir)
    script = tmp_path / "alone" / "run.py"
    script.parent.mkdir()
    script.write_text(script_text(TrainConfig.from_dict(meta["config"]), "run"))
    costs = epoch_costs(run_script(script, tiny_mnist_dir))
    recorded = [epoch["cost"] for epoch in meta["history"]]
    assert len(costs) == 2
    allowed = 0.02 if settings.get("augment") else 0.005  # the bounds; measured: < 3e-4 and < 1e-7
    assert all(relative(mine, theirs) < allowed for mine, theirs in zip(costs, recorded)), (costs, recorded)

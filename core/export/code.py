"""A run as plain PyTorch code in the lecture's style: a list of cells, joined into the script.

    cells = code_cells(config, run_name)        # [(title, source), ...] in order
    script = script_text(config, run_name)      # the cells' sources joined, as one .py file

The code imports torch and torchvision only, never this project. It reads the four dataset files
from $MNIST_DATA_DIR ($FASHION_MNIST_DATA_DIR) when set, .gz or not, else torchvision downloads
them; it seeds, builds the run's network (core.export.network_code), and trains with a plain
DataLoader(shuffle=True, drop_last=True), which gives the same batches as the studio's trainer
(core.training.trainer.lecture_batch_order) from the same seed.
"""
from __future__ import annotations

from core.data.datasets import get
from core.data.loading import FILES
from core.data.validation import FRACTION, SEED as VALIDATION_SEED
from core.export.augment_code import augment_source
from core.export.data_code import data_source
from core.export.network_code import network_source
from core.training.config import TrainConfig

CELL_JOIN = "\n\n\n"  # the notebook's code cells, joined with this, are the script


def script_text(config: TrainConfig, run_name: str) -> str:
    """The whole script: every code cell, in order."""
    return CELL_JOIN.join(source for _, source in code_cells(config, run_name)) + "\n"


def code_cells(config: TrainConfig, run_name: str) -> list[tuple[str, str]]:
    """(a heading for the notebook, the cell's code), in the order they run; empty cells left out."""
    cells = [
        ("Imports and seeds", _header(config, run_name)),
        ("Parameters", _parameters(config)),
        ("The dataset", data_source(get(config.dataset), config.validation, FRACTION, VALIDATION_SEED, FILES)),
        ("Augmentation", augment_source(config.augment, config.seed)),
        ("The network", network_source(config.design)),
        ("Cost, optimizer and schedule", _optimizer(config)),
        ("Training", _training(config)),
        ("Testing", _testing()),
    ]
    return [(title, source) for title, source in cells if source]


def _header(config: TrainConfig, run_name: str) -> str:
    lines = [
        f"# Run {run_name}, exported from MNIST CNN Studio as plain PyTorch: it needs torch and torchvision only.",
        "import gzip",
        "import os",
        "import random",
        "import shutil",
        "import tempfile",
        "",
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
        "import torchvision.datasets as dsets",
        "import torchvision.transforms as transforms",
        "import torch.nn.init",
        "",
        "device = 'cuda' if torch.cuda.is_available() else 'cpu'",
        "",
        "# for reproducibility: the run's seed, set as the studio sets it",
        f"random.seed({config.seed})",
        f"torch.manual_seed({config.seed})",
        "if device == 'cuda':",
        f"    torch.cuda.manual_seed_all({config.seed})",
    ]
    if config.handwriting:
        lines += [
            "",
            "# NOT REPRODUCED EXACTLY: the run also trained on the handwriting set drawn on the studio's Draw page.",
            "# Those drawings are not part of this code, so it trains on the dataset alone and its costs differ.",
        ]
    return "\n".join(lines)


def _parameters(config: TrainConfig) -> str:
    cap = config.max_batches
    return "\n".join([
        "# parameters",
        f"learning_rate = {config.lr!r}" + ("  # the peak rate of the one-cycle schedule" if config.schedule == "onecycle" else ""),
        f"training_epochs = {config.epochs}",
        f"batch_size = {config.batch_size}",
        f"max_batches = {cap!r}  # " + (f"the run trained {cap} batches per epoch, not all" if cap else "every batch of each epoch"),
    ])


def _optimizer(config: TrainConfig) -> str:
    lines = [
        "# instantiate CNN model",
        "model = CNN().to(device)",
        "# to start from the run's trained weights instead (its model.pt; weights only, nothing is executed):",
        "# model.load_state_dict(torch.load('model.pt', weights_only=True)['model'])",
        "",
        "# define cost/loss & optimizer",
        "criterion = torch.nn.CrossEntropyLoss().to(device)    # Softmax is internally computed.",
    ]
    decay = config.weight_decay
    if config.optimizer == "adam":
        lines.append("optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate" + (f", weight_decay={decay!r})" if decay else ")"))
    elif config.optimizer == "adamw":
        lines.append(f"optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay={decay!r})  # decoupled weight decay")
    else:
        lines.append(f"optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum={config.momentum!r}, weight_decay={decay!r})")
    lines += [
        "",
        "total_batch = len(data_loader) if max_batches is None else min(len(data_loader), max_batches)",
    ]
    if config.schedule == "onecycle":
        lines += [
            "# one-cycle schedule: the rate climbs to learning_rate and anneals back down, stepped after every batch",
            "scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=learning_rate, total_steps=training_epochs * total_batch)",
        ]
    else:
        lines.append("scheduler = None  # a constant learning rate")
    return "\n".join(lines)


def _training(config: TrainConfig) -> str:
    augment_line = ["        X = augment(X)"] if config.augment != "none" else []
    validation = [
        "    model.eval()",
        "    print('[Epoch: {:>4}] validation accuracy = {:>.4f}'.format(epoch + 1, accuracy_on(validation_set)))",
    ] if config.validation else []
    return "\n".join([
        "# train my model",
        "print('Learning started. It takes sometime.')",
        "for epoch in range(training_epochs):",
        "    model.train()",
        "    avg_cost = 0",
        "    for batch, (X, Y) in enumerate(data_loader):",
        "        if batch == total_batch:",
        "            break",
        "        # image is already size of (28x28), no reshape",
        "        # label is not one-hot encoded",
        "        X = X.to(device)",
        "        Y = Y.to(device)",
        *augment_line,
        "",
        "        optimizer.zero_grad()",
        "        hypothesis = model(X)",
        "        cost = criterion(hypothesis, Y)",
        "        cost.backward()",
        "        optimizer.step()",
        "        if scheduler is not None:",
        "            scheduler.step()",
        "",
        "        avg_cost += cost.item() / total_batch",
        "",
        "    print('[Epoch: {:>4}] cost = {:>.9}'.format(epoch + 1, avg_cost))",
        *validation,
        "",
        "print('Learning Finished!')",
    ])


def _testing() -> str:
    return "\n".join([
        "# Test model and check accuracy",
        "# The test images are scaled to [0, 1] exactly as ToTensor scaled the training images. The lecture",
        "# feeds mnist_test.test_data.float(), raw 0-255 pixels the network never saw in training, so the",
        "# accuracy it prints measures a different input, not the model.",
        "model.eval()",
        "print('Accuracy:', accuracy_on(mnist_test))",
    ])

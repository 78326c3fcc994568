"""Optimizer and learning-rate schedule named by a TrainConfig."""
from __future__ import annotations

import torch
from torch import nn

from core.training.config import TrainConfig


def build_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    params = model.parameters()
    if config.optimizer == "adam":
        return torch.optim.Adam(params, lr=config.lr, weight_decay=config.weight_decay)
    if config.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    return torch.optim.SGD(params, lr=config.lr, momentum=config.momentum, weight_decay=config.weight_decay)


def build_schedule(
    optimizer: torch.optim.Optimizer, config: TrainConfig, batches_per_epoch: int
) -> torch.optim.lr_scheduler.LRScheduler | None:
    """None for a constant rate; one-cycle steps once per batch, peaking at config.lr."""
    if config.schedule == "constant":
        return None
    return torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=config.lr, total_steps=config.epochs * batches_per_epoch
    )

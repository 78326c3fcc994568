"""One image through one epoch of a run: feature maps, filters, scores and attributions, and its
probabilities at every epoch. The Inside page and `python -m core.inspect` both draw these.

    choices = epoch_choices(run_dir)                  # the epochs that can be shown, with problems
    model = model_at(run_dir, choices[-1])
    found = inspect_image(model, image, target=None)  # target None: the predicted class
    history = probabilities_by_epoch(run_dir, image)  # (E,10) over every loadable epoch
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from core.runs import checkpoints, epochs
from core.explain.attributions import attribute
from core.runs.epochs import EpochFile
from core.explain.feature_maps import LayerMaps, feature_maps, first_layer_filters


@dataclass(frozen=True)
class Inspection:
    target: int  # the class the attributions explain
    logits: np.ndarray  # (10,)
    probabilities: np.ndarray  # (10,)
    layers: list[LayerMaps]  # per conv block: its conv output, then the block's output (batch norm, activation, pool)
    filters: np.ndarray  # (C,k,k) the first conv layer's weights
    attributions: dict[str, np.ndarray]  # method -> (28,28)
    gradcam_layer: str

    @property
    def predicted(self) -> int:
        return int(self.logits.argmax())


def inspect_image(
    model: nn.Module, image: torch.Tensor, target: int | None = None, gradcam_layer: str | None = None
) -> Inspection:
    """Everything the Inside page shows for one (1,1,28,28) image; target None = the predicted class."""
    layers, logits = feature_maps(model, image)
    target = int(logits.argmax()) if target is None else target
    gradcam_layer = gradcam_layer or layers[-1].name  # the last block's output: Grad-CAM's usual choice
    return Inspection(
        target=target,
        logits=logits.numpy(),
        probabilities=logits.softmax(0).numpy(),
        layers=layers,
        filters=first_layer_filters(model),
        attributions=attribute(model, image, target, gradcam_layer),
        gradcam_layer=gradcam_layer,
    )


def epoch_choices(run_dir: Path) -> list[EpochFile]:
    """Every epoch of the run with its problem (None when it can be shown).

    A run saved before epochs were kept offers its last epoch only, read from model.pt.
    """
    listed = epochs.list_epochs(run_dir)
    if listed:
        return listed
    history = checkpoints.load_checkpoint(run_dir)["history"]
    return [EpochFile(len(history), run_dir / checkpoints.WEIGHTS, None)]


def model_at(run_dir: Path, choice: EpochFile) -> nn.Module:
    """The model of one epoch choice, in eval mode on the CPU; raises CheckpointError with a sentence."""
    if choice.problem is not None:
        raise checkpoints.CheckpointError(choice.problem)
    if choice.path.name == checkpoints.WEIGHTS:
        return checkpoints.load_model(run_dir, "cpu")[0]
    return epochs.load_epoch_model(run_dir, choice.epoch)


@dataclass(frozen=True)
class EpochProbabilities:
    epochs: list[int]  # the epochs that could be loaded, in order
    probabilities: np.ndarray  # (len(epochs), 10)
    problems: dict[int, str]  # epoch -> why it is missing from the chart


def probabilities_by_epoch(run_dir: Path, image: torch.Tensor) -> EpochProbabilities:
    """The image's class probabilities under every loadable epoch's weights, one model reloaded in turn."""
    choices = epoch_choices(run_dir)
    problems = {choice.epoch: choice.problem for choice in choices if choice.problem is not None}
    good = [choice for choice in choices if choice.problem is None]
    if not good:
        return EpochProbabilities([], np.zeros((0, 10), np.float32), problems)
    model = model_at(run_dir, good[0])  # built once; later epochs only swap the weights in
    shown, rows = [], []
    with torch.inference_mode():
        for choice in good:
            try:
                if choice is not good[0]:
                    model.load_state_dict(epochs.load_epoch_weights(run_dir, choice.epoch))
            except checkpoints.CheckpointError as error:  # changed on disk since it was listed
                problems[choice.epoch] = str(error)
                continue
            shown.append(choice.epoch)
            rows.append(model(image)[0].float().softmax(0).numpy())
    return EpochProbabilities(shown, np.stack(rows), problems)

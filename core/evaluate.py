"""Scoring and predictions: one table per checkpoint, and cheap views on it.

Like fastai's Interpretation: collect inputs' probabilities, targets and losses
once; the confusion matrix and the worst mistakes are views on that table.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from core.data.loading import Split

SCORING_BATCH = 250  # fastest on the CPU among 100-1000, measured in bench/


@dataclass(frozen=True)
class Predictions:
    probabilities: torch.Tensor  # (N,10)
    targets: torch.Tensor  # (N,)
    losses: torch.Tensor  # (N,) cross-entropy of each image

    @property
    def predicted(self) -> torch.Tensor:
        return self.probabilities.argmax(1)

    @property
    def confidence(self) -> torch.Tensor:
        return self.probabilities.max(1).values

    @property
    def accuracy(self) -> float:
        return (self.predicted == self.targets).float().mean().item()

    @property
    def mean_loss(self) -> float:
        return self.losses.mean().item()

    def confusion_matrix(self) -> torch.Tensor:
        """(10,10) counts; row = true digit, column = predicted digit."""
        index = self.targets * 10 + self.predicted
        return torch.bincount(index, minlength=100).reshape(10, 10)

    def most_confused(self, top: int = 10) -> list[tuple[int, int, int]]:
        """(true, predicted, count) for the off-diagonal cells, largest first."""
        matrix = self.confusion_matrix().clone()
        matrix.fill_diagonal_(0)
        counts, flat = matrix.flatten().sort(descending=True)
        return [(int(i) // 10, int(i) % 10, int(c)) for c, i in zip(counts[:top], flat[:top]) if c > 0]

    def mistakes(self, true: int | None = None, predicted: int | None = None) -> torch.Tensor:
        """Indices of misclassified images, worst (highest loss) first, optionally filtered."""
        wrong = self.predicted != self.targets
        if true is not None:
            wrong &= self.targets == true
        if predicted is not None:
            wrong &= self.predicted == predicted
        indices = wrong.nonzero().flatten()
        return indices[self.losses[indices].argsort(descending=True)]

    def to_numpy(self) -> dict[str, np.ndarray]:
        """The table as plain arrays, e.g. for st.cache_data."""
        names = ("probabilities", "targets", "losses")
        return {name: getattr(self, name).numpy() for name in names}

    @classmethod
    def from_numpy(cls, table: dict[str, np.ndarray]) -> "Predictions":
        """The inverse of to_numpy (no copy)."""
        return cls(*(torch.from_numpy(table[name]) for name in ("probabilities", "targets", "losses")))


def logits(model: nn.Module, images: torch.Tensor, batch_size: int = SCORING_BATCH) -> torch.Tensor:
    """(N,10) logits in eval mode and inference mode, batch by batch; model left as it was."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    try:
        with torch.inference_mode():
            out = [model(images[i : i + batch_size].to(device)) for i in range(0, len(images), batch_size)]
    finally:
        model.train(was_training)
    return torch.cat(out).float().cpu()


def predict_digit(model: nn.Module, image: torch.Tensor) -> torch.Tensor:
    """(10,) class probabilities for one (1,1,28,28) image, e.g. a drawn digit."""
    return logits(model, image).softmax(1)[0]


def predict(model: nn.Module, split: Split, batch_size: int = SCORING_BATCH) -> Predictions:
    """Probabilities and per-image losses for a whole split."""
    scores = logits(model, split.images, batch_size)
    targets = split.labels.cpu()
    losses = F.cross_entropy(scores, targets, reduction="none")
    return Predictions(scores.softmax(1), targets, losses)


def score(model: nn.Module, split: Split, batch_size: int = SCORING_BATCH) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) on a split."""
    predictions = predict(model, split, batch_size)
    return predictions.mean_loss, predictions.accuracy


def lecture_accuracy(model: nn.Module, split: Split) -> float:
    """Accuracy the notebook's way: raw 0-255 pixels into a model trained on [0, 1]. Wrong on purpose."""
    raw = Split(images=(split.images * 255).round(), labels=split.labels)
    return predict(model, raw).accuracy


def main(argv: list[str] | None = None) -> int:
    """python -m core.evaluate RUN [--data-dir DIR] [--checkpoint-dir DIR]: print a saved run's accuracy."""
    from core.runs import checkpoints
    from core.cli import Parser, fail, run_arguments, saved_run
    from core.data.loading import DatasetError, load_dataset
    from core.data.datasets import get

    parser = Parser(prog="python -m core.evaluate", description="Score a saved run on its test set.")
    run_arguments(parser)
    parser.add_argument("--data-dir", help="dataset folder (default: the dataset's variable, else data/)")
    args = parser.parse_args(argv)
    try:
        run_dir = saved_run(args.run, args.checkpoint_dir)
        model, checkpoint = checkpoints.load_model(run_dir)
        dataset = get(checkpoint["config"].get("dataset", "mnist"))
        data = load_dataset(dataset.name, args.data_dir)
    except (checkpoints.CheckpointError, DatasetError) as error:
        fail(str(error), code=1)
    predictions = predict(model, data.test)
    print(f"Accuracy: {predictions.accuracy:.4f}")
    print(f"Scored on the {dataset.title} test set: {len(predictions.targets):,} images")
    print(f"Test loss: {predictions.mean_loss:.4f}")
    print(f"Accuracy measured the lecture's way (raw 0-255 test pixels): {lecture_accuracy(model, data.test):.4f}")
    for true, guess, count in predictions.most_confused(3):
        print(f"Most confused: {dataset.class_name(true)} taken for {dataset.class_name(guess)}: {count} images")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

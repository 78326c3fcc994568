"""The lecture's own training loop ("Lec 10-2: MNIST CNN"), kept as the benchmark's reference.

    python -m bench.training.lecture_loop --root TORCHVISION_ROOT [--model cnn] [--epochs 1] [--max-batches N]

Everything here is the notebook's way on purpose: torchvision's MNIST with
ToTensor, DataLoader(shuffle=True, drop_last=True), the lecture's layer order
(conv -> ReLU -> pool), Adam, cross-entropy, and the textbook
zero_grad / forward / loss / backward / step. `--root` must hold
`MNIST/raw/` with the four extracted IDX files (bench.run prepares it).
"""
from __future__ import annotations

import argparse
import time
from typing import Iterator

import torch
import torchvision.datasets as dsets
import torchvision.transforms as transforms
from torch import nn


class LectureCNN(nn.Module):
    """The notebook's basic CNN, verbatim."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2)
        )
        self.layer2 = nn.Sequential(
            nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2)
        )
        self.fc = nn.Linear(7 * 7 * 64, 10, bias=True)
        nn.init.xavier_uniform_(self.fc.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer2(self.layer1(x))
        out = out.view(out.size(0), -1)
        return self.fc(out)


class LectureDeepCNN(nn.Module):
    """The notebook's deeper CNN, verbatim (keep_prob 0.5)."""

    def __init__(self) -> None:
        super().__init__()
        self.keep_prob = 0.5
        self.layer1 = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2)
        )
        self.layer2 = nn.Sequential(
            nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2)
        )
        self.layer3 = nn.Sequential(
            nn.Conv2d(64, 128, kernel_size=3, stride=1, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2, padding=1),
        )
        self.fc1 = nn.Linear(4 * 4 * 128, 625, bias=True)
        nn.init.xavier_uniform_(self.fc1.weight)
        self.layer4 = nn.Sequential(self.fc1, nn.ReLU(), nn.Dropout(p=1 - self.keep_prob))
        self.fc2 = nn.Linear(625, 10, bias=True)
        nn.init.xavier_uniform_(self.fc2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer3(self.layer2(self.layer1(x)))
        out = out.view(out.size(0), -1)
        return self.fc2(self.layer4(out))


LECTURE_MODELS = {"cnn": LectureCNN, "deep_cnn": LectureDeepCNN}


class LectureLoop:
    """The notebook's setup, in its order: seed, dataset, DataLoader, model, cost, optimizer."""

    def __init__(self, root: str, model: str = "cnn", batch_size: int = 100, seed: int = 777) -> None:
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        torch.manual_seed(seed)
        if self.device == "cuda":
            torch.cuda.manual_seed_all(seed)
        self.train_set = dsets.MNIST(root=root, train=True, transform=transforms.ToTensor(), download=False)
        self.test_set = dsets.MNIST(root=root, train=False, transform=transforms.ToTensor(), download=False)
        self.loader = torch.utils.data.DataLoader(
            dataset=self.train_set, batch_size=batch_size, shuffle=True, drop_last=True
        )
        self.model = LECTURE_MODELS[model]().to(self.device)
        self.criterion = nn.CrossEntropyLoss().to(self.device)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001)
        self._batches: Iterator | None = None

    def epoch(self, max_batches: int | None = None) -> float:
        """One pass over the DataLoader; returns the epoch's average cost, as the notebook prints it.

        `max_batches` cuts the pass short (the benchmark's smoke test); None is the notebook's loop.
        """
        total_batch = min(len(self.loader), max_batches or len(self.loader))
        avg_cost = 0
        self.model.train()
        for batch, (X, Y) in enumerate(self.loader):
            if batch == total_batch:
                break
            avg_cost += self._step(X, Y) / total_batch
        return float(avg_cost)

    def batches(self, count: int) -> None:
        """`count` more steps, continuing the current pass over the DataLoader (a new pass when it runs out)."""
        self.model.train()
        for _ in range(count):
            batch = next(self._batches, None) if self._batches is not None else None
            if batch is None:
                self._batches = iter(self.loader)
                batch = next(self._batches)
            self._step(*batch)

    def _step(self, X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
        X = X.to(self.device)
        Y = Y.to(self.device)
        self.optimizer.zero_grad()
        hypothesis = self.model(X)
        cost = self.criterion(hypothesis, Y)
        cost.backward()
        self.optimizer.step()
        return cost.detach()

    def test_accuracy(self) -> float:
        """The notebook's test: all 10k images in one forward pass (scaled to [0, 1], unlike the notebook)."""
        self.model.eval()
        with torch.no_grad():
            X_test = (self.test_set.data.view(len(self.test_set), 1, 28, 28).float() / 255).to(self.device)
            Y_test = self.test_set.targets.to(self.device)
            prediction = self.model(X_test)
            return (torch.argmax(prediction, 1) == Y_test).float().mean().item()


def main(argv: list[str] | None = None) -> int:
    """Run whole lecture epochs and print the notebook's lines plus the wall time of training."""
    parser = argparse.ArgumentParser(prog="python -m bench.training.lecture_loop", description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="torchvision root holding MNIST/raw/")
    parser.add_argument("--model", choices=list(LECTURE_MODELS), default="cnn")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--max-batches", type=int, help="cap batches per epoch (smoke test only)")
    args = parser.parse_args(argv)
    loop = LectureLoop(args.root, args.model)
    for epoch in range(args.epochs):
        started = time.perf_counter()
        avg_cost = loop.epoch(args.max_batches)
        seconds = time.perf_counter() - started
        print(f"[Epoch: {epoch + 1:>4}] cost = {avg_cost:>.9}  ({seconds:.1f} s)", flush=True)
    print("Learning Finished!")
    print("Accuracy:", loop.test_accuracy())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

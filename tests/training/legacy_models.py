"""The four networks as hand-written classes, as they were before designs: the oracle that the
design-built networks are checked against (tests/training/test_design_equivalence.py)."""
from __future__ import annotations

import torch
from torch import nn


class ConvBlock(nn.Sequential):
    """Conv 3x3 (padding 1) -> max-pool 2 -> ReLU: the lecture's block, with pool and ReLU swapped.

    Max and ReLU commute, so the output and the gradients are exactly the lecture's
    (conv -> ReLU -> pool), and the ReLU touches 4x fewer values. Pool and ReLU hold no
    parameters, so the state dict keys (layer1.0.weight, ...) are the lecture's too.
    """

    def __init__(self, in_channels: int, out_channels: int, pool_padding: int = 0) -> None:
        super().__init__(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=1, padding=1),
            nn.MaxPool2d(kernel_size=2, stride=2, padding=pool_padding),
            nn.ReLU(),
        )


class CNN(nn.Module):
    """The lecture's basic CNN: two conv blocks and one linear layer (50,186 parameters)."""

    def __init__(self, dropout: float = 0.0) -> None:
        super().__init__()
        self.layer1 = ConvBlock(1, 32)  # (N,32,14,14)
        self.layer2 = ConvBlock(32, 64)  # (N,64,7,7)
        self.fc = nn.Linear(7 * 7 * 64, 10, bias=True)
        nn.init.xavier_uniform_(self.fc.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer2(self.layer1(x))
        return self.fc(out.flatten(1))  # (N,3136) -> (N,10)


class DeepCNN(nn.Module):
    """The lecture's deeper CNN: three conv blocks, 625 hidden units with dropout (1,379,557 parameters)."""

    def __init__(self, dropout: float = 0.5) -> None:
        super().__init__()
        self.layer1 = ConvBlock(1, 32)  # (N,32,14,14)
        self.layer2 = ConvBlock(32, 64)  # (N,64,7,7)
        self.layer3 = ConvBlock(64, 128, pool_padding=1)  # (N,128,4,4): 7 padded to 8, halved
        self.fc1 = nn.Linear(4 * 4 * 128, 625, bias=True)
        nn.init.xavier_uniform_(self.fc1.weight)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(p=dropout)
        self.fc2 = nn.Linear(625, 10, bias=True)
        nn.init.xavier_uniform_(self.fc2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer3(self.layer2(self.layer1(x)))
        out = self.dropout(self.relu(self.fc1(out.flatten(1))))  # (N,625)
        return self.fc2(out)


class FastCNN(nn.Module):
    """A small CNN with batch norm for the `fast` preset: half the basic CNN's FLOPs, 99% in one epoch.

    Widths 16-32-64 rather than 32-64-128: on the CPU, 2x narrower convolutions train about
    2x faster, and batch norm lets a one-cycle schedule use a 10x larger learning rate. Batch
    norm comes after the pool, on 4x fewer values: 13% faster and as accurate (bench/).
    """

    widths = (16, 32, 64)

    def __init__(self, dropout: float = 0.0) -> None:
        super().__init__()

        def block(cin: int, cout: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(cin, cout, kernel_size=3, padding=1, bias=False),
                nn.MaxPool2d(2),
                nn.BatchNorm2d(cout),
                nn.ReLU(),
            )

        one, two, three = self.widths
        self.layer1 = block(1, one)  # (N,16,14,14) in the fast CNN
        self.layer2 = block(one, two)  # (N,32,7,7)
        self.layer3 = block(two, three)  # (N,64,3,3)
        self.fc = nn.Linear(3 * 3 * three, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(out.flatten(1))


class WideCNN(FastCNN):
    """The fast CNN at twice the width, 32-64-128 (the lecture's widths), for the `best` preset:
    about 4x the FLOPs, room to learn augmented digits for many epochs (numbers in README)."""

    widths = (32, 64, 128)


LEGACY = {"cnn": CNN, "deep_cnn": DeepCNN, "fast_cnn": FastCNN, "wide_cnn": WideCNN}

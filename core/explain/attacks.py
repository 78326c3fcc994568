"""Fool the network: FGSM and PGD from captum.robust, in the model's input scale (pixels in [0, 1]).

    adversarial = perturb(model, images, labels, "pgd", 0.1)          # untargeted: raise the true label's cost
    found = attack(model, image, "fgsm", 0.1)                          # one image: before and after
    found = smallest_eps(model, image, "pgd", target=3)                # the least eps that makes it read as a 3

Untargeted attacks climb the cross-entropy of `labels`; targeted ones (labels = the target) descend it.
Pixels are clamped to [0, 1]. PGD takes PGD_STEPS steps of eps / 4 (captum's Linf projection keeps it
within eps), from the image itself (no random start), so a given eps always gives the same picture.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from captum.robust import FGSM, PGD
from torch import nn

METHODS = {"fgsm": "FGSM (one step)", "pgd": "PGD (10 steps)"}
PGD_STEPS = 10
LOW, HIGH = 0.0, 1.0  # the valid pixel range
BISECTION_STEPS = 10  # eps found to 1/1024 of the search range

# captum turns on requires_grad of each step's input itself, and says so every step
warnings.filterwarnings("ignore", message="Input Tensor .* did not already require gradients")


def _cost(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits, labels, reduction="none")  # (B,): captum takes one cost per image


def perturb(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, method: str, eps: float,
            targeted: bool = False) -> torch.Tensor:
    """(B,1,28,28) attacked images within eps (Linf) of `images`, in [0, 1]."""
    model.eval()
    images, labels = images.detach().float(), labels.to(torch.int64)
    if method == "fgsm":
        return FGSM(model, _cost, LOW, HIGH).perturb(images, eps, labels, targeted=targeted).detach()
    if method == "pgd":
        return PGD(model, _cost, LOW, HIGH).perturb(images, eps, eps / 4, PGD_STEPS, labels, targeted=targeted).detach()
    raise ValueError(f"Unknown attack {method!r}; choose one of {', '.join(METHODS)}.")


def probabilities(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """(B,10) class probabilities in eval mode."""
    model.eval()
    with torch.inference_mode():
        return model(images).float().softmax(1)


@dataclass(frozen=True)
class Attack:
    method: str
    eps: float
    target: int | None  # None: untargeted, against the original prediction
    original: torch.Tensor  # (1,1,28,28)
    adversarial: torch.Tensor  # (1,1,28,28)
    before: torch.Tensor  # (10,) probabilities of the original
    after: torch.Tensor  # (10,) probabilities of the attacked image

    @property
    def perturbation(self) -> torch.Tensor:
        """(1,1,28,28) what the attack added, within [-eps, eps]."""
        return self.adversarial - self.original

    @property
    def fooled(self) -> bool:
        """Untargeted: the prediction changed; targeted: it reads as the target."""
        predicted = int(self.after.argmax())
        return predicted == self.target if self.target is not None else predicted != int(self.before.argmax())


def attack(model: nn.Module, image: torch.Tensor, method: str, eps: float, target: int | None = None) -> Attack:
    """Attack one (1,1,28,28) image: untargeted against its predicted class, or towards `target`."""
    before = probabilities(model, image)[0]
    label = torch.tensor([int(before.argmax()) if target is None else target])
    adversarial = perturb(model, image, label, method, eps, targeted=target is not None)
    return Attack(method, eps, target, image, adversarial, before, probabilities(model, adversarial)[0])


def smallest_eps(model: nn.Module, image: torch.Tensor, method: str, target: int, high: float = HIGH) -> Attack | None:
    """The attack at the smallest eps (by bisection on [0, high]) that makes `image` read as `target`; None if even `high` fails."""
    found = attack(model, image, method, high, target)
    if not found.fooled:
        return None
    low = 0.0
    for _ in range(BISECTION_STEPS):
        middle = (low + high) / 2
        trial = attack(model, image, method, middle, target)
        if trial.fooled:
            high, found = middle, trial
        else:
            low = middle
    return found

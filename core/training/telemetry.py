"""What happens inside a network while it trains, recorded every few batches as Telemetry events.

    recorder = Recorder(model, train_images, train_labels, batches_per_epoch)
    if recorder.due(batch): recorder.before_step(model)     # keeps the weights, for the update size
    ... one training step ...
    event = recorder.record(model, epoch, batch, batches, cost)   # event.record: plain numbers and lists

Layers come from the design's list (model.named_children()): a conv block `layer<i>` (its [0] is the
conv) and each Linear (`fc`, `fc1`, ...) are the weight layers; the block outputs and the hidden
`relu<i>` are the activations. A conv unit is a channel; a linear unit is one neuron.

The probe forward runs in eval mode without gradients: no dropout draw, no batch-norm statistics
update, no global RNG use, so a run records exactly the weights it would have trained without it.
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

from core.training.events import Telemetry

RECORDS_PER_EPOCH = 50
PROBE_SIZE = 16  # the first 16 training images: the fixed probe batch for activation statistics
BINS = 40
WEIGHT_SPAN = 4.0  # weight histogram range: +-4x the largest initial |w|, as weights grow while training
ACTIVATION_SPAN = 3.0


def weight_layers(model: nn.Module) -> dict[str, torch.Tensor]:
    """{'layer1': conv weight, ..., 'fc': linear weight}: one weight per layer of the design, in order."""
    found = {}
    for name, child in model.named_children():
        first = child[0] if isinstance(child, nn.Sequential) else child
        if isinstance(first, (nn.Conv2d, nn.Linear)):
            found[name] = first.weight
    return found


def activation_layers(model: nn.Module) -> dict[str, nn.Module]:
    """The modules whose outputs are a layer's units: each conv block, and each hidden ReLU."""
    return {name: child for name, child in model.named_children() if name.startswith(("layer", "relu"))}


def probe_indices(labels: torch.Tensor, classes: int = 10) -> list[int]:
    """The first training image of each class, in class order (fewer when a class is absent)."""
    return [int(torch.nonzero(labels == c)[0]) for c in range(classes) if bool((labels == c).any())]


def every_for(batches: int) -> int:
    """Record every K batches, so that about RECORDS_PER_EPOCH records land per epoch."""
    return max(1, batches // RECORDS_PER_EPOCH)


class Recorder:
    """Holds the probe images, the fixed histogram bins and the weights before a recorded step."""

    def __init__(self, model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batches: int,
                 every: int | None = None) -> None:
        self.every = every or every_for(batches)
        picks = probe_indices(labels.cpu())
        self.probe_labels = [int(labels[i]) for i in picks]
        self.inputs = torch.cat([images[:PROBE_SIZE], images[picks]])  # (16+10,1,28,28)
        self.classes = len(picks)
        self._before: dict[str, torch.Tensor] = {}
        with torch.no_grad():
            self.weight_bins = {n: _span(w, WEIGHT_SPAN) for n, w in weight_layers(model).items()}
            activations = self._probe(model)[0]
        self.activation_bins = {n: _span(a, ACTIVATION_SPAN) for n, a in activations.items()}

    def header(self) -> dict[str, Any]:
        """What every record refers to: bins, the probe digits (uint8 pixels) and their classes."""
        pixels = (self.inputs[PROBE_SIZE:, 0].cpu() * 255).round().clamp(0, 255).to(torch.uint8)
        return {
            "kind": "header", "every": self.every, "bins": BINS, "probe_labels": self.probe_labels,
            "probe_images": pixels.tolist(),  # (10,28,28)
            "weight_bins": self.weight_bins, "activation_bins": self.activation_bins,
        }

    def adopt(self, header: dict[str, Any] | None) -> None:
        """Keep a saved recording's bins (a resumed run), so new histograms stack with the saved ones."""
        if header and set(header.get("weight_bins", {})) == set(self.weight_bins):
            self.weight_bins, self.activation_bins = header["weight_bins"], header["activation_bins"]

    def due(self, batch: int) -> bool:
        return batch % self.every == 0

    def before_step(self, model: nn.Module) -> None:
        self._before = {n: w.detach().clone() for n, w in weight_layers(model).items()}

    @torch.no_grad()
    def record(self, model: nn.Module, epoch: int, batch: int, batches: int, cost: float) -> Telemetry:
        """One record after a step; `before_step` must have run before that step."""
        weights = weight_layers(model)
        # one (L,3) tensor, moved to the CPU in one go: weight norm, gradient norm, update norm
        norms = torch.stack([torch.stack([
            w.norm(), w.grad.norm() if w.grad is not None else w.new_zeros(()),
            (w - self._before[n]).norm() if n in self._before else w.new_zeros(()),
        ]) for n, w in weights.items()]).tolist()
        layers = {}
        for (name, w), (norm, grad, update) in zip(weights.items(), norms):
            layers[name] = {"weight_norm": norm, "grad_norm": grad, "update_ratio": update / norm if norm else 0.0,
                            "histogram": _histogram(w, self.weight_bins[name])}
        activations, probabilities = self._probe(model)
        stats = {name: _activation_stats(a, self.activation_bins[name]) for name, a in activations.items()}
        first = next(iter(weights.values()))
        record = {
            "kind": "record", "epoch": epoch, "batch": batch, "step": (epoch - 1) * batches + batch, "cost": cost,
            "weights": layers, "activations": stats,
            "filters": [[[round(v, 5) for v in row] for row in f] for f in first[:, 0].tolist()],  # (C,k,k)
            "probabilities": [[round(p, 4) for p in row] for row in probabilities.tolist()],  # (10,10)
        }
        self._before = {}
        return Telemetry(epoch, batch, batches, record)

    def _probe(self, model: nn.Module) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        """Each activation layer's output on the probe batch, and the class probes' probabilities."""
        outputs: dict[str, torch.Tensor] = {}
        hooks = [module.register_forward_hook(lambda _m, _i, out, name=name: outputs.__setitem__(name, out))
                 for name, module in activation_layers(model).items()]
        was_training = model.training
        model.eval()
        try:
            logits = model(self.inputs)
        finally:
            model.train(was_training)
            for hook in hooks:
                hook.remove()
        probe = {name: out[:PROBE_SIZE] for name, out in outputs.items()}
        return probe, logits[PROBE_SIZE:].softmax(dim=1)


def _span(values: torch.Tensor, factor: float) -> list[float]:
    """[low, high] of a histogram: the values' range widened by `factor` (zero stays the floor of a ReLU's)."""
    low, high = float(values.min()), float(values.max())
    reach = max(abs(low), abs(high), 1e-6) * factor
    return [0.0 if low >= 0 else -reach, reach]


def _histogram(values: torch.Tensor, span: list[float]) -> list[int]:
    """Counts in BINS equal bins over `span`; values outside land in the end bins."""
    low, high = span
    clamped = values.detach().float().clamp(low, high)
    return [int(c) for c in torch.histc(clamped, bins=BINS, min=low, max=high).tolist()]


def _activation_stats(out: torch.Tensor, span: list[float]) -> dict[str, Any]:
    """Mean, std and the share of dead units: a unit (conv channel or neuron) <= 0 for every probe image."""
    units = out.transpose(0, 1).reshape(out.shape[1], -1)  # (units, probes x positions)
    dead = (units <= 0).all(dim=1).float().mean()
    mean, std = out.mean(), out.std()
    return {"mean": float(mean), "std": float(std), "dead": float(dead), "histogram": _histogram(out, span)}

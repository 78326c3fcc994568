"""Which pixels pushed a class's score up or down, by Captum's attribution methods.

    maps = attribute(model, image, target=7, gradcam_layer="layer2")   # name -> (28,28)
    shown, limit = clip_outliers(maps["Integrated Gradients"])         # as Captum draws them

Every method explains the class's logit (its score before softmax), so Integrated
Gradients' attributions add up to logit(image) - logit(black image).
"""
from __future__ import annotations

import numpy as np
import torch
from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, Occlusion, Saliency
from captum.attr._utils.visualization import _cumulative_sum_threshold
from torch import nn

METHODS = ("Saliency", "Integrated Gradients", "Occlusion", "Grad-CAM")
SIGNED = {"Saliency": False, "Integrated Gradients": True, "Occlusion": True, "Grad-CAM": True}
IG_STEPS = 50  # Captum's default; completeness holds within 1% on our models (tests/explain/test_attributions.py)
OCCLUSION_WINDOW = 4  # a 4x4 black patch, about a stroke's width on a 28x28 digit
OCCLUSION_STRIDE = 2  # 13x13 patch positions, evaluated in one batch
OUTLIER_PERCENT = 2  # visualize_image_attr's default


def black_image(image: torch.Tensor) -> torch.Tensor:
    """The baseline: no ink. Inputs are scaled to [0, 1] (core.data.loading.scale), so black is 0."""
    return torch.zeros_like(image)


def attribute(
    model: nn.Module, image: torch.Tensor, target: int, gradcam_layer: str, methods: tuple[str, ...] = METHODS
) -> dict[str, np.ndarray]:
    """(28,28) attributions of `target`'s logit for one (1,1,28,28) image, per method."""
    image = image.detach().to(next(model.parameters()).device).requires_grad_(True)
    run = {
        "Saliency": lambda: Saliency(model).attribute(image, target=target, abs=True),
        "Integrated Gradients": lambda: integrated_gradients(model, image, target),
        "Occlusion": lambda: Occlusion(model).attribute(
            image,
            sliding_window_shapes=(1, OCCLUSION_WINDOW, OCCLUSION_WINDOW),
            strides=(1, OCCLUSION_STRIDE, OCCLUSION_STRIDE),
            baselines=0.0,
            target=target,
            perturbations_per_eval=256,  # all 169 patches in one forward pass
        ),
        "Grad-CAM": lambda: grad_cam(model, image, target, gradcam_layer),
    }
    return {name: run[name]()[0, 0].detach().float().cpu().numpy() for name in methods}


def integrated_gradients(model: nn.Module, image: torch.Tensor, target: int) -> torch.Tensor:
    """(1,1,28,28) Integrated Gradients from the black image to `image`, all steps in one batch."""
    method = IntegratedGradients(model)
    return method.attribute(image, baselines=black_image(image), target=target, n_steps=IG_STEPS)


def grad_cam(model: nn.Module, image: torch.Tensor, target: int, layer: str) -> torch.Tensor:
    """(1,1,28,28) Grad-CAM at module `layer` (e.g. "layer2"), upsampled bilinearly from its grid.

    Signed (no ReLU), so regions that speak against the class show too.
    """
    cam = LayerGradCam(model, model.get_submodule(layer)).attribute(image, target=target)  # (1,1,h,w)
    return LayerAttribution.interpolate(cam, tuple(image.shape[-2:]), interpolate_mode="bilinear")


def clip_outliers(attribution: np.ndarray, signed: bool = True, outlier_percent: float = OUTLIER_PERCENT) -> tuple[np.ndarray, float]:
    """The attribution clipped at Captum's display threshold, and that threshold.

    Like captum.attr.visualization.visualize_image_attr: the threshold is the |value| below which
    (100 - outlier_percent)% of the total |attribution| lies, so a few extreme pixels do not wash
    out the rest. Display with a colour range [-limit, limit] (signed) or [0, limit].
    """
    values = attribution if signed else np.abs(attribution)
    limit = float(_cumulative_sum_threshold(np.abs(values), 100 - outlier_percent)) if np.any(values) else 0.0
    limit = limit if limit > 0 else 1.0  # an all-zero map: any range shows it
    return np.clip(values, -limit if signed else 0.0, limit), limit

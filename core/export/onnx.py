"""A run's network as an ONNX file, checked against onnxruntime before it is handed out.

    report = export_onnx(model, test_split, "run.onnx", classes)   # raises OnnxError when they disagree

One input `image`: float32 (N, 1, 28, 28), pixels in [0, 1] as torchvision's ToTensor gives,
with a dynamic batch axis; one output `logits`: (N, classes). The same facts are written in the
model's metadata. The check runs the file in onnxruntime, a second runtime, on every test image:
the predicted classes must agree with PyTorch's on >= 99.99% and the logits within 1e-4.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from core.data.loading import Split
from core.evaluate import logits

INPUT, OUTPUT = "image", "logits"
MIN_AGREEMENT = 0.9999
MAX_LOGIT_DIFFERENCE = 1e-4
OPSET = 17


class OnnxError(RuntimeError):
    """The ONNX file does not compute what the run's network computes."""


@dataclass(frozen=True)
class Agreement:
    images: int
    agreement: float  # share of images whose predicted class is the same in both runtimes
    max_logit_difference: float


def onnx_bytes(model: nn.Module, classes: tuple[str, ...]) -> bytes:
    """The network (eval mode, CPU, default layout) exported with its metadata."""
    import onnx

    model = model.to("cpu", memory_format=torch.contiguous_format).eval()
    buffer = io.BytesIO()
    # dynamo=False: torch's TorchScript exporter, which needs no onnxscript (one dependency fewer);
    # torch 2.14 warns that it is deprecated, a choice made here on purpose
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(model, (torch.zeros(1, 1, 28, 28),), buffer, dynamo=False, opset_version=OPSET,
                          input_names=[INPUT], output_names=[OUTPUT],
                          dynamic_axes={INPUT: {0: "N"}, OUTPUT: {0: "N"}})
    proto = onnx.load_from_string(buffer.getvalue())
    facts = {
        "input": f"{INPUT}: float32 (N, 1, 28, 28), pixels in [0, 1] as torchvision's ToTensor gives (uint8 / 255), N any batch size",
        "output": f"{OUTPUT}: float32 (N, {len(classes)}), one logit per class; softmax gives probabilities",
        "pixel_scale": "[0, 1]",
        "classes": ",".join(classes),
    }
    for key, value in facts.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "MNIST CNN Studio"
    onnx.checker.check_model(proto)
    return proto.SerializeToString()


def check_onnx(data: bytes, model: nn.Module, split: Split) -> Agreement:
    """onnxruntime's logits on every image of `split` against PyTorch's; OnnxError when they disagree."""
    import onnxruntime

    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    expected = logits(model, split.images).numpy()  # (N, classes)
    images = split.images.numpy().astype(np.float32)
    got = np.concatenate([session.run([OUTPUT], {INPUT: images[i : i + 1000]})[0] for i in range(0, len(images), 1000)])
    agreement = float((got.argmax(1) == expected.argmax(1)).mean())
    difference = float(np.abs(got - expected).max())
    result = Agreement(len(images), agreement, difference)
    if agreement < MIN_AGREEMENT or difference > MAX_LOGIT_DIFFERENCE:
        raise OnnxError(
            f"The ONNX file disagrees with PyTorch on the test images: classes agree on {agreement:.4%} "
            f"(at least {MIN_AGREEMENT:.2%} needed), logits differ by up to {difference:.2e} "
            f"(at most {MAX_LOGIT_DIFFERENCE:g} allowed), so it was not written."
        )
    return result


def export_onnx(model: nn.Module, split: Split, out: Path | None, classes: tuple[str, ...]) -> tuple[bytes, Agreement]:
    """The checked ONNX bytes (written to `out` when given) and how closely they agree."""
    data = onnx_bytes(model, classes)
    agreement = check_onnx(data, model, split)
    if out is not None:
        Path(out).write_bytes(data)
    return data, agreement

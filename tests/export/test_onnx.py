"""ONNX: onnxruntime, a second runtime, runs the exported file; one input with a dynamic batch axis, its
metadata names the input's shape and pixel scale, and a file that computes something else is refused."""
from __future__ import annotations

import numpy as np
import onnx
import onnxruntime
import pytest
import torch

from core.export.onnx import INPUT, OUTPUT, OnnxError, check_onnx, export_onnx, onnx_bytes
from core.runs import checkpoints
from tests.app.conftest import make_run

CLASSES = tuple(str(digit) for digit in range(10))


@pytest.mark.parametrize("model_name", ["cnn", "fast_cnn"])
def test_onnxruntime_agrees_with_pytorch_on_every_test_image(model_name, tmp_path, tiny_mnist):
    run_dir = make_run(tmp_path, tiny_mnist, "run", model=model_name)
    model, _ = checkpoints.load_model(run_dir)
    out = tmp_path / "run.onnx"
    _, agreement = export_onnx(model, tiny_mnist.test, out, CLASSES)
    assert agreement.images == len(tiny_mnist.test) and agreement.agreement == 1.0
    assert agreement.max_logit_difference < 1e-4
    session = onnxruntime.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    (given,), (made,) = session.get_inputs(), session.get_outputs()
    assert (given.name, given.type, given.shape[1:]) == (INPUT, "tensor(float)", [1, 28, 28])
    assert isinstance(given.shape[0], str) and made.name == OUTPUT  # a named, dynamic batch axis
    for batch in (1, 7):  # any batch size runs
        assert session.run(None, {INPUT: np.zeros((batch, 1, 28, 28), np.float32)})[0].shape == (batch, 10)
    metadata = {entry.key: entry.value for entry in onnx.load(str(out)).metadata_props}
    assert metadata["pixel_scale"] == "[0, 1]" and "(N, 1, 28, 28)" in metadata["input"] and INPUT in metadata["input"]


def test_a_file_that_computes_something_else_is_refused_loudly(tmp_path, tiny_mnist):
    model, _ = checkpoints.load_model(make_run(tmp_path, tiny_mnist, "run"))
    other = onnx_bytes(model, CLASSES)
    with torch.no_grad():
        model.fc.bias.add_(0.01)  # PyTorch's logits move by 0.01, far more than 1e-4
    with pytest.raises(OnnxError, match="disagrees"):
        check_onnx(other, model, tiny_mnist.test)

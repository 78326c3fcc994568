"""The Inside page's server-side work, timed through the functions the page calls (core.explain.inspection).

- one image through `cnn`: feature maps, scores and the four attributions (core.explain.inspection.inspect_image);
- the all-epochs chart over a 15-epoch run: every epoch file read weights-only, the image's
  probabilities under each, and the plotly figure (ui.inside.view.epochs_figure), from a cold
  file cache in this process (core.runs.epochs' lru cache cleared) and warm.

The 15-epoch run is trained here for one batch per epoch on a small slice of the data: the
timing does not depend on how well it learned, only on its 16 files.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import torch

from core.runs import epochs
from core.training.config import TrainConfig
from core.data.loading import Dataset, Split
from core.training.fit import fit, new_run
from core.explain.inspection import inspect_image, probabilities_by_epoch
from core.training.models import build_model, place

CHART_EPOCHS = 15


def _median_ms(work, repeats: int) -> float:
    work()  # warm-up: first-call allocations, oneDNN kernels
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def inspect_ms(image: torch.Tensor, repeats: int, model_name: str = "cnn") -> float:
    """Median ms of feature maps + scores + Saliency, IG, Occlusion, Grad-CAM for one image."""
    model = place(build_model(model_name), "cpu").eval()
    return _median_ms(lambda: inspect_image(model, image), repeats)


def inspect_gflop(image: torch.Tensor, model_name: str = "cnn") -> float:
    """FLOPs of one inspection, a number no busy neighbour changes: per-pass FLOPs counted by
    torch.utils.flop_counter (which cannot watch Captum's autograd.grad calls), times the passes
    each method makes: 2 forward (feature maps, Occlusion's unoccluded image), 169 occluded
    forward, and 1 + IG_STEPS + 1 forward-and-backward (Saliency, IG, Grad-CAM)."""
    from torch.utils.flop_counter import FlopCounterMode

    from core.explain.attributions import IG_STEPS, OCCLUSION_STRIDE, OCCLUSION_WINDOW

    model = place(build_model(model_name), "cpu").eval()
    with FlopCounterMode(display=False) as forward:
        with torch.no_grad():
            model(image)
    with FlopCounterMode(display=False) as both:
        model(image.clone().requires_grad_(True))[0, 0].backward()
    patches = ((28 - OCCLUSION_WINDOW) // OCCLUSION_STRIDE + 1) ** 2
    total = (2 + patches) * forward.get_total_flops() + (2 + IG_STEPS) * both.get_total_flops()
    return total / 1e9


def fifteen_epoch_run(data: Dataset, root: Path) -> Path:
    small = Dataset(Split(data.train.images[:1000], data.train.labels[:1000]),
                  Split(data.test.images[:200], data.test.labels[:200]), data.source)
    config = TrainConfig(epochs=CHART_EPOCHS, batch_size=100, max_batches=1)
    trainer, run_dir = new_run(config, small, root, device="cpu", name="bench-epochs")
    for _ in fit(trainer, run_dir):
        pass
    return run_dir


def epochs_chart_ms(run_dir: Path, image: torch.Tensor, repeats: int) -> tuple[float, float]:
    """(cold, warm) median ms of the all-epochs probabilities plus their plotly figure."""
    from ui.inside.view import epochs_figure  # plotly only, no streamlit call

    names = tuple(str(digit) for digit in range(10))

    def chart(cold: bool) -> None:
        if cold:
            epochs._load_checked.cache_clear()
        history = probabilities_by_epoch(run_dir, image)
        epochs_figure(history, names, history.epochs[-1]).to_json()

    return _median_ms(lambda: chart(True), repeats), _median_ms(lambda: chart(False), repeats)


def measure(data: Dataset, repeats: int) -> dict[str, float]:
    image = data.test.images[:1]
    with tempfile.TemporaryDirectory(prefix="bench-inside-") as folder:
        cold, warm = epochs_chart_ms(fifteen_epoch_run(data, Path(folder)), image, repeats)
    return {"inspect_cnn_ms": inspect_ms(image, repeats), "inspect_cnn_gflop": inspect_gflop(image),
            "epochs_chart_cold_ms": cold, "epochs_chart_warm_ms": warm}


if __name__ == "__main__":
    from core.data.loading import load_mnist

    torch.set_num_threads(2)
    for name, value in measure(load_mnist(), repeats=20).items():
        print(f"{name:24s} {value:8.1f}")

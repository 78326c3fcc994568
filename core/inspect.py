"""Look inside a saved run for one image, from the command line: the Inside page's pictures as PNGs.

    python -m core.inspect RUN (--test-index N | --image PNG) [--epoch E] [--class C] --out DIR

RUN is a run name (a folder in $MNIST_CHECKPOINT_DIR, else checkpoints/) or that folder's path.
DIR receives image.png, scores.png, filters.png, maps-<layer>.png per layer, attribution-<method>.png
per method, probabilities-by-epoch.png and inspect.json (the probabilities at every epoch).
Bad input exits with code 2 and one line, and writes nothing.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from core.explain import inspect_png

from core.runs import atomic, checkpoints
from core.cli import Parser, fail, run_arguments, saved_run
from core.training.config import TrainConfig
from core.data.loading import DatasetError, load_dataset
from core.data.datasets import class_names
from core.runs.epochs import EpochFile
from core.explain.feature_maps import mosaic
from core.data.image_input import ImageError, image_from_png, test_image
from core.explain.inspection import (
    EpochProbabilities, Inspection, epoch_choices, inspect_image, model_at, probabilities_by_epoch,
)


def parse(argv: list[str] | None) -> Any:
    parser = Parser(prog="python -m core.inspect", description="Feature maps and attributions of one image, as PNGs.")
    run_arguments(parser)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--test-index", type=int, help="a test image, by its index (0-9999)")
    source.add_argument("--image", type=Path, help="a PNG image of one digit (28x28 as is; larger ones are centred)")
    parser.add_argument("--epoch", type=int, help="which epoch's weights (0 = before training; default: the last)")
    parser.add_argument("--class", dest="target", help="the class to explain, by label or name (default: predicted)")
    parser.add_argument("--per-channel", action="store_true", help="scale each feature map to its own range")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the pictures into")
    parser.add_argument("--data-dir", help="dataset folder (default: $MNIST_DATA_DIR, else data/)")
    return parser.parse_args(argv)


def choose_epoch(run_dir: Path, epoch: int | None) -> EpochFile:
    """The asked-for epoch, or the last one that loads; CheckpointError says which exist."""
    choices = epoch_choices(run_dir)
    usable = [choice for choice in choices if choice.problem is None]
    if epoch is None:
        if not usable:
            raise checkpoints.CheckpointError(f"{run_dir.name}: no epoch's weights can be loaded ({choices[-1].problem}).")
        return usable[-1]
    for choice in choices:
        if choice.epoch == epoch:
            if choice.problem:
                raise checkpoints.CheckpointError(choice.problem)
            return choice
    shown = ", ".join(str(choice.epoch) for choice in usable) or "none"
    raise checkpoints.CheckpointError(f"{run_dir.name} has no epoch {epoch}; epochs that can be shown: {shown}.")


def parse_class(text: str | None, names: tuple[str, ...]) -> int | None:
    if text is None:
        return None
    lowered = [name.lower() for name in names]
    if text.lower() in lowered:
        return lowered.index(text.lower())
    if text.isdigit() and int(text) < len(names):
        return int(text)
    raise ValueError(f"--class {text!r} is not a class of this run; choose one of {', '.join(names)}.")


def pictures(found: Inspection, image: torch.Tensor, names: tuple[str, ...], per_channel: bool) -> dict[str, bytes]:
    pixels = image[0, 0].numpy()
    target = names[found.target]
    files = {"image.png": inspect_png.image_png(pixels, f"the image: predicted {names[found.predicted]}")}
    files["scores.png"] = inspect_png.scores_png(found, names)
    side = found.filters.shape[-1]
    files["filters.png"] = inspect_png.mosaic_png(mosaic(found.filters, per_channel=False), f"first layer's {side}x{side} filters", True)
    for layer in found.layers:
        files[f"maps-{layer.name}.png"] = inspect_png.layer_png(layer, per_channel)
    for method, attribution in found.attributions.items():
        slug = re.sub(r"[^a-z]+", "-", method.lower()).strip("-")
        files[f"attribution-{slug}.png"] = inspect_png.attribution_png(attribution, pixels, method, target)
    return files


@dataclass(frozen=True)
class Request:
    """Everything the command line asked for, checked."""

    run_dir: Path
    names: tuple[str, ...]
    target: int | None
    choice: EpochFile
    image: torch.Tensor  # (1,1,28,28)
    about: dict[str, Any]  # where the image came from, for inspect.json


def checked_request(args: Any) -> Request:
    """The arguments resolved to a run, an epoch, an image and a class; exits 2 with one line if any is wrong."""
    if args.out.exists() and not args.out.is_dir():
        fail(f"--out {args.out} is a file; give a folder.")
    try:
        run_dir = saved_run(args.run, args.checkpoint_dir)
        config = TrainConfig.from_dict(checkpoints.read_meta(run_dir)["config"])
        names = class_names(config.dataset)
        target = parse_class(args.target, names)
        choice = choose_epoch(run_dir, args.epoch)
        if args.image is not None:
            image, about = image_from_png(args.image), {"source": "png", "path": str(args.image)}
        else:
            split = load_dataset(config.dataset, args.data_dir, allow_download=False).test
            image, label = test_image(split, args.test_index)
            about = {"source": "test", "index": args.test_index, "label": label, "label_name": names[label]}
    except (checkpoints.CheckpointError, DatasetError, ImageError, ValueError) as error:
        fail(str(error))
    return Request(run_dir, names, target, choice, image, about)


def report(request: Request, found: Inspection, history: EpochProbabilities) -> dict[str, Any]:
    """inspect.json: the scores at the chosen epoch, and the probabilities at every epoch."""
    return {
        "run": request.run_dir.name,
        "image": request.about,
        "epoch": request.choice.epoch,
        "class_names": list(request.names),
        "predicted": found.predicted,
        "explained_class": found.target,
        "logits": found.logits.tolist(),
        "probabilities": found.probabilities.tolist(),
        "gradcam_layer": found.gradcam_layer,
        "layers": [layer.name for layer in found.layers],
        "epochs": [{"epoch": e, "probabilities": p.tolist()} for e, p in zip(history.epochs, history.probabilities)],
        "epochs_not_shown": [{"epoch": e, "problem": problem} for e, problem in sorted(history.problems.items())],
    }


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    request = checked_request(args)
    try:
        model = model_at(request.run_dir, request.choice)
    except checkpoints.CheckpointError as error:  # changed on disk since it was checked
        fail(str(error))
    found = inspect_image(model, request.image, request.target)
    history = probabilities_by_epoch(request.run_dir, request.image)
    files = pictures(found, request.image, request.names, args.per_channel)
    files["probabilities-by-epoch.png"] = inspect_png.epochs_png(history, request.names)
    files["inspect.json"] = json.dumps(report(request, found, history), indent=1).encode()
    try:
        args.out.mkdir(parents=True, exist_ok=True)  # only now: bad input above wrote nothing
        for name, content in files.items():
            atomic.write_file(args.out / name, lambda handle, content=content: handle.write(content))
    except OSError as error:
        fail(f"cannot write to {args.out} ({error.strerror or error}).")
    names = request.names
    print(f"Epoch {request.choice.epoch}: predicted {names[found.predicted]} ({found.probabilities.max():.0%}); "
          f"explained class {names[found.target]}. Wrote {len(files)} files to {args.out}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

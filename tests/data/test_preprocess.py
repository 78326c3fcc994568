"""core.data.preprocess: drawings on a 280x280 canvas come out MNIST-style (20x20 box, centre of mass at 14,14)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from core.data.preprocess import BlankCanvasError, canvas_to_tensor, drawing_problem, ink

SIDE = 280
# a "7": top bar and a diagonal, in unit coordinates (0..1 of the digit's own box)
SEVEN = [((0.0, 0.0), (1.0, 0.0)), ((1.0, 0.0), (0.35, 1.0))]
FOUR = [((0.6, 0.0), (0.0, 0.65)), ((0.0, 0.65), (1.0, 0.65)), ((0.75, 0.2), (0.75, 1.0))]


def canvas(strokes, left: float, top: float, size: float, width: int = 18, mode: str = "transparent") -> np.ndarray:
    """(280,280,4) RGBA as the canvas returns it: white ink, transparent or opaque black background."""
    if mode == "transparent":  # alpha carries the ink; hidden RGB set white to prove it is ignored
        image = Image.new("RGBA", (SIDE, SIDE), (255, 255, 255, 0))
    else:  # opaque black background: alpha 255 everywhere, ink in RGB
        image = Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 255))
    pen = ImageDraw.Draw(image)
    for (x0, y0), (x1, y1) in strokes:
        points = [(left + x0 * size, top + y0 * size), (left + x1 * size, top + y1 * size)]
        pen.line(points, fill=(255, 255, 255, 255), width=width, joint="curve")
    return np.asarray(image)


def centre_of_mass(image: torch.Tensor) -> tuple[float, float]:
    pixels = image[0, 0].numpy().astype(np.float64)
    rows, cols = np.indices(pixels.shape)
    return (rows * pixels).sum() / pixels.sum(), (cols * pixels).sum() / pixels.sum()


def ink_box(image: torch.Tensor) -> tuple[int, int]:
    """(height, width) of the non-zero pixels."""
    rows = np.nonzero(image[0, 0].numpy().any(1))[0]
    cols = np.nonzero(image[0, 0].numpy().any(0))[0]
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


@pytest.mark.parametrize("mode", ["transparent", "opaque"])
@pytest.mark.parametrize(
    "strokes, left, top, size",
    [(SEVEN, 20, 20, 80), (SEVEN, 150, 140, 110), (SEVEN, 40, 30, 220), (FOUR, 170, 10, 90), (FOUR, 10, 100, 160)],
)
def test_digits_anywhere_and_any_size_come_out_centred_in_a_20_box(strokes, left, top, size, mode):
    image = canvas_to_tensor(canvas(strokes, left, top, size, mode=mode))
    assert image.shape == (1, 1, 28, 28) and image.dtype == torch.float32
    row, col = centre_of_mass(image)
    assert abs(row - 14) <= 1 and abs(col - 14) <= 1
    height, width = ink_box(image)
    assert max(height, width) in (19, 20) and height <= 20 and width <= 20


def test_values_lie_on_the_training_scale():
    image = canvas_to_tensor(canvas(SEVEN, 50, 50, 150))
    assert image.min() == 0 and image.max() == 1
    assert torch.equal(image * 255, (image * 255).round())  # k/255, as core.data.loading.scale gives


def test_both_background_modes_give_the_same_image():
    transparent = canvas_to_tensor(canvas(FOUR, 60, 40, 150, mode="transparent"))
    opaque = canvas_to_tensor(canvas(FOUR, 60, 40, 150, mode="opaque"))
    assert torch.equal(transparent, opaque)


def test_position_and_size_do_not_matter():
    small = canvas_to_tensor(canvas(SEVEN, 180, 170, 80, width=8))
    large = canvas_to_tensor(canvas(SEVEN, 20, 20, 240, width=24))
    assert (small - large).abs().mean() < 0.06
    assert (small - canvas_to_tensor(canvas(FOUR, 20, 20, 240, width=24))).abs().mean() > 0.1


def test_aspect_ratio_is_kept():
    one = canvas_to_tensor(canvas([((0.5, 0.0), (0.5, 1.0))], 40, 40, 200, width=14))
    height, width = ink_box(one)
    assert height in (19, 20) and width <= 4


def test_black_ink_on_a_transparent_canvas_is_not_ink():
    pixels = canvas(SEVEN, 50, 50, 150)
    pixels = pixels.copy()
    pixels[..., :3] = 0  # black strokes: bright nowhere
    assert ink(pixels).max() == 0


@pytest.mark.parametrize("mode", ["transparent", "opaque"])
def test_empty_canvas_is_not_a_digit(mode):
    empty = canvas([], 0, 0, 0, mode=mode)
    assert "empty" in drawing_problem(empty)
    with pytest.raises(BlankCanvasError):
        canvas_to_tensor(empty)
    assert "Draw a digit" in drawing_problem(None)


def test_full_canvas_gets_a_prompt_but_no_exception():
    full = np.full((SIDE, SIDE, 4), 255, dtype=np.uint8)
    assert "mostly ink" in drawing_problem(full)
    image = canvas_to_tensor(full)
    assert ink_box(image) == (20, 20)


def test_a_real_digit_is_drawable():
    assert drawing_problem(canvas(SEVEN, 50, 50, 150, mode="opaque")) is None


@pytest.mark.parametrize("strokes", [[((0.0, 0.0), (0.0, 0.0))], [((0, 0), (1, 1)), ((0, 1), (1, 0))]])
def test_single_dot_and_strokes_touching_the_edges(strokes):
    size = 1 if len(strokes) == 1 else SIDE - 1  # a dot at the corner, or an X from corner to corner
    image = canvas_to_tensor(canvas(strokes, 0, 0, size, width=30))
    row, col = centre_of_mass(image)
    assert abs(row - 14) <= 1 and abs(col - 14) <= 1


def test_other_shapes_are_refused():
    with pytest.raises(ValueError, match="RGBA"):
        canvas_to_tensor(np.zeros((280, 280, 2), dtype=np.uint8))


@pytest.mark.real_data
def test_enlarged_mnist_digits_survive_the_round_trip(real_mnist):
    """Criterion: of the first 10 test digits a quickly trained cnn gets right, at least 9 stay right
    after being enlarged 10x onto a 280x280 canvas (both background modes) and prepared again."""
    from core.training.config import TrainConfig
    from core.evaluate import predict_digit
    from core.training.trainer import Trainer

    trainer = Trainer(TrainConfig(epochs=1, max_batches=200), real_mnist, device="cpu")
    for _ in trainer.run():
        pass
    model = trainer.model.eval()
    kept, tried = 0, 0
    for index in range(200):
        image, label = real_mnist.test.images[index : index + 1], int(real_mnist.test.labels[index])
        if predict_digit(model, image).argmax() != label:
            continue
        grey = np.kron((image[0, 0].numpy() * 255).round().astype(np.uint8), np.ones((10, 10), np.uint8))
        alpha = grey if tried % 2 else np.full_like(grey, 255)  # transparent, then opaque black background
        rgba = np.dstack([np.maximum(grey, 255 * (tried % 2))] * 3 + [alpha]).astype(np.uint8)
        kept += int(predict_digit(model, canvas_to_tensor(rgba)).argmax() == label)
        tried += 1
        if tried == 10:
            break
    assert tried == 10 and kept >= 9


EDGE_CASES = {  # name -> (strokes, left, top, size, width), on a 280x280 canvas
    "single dot": ([((0.5, 0.5), (0.5, 0.5))], 140, 140, 1, 8),
    "dot in a corner": ([((0.0, 0.0), (0.0, 0.0))], 0, 0, 1, 8),
    "line along the top edge": ([((0.0, 0.0), (1.0, 0.0))], 0, 0, SIDE - 1, 10),
    "frame along every edge": ([((0, 0), (1, 0)), ((1, 0), (1, 1)), ((1, 1), (0, 1)), ((0, 1), (0, 0))], 0, 0, SIDE - 1, 12),
}


@pytest.mark.parametrize("mode", ["transparent", "opaque"])
@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_edge_cases_give_an_mnist_frame_and_no_prompt(name, mode):
    strokes, left, top, size, width = EDGE_CASES[name]
    pixels = canvas(strokes, left, top, size, width=width, mode=mode)
    assert drawing_problem(pixels) is None
    image = canvas_to_tensor(pixels)
    assert image.shape == (1, 1, 28, 28) and 0 < image.max() <= 1 and max(ink_box(image)) <= 20

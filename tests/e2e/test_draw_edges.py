"""Every stroke reaches the model: strokes begun at each corner and edge of the canvas draw ink and change the
answer, one that leaves the canvas still ends; Undo takes back the last stroke and Clear empties the canvas."""
import pytest

from tests.e2e.drawing import SIDE, SURFACE, canvas_rgba, expected_probabilities, run_model, shown_probabilities, stroke
from tests.e2e.streamlit_dom import assert_no_exception, choose_option, open_page, poll

pytestmark = pytest.mark.e2e

EDGE = 2  # px inside the border: the first pixel a hand could start on
FAR = SIDE - 1 - EDGE
# each corner and each edge's middle, then a short way towards the centre; the first two start where the
# old component's toolbar lay over the canvas (x >= 140 px, y <= 25 px) and took the press
STARTS = [(SIDE / 2, EDGE), (FAR, EDGE), (FAR, SIDE / 2), (FAR, FAR), (SIDE / 2, FAR), (EDGE, FAR), (EDGE, SIDE / 2),
          (EDGE, EDGE)]


def inward(x: float, y: float, length: float = 45) -> list[tuple[float, float]]:
    dx, dy = SIDE / 2 - x, SIDE / 2 - y
    norm = max((dx * dx + dy * dy) ** 0.5, 1)
    return [(x + dx * length * t / 3 / norm, y + dy * length * t / 3 / norm) for t in range(4)]


def ink_at(rgba, x: float, y: float) -> int:
    return int(rgba[int(y), int(x), :3].max())


def bars_equal(page, expected) -> list[float]:
    return poll(lambda: shown_probabilities(page),
                lambda bars: bars is not None and max(abs(a - b) for a, b in zip(bars, expected.tolist())) < 1e-3)


def test_strokes_from_every_edge_and_corner_draw_and_change_the_answer_and_undo_and_clear_work(server, page, draw_run):
    open_page(page, f"{server}/Draw", SURFACE)
    choose_option(page, "draw_run", draw_run.name)
    model = run_model(draw_run)
    history = []
    for x, y in STARTS:
        before = shown_probabilities(page)
        stroke(page, inward(x, y))
        rgba = canvas_rgba(page)
        assert ink_at(rgba, x, y) == 255, f"no ink where the stroke began, at ({x}, {y})"
        expected = expected_probabilities(rgba, model)
        shown = bars_equal(page, expected)
        assert before is None or max(abs(a - b) for a, b in zip(before, shown)) > 1e-6, f"answer unchanged after ({x}, {y})"
        history.append(expected)

    # a stroke that runs off the canvas and is released outside it still ends, and counts
    stroke(page, [(SIDE / 2, SIDE / 2), (SIDE + 30, SIDE / 2), (SIDE + 60, SIDE / 2)])
    bars_equal(page, expected_probabilities(canvas_rgba(page), model))
    assert ink_at(canvas_rgba(page), SIDE / 2 + 30, SIDE / 2) == 255

    pad = page.locator(".sketchpad")
    pad.get_by_role("button", name="Undo").click()
    assert ink_at(canvas_rgba(page), SIDE / 2 + 30, SIDE / 2) == 0
    bars_equal(page, history[-1])  # back to the answer before the last stroke
    pad.get_by_role("button", name="Undo").click()
    bars_equal(page, history[-2])

    pad.get_by_role("button", name="Clear").click()
    page.get_by_text("Draw a digit on the canvas").wait_for(timeout=30_000)
    assert canvas_rgba(page)[..., :3].max() == 0
    assert pad.get_by_role("button", name="Undo").is_disabled()
    assert_no_exception(page)

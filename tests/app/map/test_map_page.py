"""Map page: the map of a saved run, its epochs, a drawing's place and neighbours, the t-SNE job, the explorer."""
from __future__ import annotations

import base64
import json
import shutil
import time

import numpy as np
import torch
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as TF

from core.map import map_cache, tsne

from core.runs import checkpoints
from core.map.embedding import embed
from tests.app.conftest import add_run, open_page
from ui import map_data

MAP = "pages/6_Map.py"


def map_spec(at) -> dict:
    """The map's plotly figure as the page sent it (the first chart on the page)."""
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def chart_traces(at) -> list[dict]:
    return map_spec(at)["data"]


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_no_runs_says_so(app_env):
    at = open_page(MAP)
    assert not at.exception
    assert "no saved runs" in texts(at.info)


def test_the_map_shows_every_test_image_by_class_with_mistakes_marked(app_env, saved_runs, tiny_mnist):
    add_run(app_env, saved_runs, "run-a")
    at = open_page(MAP)
    assert not at.exception, at.exception
    traces = chart_traces(at)
    shown = sorted(i for trace in traces for i in trace.get("customdata", []))
    assert shown == list(range(len(tiny_mnist.test)))  # every test image once
    mistakes = [t for t in traces if "mistakes" in t["name"]]
    model, _ = checkpoints.load_model(app_env / "run-a")
    _, logits = embed(model, tiny_mnist.test.images)
    wrong = int((logits.argmax(1) != tiny_mnist.test.labels).sum())
    assert sum(len(t["customdata"]) for t in mistakes) == wrong
    assert all(t["marker"]["symbol"] == "x" for t in mistakes)
    assert at.select_slider(key="map_epoch").options == ["0", "1"]  # the run kept epochs 0 and 1
    assert "Draw a digit on the Draw page" in texts(at.info)


def test_a_run_without_epoch_files_shows_only_its_last_epoch(app_env, saved_runs):
    run_dir = add_run(app_env, saved_runs, "run-a")
    shutil.rmtree(run_dir / "epochs")
    at = open_page(MAP)
    assert not at.exception
    assert not at.select_slider  # no epoch slider
    assert "only its last epoch, 1, can be shown" in texts(at.info)


def test_a_drawing_lands_on_the_map_with_its_eight_nearest_training_images(app_env, saved_runs, tiny_mnist):
    add_run(app_env, saved_runs, "run-a")
    at = open_page(MAP)
    drawing = tiny_mnist.train.images[5, 0].numpy()  # a training image, so its nearest neighbour is itself
    at.session_state["drawing_28x28"] = drawing
    at.run()
    assert not at.exception, at.exception
    assert any(trace["name"] == "your drawing" for trace in chart_traces(at))
    captions = [c for c in at.caption if "To the network it looks like these" in c.value]
    assert len(captions) == 1
    neighbour_captions = [c for image in at.image for c in image.captions if "distance" in c]
    assert len(neighbour_captions) == 8
    assert neighbour_captions[0] == f"{int(tiny_mnist.train.labels[5])} · distance 0.0"


def trace_values(values) -> list[float]:
    """A plotly trace's x or y as sent: a base64 typed array or a plain list."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_the_perturbation_chart_shows_the_drawings_ten_probabilities_across_the_rotations(app_env, saved_runs, tiny_mnist):
    add_run(app_env, saved_runs, "run-a")
    at = open_page(MAP)
    drawing = tiny_mnist.train.images[5, 0].numpy()
    at.session_state["drawing_28x28"] = drawing
    at.run()
    assert not at.exception, at.exception
    (spec,) = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")
               if json.loads(chart.proto.spec)["layout"].get("xaxis", {}).get("title", {}).get("text") == "Rotate (degrees)"]
    # the oracle: torchvision's own rotate (counter-clockwise), not core.explain.perturb, and the model run directly
    angles = np.linspace(-45, 45, 41)
    image = torch.from_numpy(drawing)[None, None]
    batch = torch.cat([TF.rotate(image, float(angle), interpolation=InterpolationMode.BILINEAR) for angle in angles])
    model, _ = checkpoints.load_model(app_env / "run-a")
    with torch.no_grad():
        expected = model(batch).softmax(1).numpy()
    assert [trace["name"] for trace in spec["data"]] == [str(digit) for digit in range(10)]
    for digit, trace in enumerate(spec["data"]):
        assert np.allclose(trace_values(trace["x"]), angles, atol=1e-4)
        assert np.allclose(trace_values(trace["y"]), expected[:, digit], atol=1e-4), digit
    flips = [shape["x0"] for shape in spec["layout"]["shapes"] if shape["line"].get("dash") == "dash"]
    predicted = expected.argmax(1)
    changes = [(angles[i - 1] + angles[i]) / 2 for i in range(1, len(angles)) if predicted[i] != predicted[i - 1]]
    assert np.allclose(sorted(flips), changes)  # a dashed line wherever the prediction changes


def test_the_tsne_map_is_computed_in_the_background_then_shown(app_env, saved_runs, tiny_mnist, monkeypatch):
    monkeypatch.setattr(tsne, "EARLY_ITERATIONS", 20)
    monkeypatch.setattr(tsne, "ITERATIONS", 20)
    run_dir = add_run(app_env, saved_runs, "run-a")
    at = open_page(MAP)
    at.radio(key="map_method").set_value("tsne").run()
    assert not at.exception, at.exception
    jobs = map_data.map_jobs()
    deadline = time.monotonic() + 120
    while jobs.status(run_dir, 1).active and time.monotonic() < deadline:
        time.sleep(0.1)
    assert jobs.status(run_dir, 1).status == "done"
    assert map_cache.cache_path(run_dir, "tsne", 1).is_file()
    at.session_state["drawing_28x28"] = tiny_mnist.train.images[5, 0].numpy()
    at.run()
    assert not at.exception, at.exception
    assert "t-SNE map at epoch 1" in json.dumps(map_spec(at)["layout"]["title"])
    [star] = [trace for trace in chart_traces(at) if trace["name"] == "your drawing"]  # placed by openTSNE's transform
    assert len(star["x"]) == 1


def test_the_draw_page_hands_its_28x28_drawing_to_the_map(app_env, saved_runs, monkeypatch):
    from core.data.preprocess import canvas_to_tensor
    from tests.data.test_preprocess import SEVEN, canvas
    from ui.draw import canvas as canvas_module

    add_run(app_env, saved_runs, "run-a")
    pixels = canvas(SEVEN, 60, 40, 180, mode="opaque")
    monkeypatch.setattr(canvas_module, "draw_canvas", lambda stroke_width, key: pixels)
    at = open_page("pages/4_Draw.py")
    assert not at.exception
    assert (at.session_state["drawing_28x28"] == canvas_to_tensor(pixels)[0, 0].numpy()).all()
    monkeypatch.setattr(canvas_module, "draw_canvas", lambda stroke_width, key: None)  # cleared canvas
    at.run()
    assert at.session_state["drawing_28x28"] is None

"""The benchmark at tiny sizes, so that it cannot rot: every measurement runs and lands in the results file."""
import json

import pytest

from bench import run
from bench.machine import flops_per_cycle
from bench.report import table


def test_smoke_run_writes_every_measurement(tiny_mnist_dir, tmp_path, capsys):
    out = tmp_path / "results.json"
    assert run.main(["--smoke", "--data-dir", str(tiny_mnist_dir), "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    assert results["smoke"] is True
    assert [speed["model"] for speed in results["throughput"]] == ["cnn", "deep_cnn"]
    for speed in results["throughput"]:
        assert speed["lecture_images_per_s"] > 0 and speed["ours_images_per_s"] > 0
        assert speed["ratio"] == pytest.approx(speed["ours_images_per_s"] / speed["lecture_images_per_s"])
        assert 0 < speed["peak_fraction"] < 1
    # deep_cnn has more convolutions than cnn, so each training image costs more FLOPs
    assert results["throughput"][1]["train_gflop_per_image"] > results["throughput"][0]["train_gflop_per_image"]
    processes = results["processes"]
    assert all(0 <= p["accuracy"] <= 1 and p["peak_mib"] > 50 for p in [*processes["ours"], processes["fast"]])
    assert processes["fast_long"]["label"].startswith("core.train --preset fast --epochs")
    assert processes["best"]["label"] == "core.train --preset best" and 0 <= processes["best"]["accuracy"] <= 1
    assert set(results["augment_growth"]) == {"light", "strong"} and all(r > 0 for r in results["augment_growth"].values())
    assert set(results["scoring_seconds"]) == set(results["drawing_ms"]) == {"cnn", "deep_cnn"}
    estimates = results["epoch_estimate"]
    assert len({row["design"] for row in estimates}) == 3
    assert all(row["real_s"] > 0 and row["ratio"] == pytest.approx(row["estimate_s"] / row["real_s"]) for row in estimates)
    inside = results["inside_ms"]
    assert set(inside) == {"inspect_cnn_ms", "inspect_cnn_gflop", "epochs_chart_cold_ms", "epochs_chart_warm_ms"}
    assert all(value > 0 for value in inside.values())
    printed = capsys.readouterr().out
    assert "SMOKE" in printed and table(results) in printed


def test_flops_per_cycle_reads_the_vector_units():
    assert flops_per_cycle("GenuineIntel", {"avx512f", "avx2", "fma"}) == 64
    assert flops_per_cycle("AuthenticAMD", {"avx512f", "avx2", "fma"}) == 32  # Zen 4: double-pumped 256-bit
    assert flops_per_cycle("GenuineIntel", {"sse2"}) == 16


def test_screenshots_names_each_pages_url_and_shrinks_a_big_png_under_the_limit(tmp_path):
    import numpy as np
    from PIL import Image

    from bench.browser import screenshots

    assert screenshots.url_path("app.py") == "" and screenshots.url_path("pages/0_Lecture.py") == "Lecture"
    noise = np.random.default_rng(0).integers(0, 256, size=(1200, 1200, 3), dtype=np.uint8)  # incompressible
    path = tmp_path / "big.png"
    Image.fromarray(noise).save(path)
    assert path.stat().st_size > screenshots.MAX_BYTES
    size = screenshots.shrink(path)
    assert size == path.stat().st_size < screenshots.MAX_BYTES and Image.open(path).width < 1200

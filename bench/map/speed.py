"""The Map page's waits on a real run: PCA map + a drawing's 8 nearest training images, the t-SNE map
of the 10,000 test images the first time and from its cache, and the peak memory of the map job.

    .venv/bin/python -m bench.map.speed RUN [--checkpoint-dir DIR] [--data-dir DIR]

Seconds are wall-clock; the t-SNE map's CPU seconds (all threads) are given too, as a fairer
measure on a machine shared with other work. The t-SNE schedule measured (core.map.tsne: steps, grid
cell width) is printed with the times, since the numbers mean little without it. The t-SNE map is computed in a fresh child process on a copy of the run (so its cache starts
empty and the run is untouched). Its memory: RSS just before the job (torch, openTSNE and MNIST's test
set loaded), the highest RSS sampled every 10 ms during the job, and the difference, which is what
the job adds to a server that has the dataset loaded already.
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.map.run_arg import parse_run

CHILD = r"""
import json, resource, sys, threading, time
from pathlib import Path
import openTSNE  # imported before the baseline, as in a server that has shown the page once
from core.map import maps, tsne
from core.data.loading import load_mnist
run_dir, data_dir = Path(sys.argv[1]), sys.argv[2] or None
test = load_mnist(data_dir, allow_download=False).test
last = maps.last_epoch(run_dir)
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # user + system seconds, all threads
rss = lambda: int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 2**20  # resident now, MiB
before, highest, done = rss(), [0.0], threading.Event()
def sample():  # not ru_maxrss: Linux carries this bench's (forked) RSS over into it, and it mixes loading in
    while not done.is_set():
        highest[0] = max(highest[0], rss()); done.wait(0.01)
sampler = threading.Thread(target=sample); sampler.start()
started, cpu_started = time.perf_counter(), cpu()
maps.tsne_map(run_dir, last, test)
first, first_cpu = time.perf_counter() - started, cpu() - cpu_started
done.set(); sampler.join()
peak = max(highest[0], rss())
started = time.perf_counter(); found = maps.cached_tsne(run_dir, last, test); cached = time.perf_counter() - started
assert found is not None
print(json.dumps({"tsne_first_s": first, "tsne_first_cpu_s": first_cpu, "tsne_cached_s": cached,
                  "rss_before_mib": before, "job_peak_rss_mib": peak, "job_extra_mib": peak - before, "tsne_early_steps": tsne.EARLY_ITERATIONS,
                  "tsne_steps": tsne.ITERATIONS, "tsne_grid_cell_width": tsne.GRID_CELL_WIDTH}))
"""


def timed(work, repeats: int) -> tuple[float, float]:
    """Median (wall ms, CPU ms) of `work()` after one warm-up; CPU counts every thread of this process."""
    work()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(1000 * (time.perf_counter() - wall))
        cpus.append(1000 * (time.process_time() - cpu))
    return statistics.median(walls), statistics.median(cpus)


def pca_and_neighbours_ms(run_dir: Path, data_dir: str | None, repeats: int = 5) -> dict:
    """What the page does: the PCA map of the test features (once per checkpoint, then cached), and for a
    drawing its features, its place on the map and its 8 nearest among the 60,000 training features."""
    from bench.latency import drawn_seven
    from core.map import maps
    from core.data.loading import load_mnist
    from core.map.embedding import embed
    from core.map.neighbours import nearest
    from core.data.preprocess import canvas_to_tensor

    data = load_mnist(data_dir, allow_download=False)
    model = maps.epoch_model(run_dir, maps.last_epoch(run_dir))
    test_features, _ = embed(model, data.test.images)
    train_features, _ = embed(model, data.train.images)
    drawing = canvas_to_tensor(drawn_seven())
    layout = maps.pca_layout(test_features)

    def one_drawing() -> None:
        features, _ = embed(model, drawing)
        layout.place(features)
        nearest(features, train_features, k=8)

    pca_wall, pca_cpu = timed(lambda: maps.pca_layout(test_features), repeats)
    drawing_wall, drawing_cpu = timed(one_drawing, repeats)
    return {"pca_map_ms": pca_wall, "pca_map_cpu_ms": pca_cpu, "drawing_place_knn_ms": drawing_wall,
            "drawing_place_knn_cpu_ms": drawing_cpu, "feature_width": test_features.shape[1]}


def main(argv: list[str] | None = None) -> int:
    run_dir, data_dir = parse_run("python -m bench.map.speed", __doc__.splitlines()[0], argv)
    results = pca_and_neighbours_ms(run_dir, data_dir)
    print(json.dumps({key: round(value, 2) for key, value in results.items()}), flush=True)
    with tempfile.TemporaryDirectory(prefix="map-speed-") as work:
        copy = Path(shutil.copytree(run_dir, Path(work) / run_dir.name))
        shutil.rmtree(copy / "maps", ignore_errors=True)
        out = subprocess.run([sys.executable, "-c", CHILD, str(copy), data_dir or ""], capture_output=True, text=True, check=True)
    results.update(json.loads(out.stdout.strip().splitlines()[-1]))
    print(json.dumps({key: round(value, 2) for key, value in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

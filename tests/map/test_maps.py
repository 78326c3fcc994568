"""The t-SNE map's cache beside the run, its background jobs, and which epochs a run can show.

Maps here are of 128 of the tiny set's test images with short openTSNE schedules, to stay quick;
the 10,000-point timings live in bench/map/speed.py.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from core.map import map_cache, maps, tsne
from core.data.loading import Split
from core.map.embedding import embed
from core.map.map_jobs import MapJobs
from tests.app.conftest import make_run

PROJECT = Path(__file__).resolve().parents[2]


POINTS = 128


@pytest.fixture(scope="module")
def short_schedule():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tsne, "EARLY_ITERATIONS", 20)
        patch.setattr(tsne, "ITERATIONS", 20)
        yield


@pytest.fixture(scope="module")
def test_split(tiny_mnist) -> Split:
    return Split(tiny_mnist.test.images[:POINTS], tiny_mnist.test.labels[:POINTS])


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_mnist) -> Path:
    """A run of 2 epochs that kept every epoch's weights (epochs 0, 1, 2)."""
    return make_run(tmp_path_factory.mktemp("map-runs"), tiny_mnist, "mapped", epochs=2)


@pytest.fixture(scope="module")
def mapped(trained, tmp_path_factory, test_split, short_schedule) -> Path:
    """The same run with its last epoch's map computed and cached."""
    run_dir = Path(shutil.copytree(trained, tmp_path_factory.mktemp("mapped") / trained.name))
    maps.tsne_map(run_dir, 2, test_split)
    return run_dir


def copy_of(run: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(run, tmp_path / "runs" / run.name))


@pytest.fixture
def run_dir(trained, tmp_path, short_schedule) -> Path:
    return copy_of(trained, tmp_path)


@pytest.fixture
def mapped_dir(mapped, tmp_path, short_schedule) -> Path:
    return copy_of(mapped, tmp_path)


@pytest.fixture
def fits(monkeypatch) -> list[int]:
    """Counts the t-SNE fits that really run (a map read from the cache runs none)."""
    calls: list[int] = []
    real = tsne.fit_tsne

    def counted(reference, *args, **kwargs):
        calls.append(len(reference))
        return real(reference, *args, **kwargs)

    monkeypatch.setattr(tsne, "fit_tsne", counted)
    return calls


def test_a_run_with_epoch_files_offers_every_epoch_and_one_without_only_its_last(run_dir):
    assert maps.available_epochs(run_dir) == [0, 1, 2]
    (run_dir / "epochs" / "epoch-001.pt").write_bytes(b"damaged")
    assert maps.available_epochs(run_dir) == [0, 2]
    shutil.rmtree(run_dir / "epochs")  # a run saved before epochs were kept
    assert maps.available_epochs(run_dir) == [2]
    assert torch.equal(maps.epoch_model(run_dir, 2).fc.weight, torch.load(run_dir / "model.pt", weights_only=True)["model"]["fc.weight"])


def test_the_map_is_computed_once_then_read_from_the_cache(run_dir, test_split, fits):
    first = maps.tsne_map(run_dir, 2, test_split)
    assert first.coords.shape == (POINTS, 2) and first.reference.shape == (POINTS, tsne.REFERENCE_DIMS)
    assert map_cache.cache_path(run_dir, "tsne", 2).is_file()
    again = maps.tsne_map(run_dir, 2, test_split)
    assert fits == [POINTS] and torch.equal(again.coords, first.coords)
    features, _ = embed(maps.epoch_model(run_dir, 2), test_split.images)
    assert torch.allclose(again.pca.transform(features), first.reference, atol=1e-4)  # drawings project the same way


def test_a_cached_map_is_recomputed_when_the_weights_change(mapped_dir, test_split, fits):
    run_dir = mapped_dir
    assert maps.cached_tsne(run_dir, 2, test_split) is not None
    checkpoint = torch.load(run_dir / "model.pt", weights_only=True)
    checkpoint["model"]["fc.weight"] = checkpoint["model"]["fc.weight"] * 1.5  # as if trained further
    torch.save(checkpoint, run_dir / "model.pt")
    assert maps.cached_tsne(run_dir, 2, test_split) is None
    maps.tsne_map(run_dir, 2, test_split)
    assert fits == [POINTS]
    assert maps.cached_tsne(run_dir, 2, test_split) is not None


@pytest.mark.parametrize("damage", [b"not a torch file", "truncated", "foreign"])
def test_a_damaged_cache_file_is_recomputed_not_trusted(mapped_dir, test_split, fits, damage):
    run_dir = mapped_dir
    path = map_cache.cache_path(run_dir, "tsne", 2)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "foreign":  # loads fine, but is not a whole map
        torch.save({"key": "x", "coords": torch.zeros(3)}, path)
    else:
        path.write_bytes(damage)
    assert maps.cached_tsne(run_dir, 2, test_split) is None
    maps.tsne_map(run_dir, 2, test_split)
    assert fits == [POINTS] and maps.cached_tsne(run_dir, 2, test_split) is not None


KILLED_WRITER = """
import sys, time, torch
from pathlib import Path
from core.map import map_cache

def stalls_halfway(obj, handle):  # writes part of the file, then hangs until killed
    handle.write(b"PK" + b"x" * 4096); handle.flush(); print("writing", flush=True); time.sleep(120)

map_cache.torch.save = stalls_halfway
tensors = {"coords": torch.zeros(4, 2), "reference": torch.zeros(4, 3), "pca_mean": torch.zeros(5), "pca_components": torch.zeros(5, 3)}
map_cache.save(Path(sys.argv[1]), "key", "tsne", 2, tensors)
"""


def test_a_map_job_killed_while_writing_leaves_no_half_written_cache(run_dir, test_split):
    path = map_cache.cache_path(run_dir, "tsne", 2)
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert not path.exists()  # the half-written bytes sit in a hidden temp file, never at the cache's name
    assert [p.name.startswith(".") for p in path.parent.iterdir()] == [True]
    assert maps.cached_tsne(run_dir, 2, test_split) is None


def test_an_earlier_epoch_starts_from_the_last_epochs_map(mapped_dir, test_split, monkeypatch):
    run_dir = mapped_dir
    starts = []
    real = tsne.fit_tsne

    def recording(reference, init=None, *args, **kwargs):
        starts.append(init)
        return real(reference, init, *args, **kwargs)

    monkeypatch.setattr(tsne, "fit_tsne", recording)
    shares = []
    maps.tsne_map(run_dir, 1, test_split, progress=lambda share, text: shares.append(share))
    final = maps.cached_tsne(run_dir, 2, test_split)
    assert final is not None and maps.cached_tsne(run_dir, 1, test_split) is not None
    assert len(starts) == 1 and torch.equal(starts[0], final.coords)  # the last epoch's map came from the cache
    assert shares == sorted(shares) and shares[-1] == 1.0


def test_map_jobs_run_in_the_background_once_and_can_be_stopped(run_dir, test_split, fits):
    jobs = MapJobs()
    first = jobs.request(run_dir, 2, test_split)
    assert first.active and jobs.request(run_dir, 2, test_split).active  # asked twice, one job
    deadline = time.monotonic() + 120
    while jobs.status(run_dir, 2).active and time.monotonic() < deadline:
        time.sleep(0.05)
    assert jobs.status(run_dir, 2).status == "done" and fits == [POINTS]
    assert jobs.request(run_dir, 2, test_split).status == "done" and fits == [POINTS]

    jobs.request(run_dir, 0, test_split)
    assert jobs.stop(run_dir, 0)
    while jobs.status(run_dir, 0).active and time.monotonic() < deadline:
        time.sleep(0.05)
    assert jobs.status(run_dir, 0).status == "stopped"
    assert not map_cache.cache_path(run_dir, "tsne", 0).exists()


def test_a_new_point_lands_beside_its_twin_on_the_tsne_map(mapped_dir, test_split):
    found = maps.cached_tsne(mapped_dir, 2, test_split)
    placed = tsne.Placer(found.reference, found.coords).place(found.reference[:4], iterations=20)  # (4,2)
    assert placed.shape == (4, 2)
    spread = (found.coords - found.coords.mean(0)).norm(dim=1).mean()
    others = torch.cdist(placed, found.coords)  # how far each placed point is from every map point
    assert ((placed - found.coords[:4]).norm(dim=1) < 0.5 * spread).all()
    assert (others.argsort(1)[:, :10] == torch.arange(4)[:, None]).any(1).all()  # its twin is among its 10 nearest

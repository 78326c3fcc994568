"""A run's zip: exported and imported into a fresh folder it scores the same; every kind of bad zip is
refused with a sentence and writes nothing; a clashing name gets a new one."""
from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import torch

from core.evaluate import score
from core.runs import checkpoints, share
from core.runs.epochs import list_epochs
from tests.app.conftest import make_run
from tests.runs.test_faults_checkpoints import Hostile, marker_code

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shared_run(tmp_path_factory, tiny_mnist) -> Path:
    return make_run(tmp_path_factory.mktemp("share"), tiny_mnist, "shared-run")


def members(run_dir: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(share.export_zip(run_dir))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(contents: dict[str, bytes], manifest: bool = True, infos: list[zipfile.ZipInfo] = ()) -> bytes:
    """A zip of `contents`, with a manifest that matches them (so only the planted fault is wrong)."""
    if manifest:
        files = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items() if name != share.MANIFEST}
        contents = {**contents, share.MANIFEST: json.dumps({"format": 1, "run": "shared-run", "files": files}).encode()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
        for info in infos:
            archive.writestr(info, b"/etc/passwd")
    return buffer.getvalue()


def test_a_run_exported_and_imported_into_a_fresh_folder_scores_the_same(shared_run, tmp_path, tiny_mnist):
    data = share.export_zip(shared_run)
    name = share.import_zip(data, tmp_path / "elsewhere")
    imported = tmp_path / "elsewhere" / name
    assert name == "shared-run" and checkpoints.inspect_run(imported).damaged is None
    before, _ = checkpoints.load_model(shared_run)
    after, _ = checkpoints.load_model(imported)
    assert score(after, tiny_mnist.test) == score(before, tiny_mnist.test)
    assert [entry.problem for entry in list_epochs(imported)] == [None, None]  # epochs 0 and 1 travelled
    assert sorted(p.relative_to(imported).as_posix() for p in share.run_files(imported)) == \
        sorted(p.relative_to(shared_run).as_posix() for p in share.run_files(shared_run))
    assert [run.name for run in checkpoints.list_runs(tmp_path / "elsewhere")] == ["shared-run"]


def test_a_clashing_name_gets_a_new_one_and_nothing_is_overwritten(shared_run, tmp_path):
    root = tmp_path / "runs"
    data = share.export_zip(shared_run)
    assert share.import_zip(data, root) == "shared-run"
    original = (root / "shared-run" / "run.json").read_bytes()
    assert share.import_zip(data, root) == "shared-run-2"
    assert (root / "shared-run" / "run.json").read_bytes() == original
    assert sorted(os.listdir(root)) == ["shared-run", "shared-run-2"]  # no hidden staging left


def hostile_weights(contents, tmp_path):
    buffer = io.BytesIO()
    torch.save({"model": Hostile(marker_code(tmp_path / "marker")), "config": {"model": "cnn"}, "history": []}, buffer)
    return {**contents, "model.pt": buffer.getvalue()}


def unknown(contents, field, value):
    meta = json.loads(contents["run.json"])
    meta["config"][field] = value
    return {**contents, "run.json": json.dumps(meta).encode()}


def link_info() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("epochs/link.pt")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


REFUSED = {
    "not a zip": (lambda c, t: b"PK\x03\x04 not really a zip", "not a readable zip"),
    "too large": (lambda c, t: rezip({**c, "notes.bin": os.urandom(3000)}), "more than the 2,048 allowed"),
    "zip bomb": (lambda c, t: rezip({**c, "notes.txt": b"0" * 30 * 2**20}), "as a zip bomb does"),
    "dot dot": (lambda c, t: rezip({**c, "../evil.txt": b"x"}), "points outside"),
    "absolute": (lambda c, t: rezip({**c, "/tmp/evil.txt": b"x"}), "points outside"),
    "link": (lambda c, t: rezip(c, infos=[link_info()]), "symbolic link"),
    "sha256": (lambda c, t: rezip({**c, "run.json": c["run.json"].replace(b"777", b"778")}, manifest=False), "sha256 differs"),
    "runs code": (lambda c, t: rezip(hostile_weights(c, t)), "asks to run code"),
    "unknown design": (lambda c, t: rezip(unknown(c, "design", {"blocks": [{"channels": 8, "dilation": 2}]})), "design or dataset"),
    "unknown dataset": (lambda c, t: rezip(unknown(c, "dataset", "emnist")), "design or dataset"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_bad_zip_is_refused_in_one_sentence_and_writes_nothing(kind, shared_run, tmp_path):
    make, words = REFUSED[kind]
    contents = members(shared_run)  # rezip writes a fresh manifest unless told not to
    data = make(contents, tmp_path)
    root = tmp_path / "runs"
    root.mkdir()
    limit = 2048 if kind == "too large" else share.MAX_MEMBER_BYTES
    with pytest.raises(share.ShareError, match=words) as refused:
        share.import_zip(data, root, max_member_bytes=limit)
    assert "\n" not in str(refused.value) and str(refused.value).endswith("Nothing was imported.")
    assert os.listdir(root) == []
    assert not (tmp_path / "marker").exists()  # the hostile pickle's code never ran


def test_the_cli_exports_and_imports_and_refuses_in_one_line(shared_run, tmp_path):
    out, fresh = tmp_path / "run.zip", tmp_path / "fresh"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    python = [sys.executable, "-m", "core.runs"]
    exported = subprocess.run([*python, "export", str(shared_run), "--out", str(out)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert exported.returncode == 0, exported.stderr
    imported = subprocess.run([*python, "import", str(out), "--checkpoint-dir", str(fresh)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert imported.returncode == 0 and "shared-run" in imported.stdout
    out.write_bytes(b"not a zip")
    refused = subprocess.run([*python, "import", str(out), "--checkpoint-dir", str(fresh)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1 and "not a readable zip" in refused.stderr

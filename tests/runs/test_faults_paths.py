"""Run names and user-given paths never leave the checkpoint folder; delete removes one run folder inside it."""
import os
import shutil
from pathlib import Path

import pytest

from core.runs import checkpoints
from core.runs.checkpoints import CheckpointError, delete_run, list_runs, run_path
from tests.app.conftest import make_run


@pytest.fixture
def layout(tmp_path, tiny_mnist):
    """runs/ with a real run, and beside it outside/ holding a real run and a precious file."""
    runs, outside = tmp_path / "runs", tmp_path / "outside"
    make_run(runs, tiny_mnist, "inside-run")
    make_run(outside, tiny_mnist, "outside-run")
    (outside / "precious.txt").write_text("keep me")
    os.symlink(outside, runs / "linked-folder")
    os.symlink(outside / "outside-run", runs / "linked-run")
    return runs, outside


def escapes(runs: Path, outside: Path) -> list[str]:
    return [
        "../outside", "../outside/outside-run", "inside-run/../../outside", "..", ".", "", "~",
        str(outside), str(outside / "outside-run"), "/", "/etc", "linked-folder", "linked-run",
        "inside-run/model.pt", ".hidden", "a\x00b", "x" * 5000, "-rf",
    ]


def test_every_escape_is_refused_by_name_or_path(layout):
    runs, outside = layout
    for bad in escapes(runs, outside):
        with pytest.raises(CheckpointError):
            run_path(runs, bad)
    assert run_path(runs, "inside-run") == run_path(runs, str(runs / "inside-run")) == (runs / "inside-run").resolve()


def test_delete_refuses_every_escape_and_touches_nothing(layout):
    runs, outside = layout
    before = sorted(str(path) for path in outside.rglob("*"))
    for bad in [*escapes(runs, outside), "no-such-run"]:
        with pytest.raises(CheckpointError):
            delete_run(runs, bad)
    assert sorted(str(path) for path in outside.rglob("*")) == before
    assert (runs / "inside-run" / "model.pt").is_file() and (outside / "precious.txt").read_text() == "keep me"


def test_delete_removes_the_run_but_never_follows_a_link_inside_it(layout):
    runs, outside = layout
    os.symlink(outside, runs / "inside-run" / "link-to-outside")
    delete_run(runs, "inside-run")
    assert not (runs / "inside-run").exists() and (runs / "linked-folder").is_symlink()
    assert (outside / "precious.txt").read_text() == "keep me" and (outside / "outside-run" / "model.pt").is_file()


def test_a_stray_file_is_not_a_run_to_delete(layout):
    runs, _ = layout
    (runs / "notes.txt").write_text("mine")
    with pytest.raises(CheckpointError, match="no run named"):
        delete_run(runs, "notes.txt")
    assert (runs / "notes.txt").is_file()


def test_symlinked_runs_are_not_listed_and_symlinked_files_are_not_read(layout):
    runs, outside = layout
    assert [run.name for run in list_runs(runs)] == ["inside-run"]
    copy = Path(shutil.copytree(runs / "inside-run", runs / "borrowed-weights"))
    (copy / "model.pt").unlink()
    os.symlink(outside / "outside-run" / "model.pt", copy / "model.pt")
    borrowed = {run.name: run for run in list_runs(runs)}["borrowed-weights"]
    assert "model.pt is a symbolic link" in borrowed.damaged
    (copy / "model.pt").unlink()
    shutil.copy(runs / "inside-run" / "model.pt", copy / "model.pt")
    (copy / "run.json").unlink()
    os.symlink(outside / "outside-run" / "run.json", copy / "run.json")
    borrowed = {run.name: run for run in list_runs(runs)}["borrowed-weights"]
    assert "run.json is a symbolic link" in borrowed.damaged


@pytest.mark.parametrize("bad", ["linked-run", "..", "."])
def test_the_clis_refuse_run_names_that_escape_in_one_line(bad, layout, tiny_mnist_dir, capsys):
    """A run *name* is held to the checkpoint folder; a path typed on the command line is the user's
    own choice (tests/test_cli.py evaluates the path core.train printed)."""
    from core.evaluate import main as evaluate
    from core.train import main as train

    runs, outside = layout
    weights = outside / "outside-run" / "model.pt"
    stamp = weights.stat().st_mtime_ns
    common = ["--checkpoint-dir", str(runs), "--data-dir", str(tiny_mnist_dir)]
    for command, args, code in ((evaluate, [bad], 1), (train, ["--resume", bad, "--epochs", "3"], 2)):
        with pytest.raises(SystemExit) as exit_info:
            command([*args, *common])
        assert exit_info.value.code == code
        [line] = capsys.readouterr().err.strip().splitlines()
        assert bad in line
    assert weights.stat().st_mtime_ns == stamp and checkpoints.read_meta(outside / "outside-run")["metrics"]["epochs_done"] == 1

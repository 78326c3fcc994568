"""Damaged and hostile checkpoints: one line from `core.evaluate`, a reason in the run list, no code ever run."""
import json
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from core.runs import checkpoints
from core.data.loading import PROJECT_ROOT
from tests.app.conftest import make_run


class Hostile:
    """Unpickling this runs `code`: exactly what a weights-only load must refuse."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __reduce__(self):
        return exec, (self.code,)


def marker_code(marker: Path) -> str:
    return f"open({str(marker)!r}, 'w').write('code ran')"


@pytest.fixture(scope="module")
def template(tmp_path_factory, tiny_mnist) -> Path:
    """A usable cnn run and a usable deep_cnn run, trained once and copied by each test."""
    root = tmp_path_factory.mktemp("template-runs")
    make_run(root, tiny_mnist, "good-cnn")
    make_run(root, tiny_mnist, "good-deep", model="deep_cnn")
    return root


def truncate(run_dir: Path, other: Path) -> None:
    weights = run_dir / "model.pt"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])


def relabel_other_architecture(run_dir: Path, other: Path) -> None:
    """deep_cnn weights in a file whose own config says cnn, with no design: as a run saved before designs."""
    checkpoint = torch.load(other / "model.pt", weights_only=True)
    checkpoint["config"]["model"] = "cnn"
    del checkpoint["config"]["design"]
    torch.save(checkpoint, run_dir / "model.pt")


def not_our_structure(run_dir: Path, other: Path) -> None:
    torch.save({"model": {}, "config": [1, 2], "history": "none"}, run_dir / "model.pt")


def unknown_design(run_dir: Path, other: Path) -> None:
    """A design from a later version, with a field this one does not know."""
    meta = json.loads((run_dir / "run.json").read_text())
    design = {**meta["config"]["design"], "blocks": [{"channels": 32, "dilation": 2}]}
    (run_dir / "run.json").write_text(json.dumps({**meta, "config": {**meta["config"], "model": "custom", "design": design}}))


def bad_config(run_dir: Path, other: Path) -> None:
    meta = json.loads((run_dir / "run.json").read_text())
    (run_dir / "run.json").write_text(json.dumps({**meta, "config": {**meta["config"], "lr": -1}}))


# name -> (how to damage a copy of a good cnn run, words the one line must hold)
DAMAGE = {
    "truncated weights": (truncate, ["model.pt", "truncated"]),
    "empty weights": (lambda run, other: (run / "model.pt").write_bytes(b""), ["model.pt", "empty"]),
    "random bytes": (lambda run, other: (run / "model.pt").write_bytes(random.Random(0).randbytes(4096)),
                     ["model.pt", "not a PyTorch checkpoint"]),
    "invalid JSON": (lambda run, other: (run / "run.json").write_text('{"config": {"model": '), ["run.json", "not valid JSON"]),
    "JSON that is not ours": (lambda run, other: (run / "run.json").write_text("[1, 2]"), ["run.json", "no config"]),
    "JSON with a bad config": (bad_config, ["run.json", "lr must be"]),
    "design this version cannot read": (unknown_design, ["run.json", "does not know", "dilation"]),
    "other architecture's file": (lambda run, other: shutil.copy(other / "model.pt", run / "model.pt"),
                                  ["model.pt", "deep_cnn", "run.json", "cnn"]),
    "other architecture relabelled": (relabel_other_architecture, ["model.pt", "do not fit model 'cnn'"]),
    "checkpoint of another shape": (not_our_structure, ["model.pt", "not one of our checkpoints"]),
    "missing weights": (lambda run, other: (run / "model.pt").unlink(), ["model.pt is missing"]),
    "missing run.json": (lambda run, other: (run / "run.json").unlink(), ["run.json is missing"]),
    "empty folder": (lambda run, other: [shutil.rmtree(path) if path.is_dir() else path.unlink() for path in run.iterdir()],
                     ["is missing"]),
}


def damaged_copy(template: Path, root: Path, name: str) -> Path:
    damage, _ = DAMAGE[name]
    run_dir = Path(shutil.copytree(template / "good-cnn", root / "damaged-run"))
    damage(run_dir, template / "good-deep")
    return run_dir


@pytest.mark.parametrize("name", list(DAMAGE))
def test_evaluate_names_the_problem_in_one_line(name, template, runs_dir, tiny_mnist_dir, capsys):
    from core.evaluate import main

    damaged_copy(template, runs_dir, name)
    with pytest.raises(SystemExit) as exit_info:
        main(["damaged-run", "--checkpoint-dir", str(runs_dir), "--data-dir", str(tiny_mnist_dir)])
    captured = capsys.readouterr()
    assert exit_info.value.code == 1 and captured.out == ""
    [line] = captured.err.strip().splitlines()
    assert line.startswith("error: damaged-run: ") and "\x1b" not in line
    for word in DAMAGE[name][1]:
        assert word in line


@pytest.mark.parametrize("name", list(DAMAGE))
def test_the_run_list_reports_it_damaged_with_the_reason(name, template, runs_dir):
    damaged_copy(template, runs_dir, name)
    shutil.copytree(template / "good-cnn", runs_dir / "good-cnn")
    runs = {run.name: run for run in checkpoints.list_runs(runs_dir)}
    assert runs["good-cnn"].damaged is None
    assert runs["damaged-run"].meta == {} and all(word in runs["damaged-run"].damaged for word in DAMAGE[name][1])


def test_evaluate_in_a_real_process_prints_no_traceback(template, runs_dir, tiny_mnist_dir):
    damaged_copy(template, runs_dir, "truncated weights")
    result = subprocess.run(
        [sys.executable, "-m", "core.evaluate", "damaged-run", "--checkpoint-dir", str(runs_dir),
         "--data-dir", str(tiny_mnist_dir)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


# hostile files


def plant_hostile(run_dir: Path, marker: Path, legacy: bool = False) -> None:
    """model.pt whose unpickling would write `marker`: in torch's zip format, or as a bare pickle."""
    payload = {"model": Hostile(marker_code(marker)), "config": {"model": "cnn"}, "history": []}
    if legacy:
        (run_dir / "model.pt").write_bytes(pickle.dumps(payload, protocol=2))  # torch's own legacy protocol
    else:
        torch.save(payload, run_dir / "model.pt")


def test_the_hostile_file_would_run_code_if_loaded_unsafely(tmp_path):
    """Proves the trap is armed, so the tests below can fail."""
    marker = tmp_path / "marker"
    plant_hostile(tmp_path, marker)
    torch.load(tmp_path / "model.pt", weights_only=False)
    assert marker.read_text() == "code ran"


@pytest.mark.parametrize("legacy", [False, True])
def test_a_hostile_checkpoint_is_refused_everywhere_and_its_code_never_runs(legacy, template, runs_dir, tiny_mnist_dir, tmp_path):
    marker = tmp_path / "marker"
    run_dir = Path(shutil.copytree(template / "good-cnn", runs_dir / "hostile-run"))
    plant_hostile(run_dir, marker, legacy)

    [run] = checkpoints.list_runs(runs_dir)
    assert run.damaged and "refused" in run.damaged
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.load_model(run_dir)
    result = subprocess.run(
        [sys.executable, "-m", "core.evaluate", "hostile-run", "--checkpoint-dir", str(runs_dir),
         "--data-dir", str(tiny_mnist_dir)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "model.pt" in result.stderr and "Traceback" not in result.stderr
    assert not marker.exists()


# every load in the project


SOURCES = ["core", "ui", "pages", "app.py", "bench"]


def unsafe_loads(source: str) -> list[int]:
    """Lines of torch.load calls without weights_only=True, and of pickle loads (always unsafe)."""
    import ast

    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value.id if isinstance(node.func.value, ast.Name) else None
        if owner == "torch" and node.func.attr == "load":
            flag = next((k.value for k in node.keywords if k.arg == "weights_only"), None)
            if not (isinstance(flag, ast.Constant) and flag.value is True):
                lines.append(node.lineno)
        elif owner in ("pickle", "dill", "joblib") and node.func.attr in ("load", "loads"):
            lines.append(node.lineno)
    return lines


def test_the_checker_catches_unsafe_loads():
    assert unsafe_loads("torch.load(p)\ntorch.load(p, weights_only=False)\npickle.loads(b)") == [1, 2, 3]
    assert unsafe_loads("torch.load(p, map_location='cpu', weights_only=True)") == []


def test_every_load_in_the_project_is_weights_only():
    files = [path for name in SOURCES for path in sorted((PROJECT_ROOT / name).glob("**/*.py")) or [PROJECT_ROOT / name]]
    files = [path for path in files if path.is_file() and ".venv" not in path.parts]
    found = {str(path.relative_to(PROJECT_ROOT)): unsafe_loads(path.read_text()) for path in files}
    assert {path: lines for path, lines in found.items() if lines} == {}
    assert sum("torch.load(" in path.read_text() for path in files) >= 1  # the one real load was seen


class Calls:
    """Unpickling this calls `function(*args)`: any callable a hostile file may ask for."""

    def __init__(self, function, args) -> None:
        self.function, self.args = function, args

    def __reduce__(self):
        return self.function, self.args


@pytest.mark.parametrize("protocol", ["zip", 2, 4])
@pytest.mark.parametrize("function", ["os.system", "subprocess.check_output", "builtins.eval"])
def test_any_refused_global_is_named_as_asking_to_run_code(function, protocol, template, runs_dir, tmp_path):
    import builtins
    import os
    import subprocess

    marker = tmp_path / "marker"
    call = {
        "os.system": (os.system, (f"touch {marker}",)),
        "subprocess.check_output": (subprocess.check_output, (["touch", str(marker)],)),
        "builtins.eval": (builtins.eval, (f"open({str(marker)!r}, 'w')",)),
    }[function]
    run_dir = Path(shutil.copytree(template / "good-cnn", runs_dir / "hostile-run"))
    payload = {"model": Calls(*call), "config": {"model": "cnn"}, "history": []}
    if protocol == "zip":
        torch.save(payload, run_dir / "model.pt")
    else:
        (run_dir / "model.pt").write_bytes(pickle.dumps(payload, protocol=protocol))
    [run] = checkpoints.list_runs(runs_dir)
    assert "asks to run code" in run.damaged and "damaged" not in run.damaged
    assert function.split(".")[-1] in run.damaged  # the global is named, e.g. posix.system
    assert not marker.exists()

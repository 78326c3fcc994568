"""The design on the command line: core.summary's walk, core.train --arch, and one-line refusals."""
from __future__ import annotations

import json

import pytest

from core.runs import checkpoints
from core.training.design_text import parse
from core.training.models import named_design
from core.training.walk import totals


def run_main(module_main, args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        module_main(args)
    return exit_info.value.code, capsys.readouterr()


def test_summary_prints_the_design_then_the_lectures_walk(capsys):
    from core.summary import main

    assert main(["deep_cnn"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "design: c32-max,c64-max,c128-maxp1,fc625-d0.5,fc10"
    assert lines[1] == "ImgIn shape=(?, 28, 28, 1)"
    walk_lines = [line.split("  ")[0] for line in lines[2:]]
    assert walk_lines[:3] == ["Conv -> (?, 28, 28, 32)", "ReLU -> (?, 28, 28, 32)", "Pool -> (?, 14, 14, 32)"]
    assert "Pool -> (?, 4, 4, 128)" in walk_lines
    assert "parameters: 1,379,557" in lines and f"multiply-adds per image: {totals(named_design('deep_cnn')).macs:,}" in lines
    assert lines[-1] == "receptive field per block (input pixels): layer1 4x4, layer2 10x10, layer3 22x22"


def test_the_summarys_first_line_trains_the_same_design(tmp_path, tiny_mnist_dir, capsys):
    from core.summary import main as summary
    from core.train import main as train

    summary(["c8-bn-tanh-avg,c16-max,gap,fc32-d0.25,fc10"])
    text = capsys.readouterr().out.splitlines()[0].removeprefix("design: ")
    runs = tmp_path / "runs"
    args = ["--arch", text, "--preset", "fast", "--max-batches", "2", "--batch-size", "64"]
    assert train([*args, "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs)]) == 0
    [run_dir] = checkpoints.list_runs(runs)
    config = run_dir.config
    assert config.design == parse(text) and config.model == "custom" and config.schedule == "onecycle"  # the preset's too
    capsys.readouterr()
    assert summary([str(run_dir.path)]) == 0 and capsys.readouterr().out.splitlines()[0] == f"design: {text}"


def test_arch_reads_a_json_file_of_the_data_form(tmp_path, tiny_mnist_dir, capsys):
    from core.train import main

    design = parse("c4-max,fc10")
    path = tmp_path / "net.json"
    path.write_text(json.dumps(design.to_dict()))
    runs = tmp_path / "runs"
    assert main(["--arch", str(path), "--epochs", "1", "--max-batches", "1", "--batch-size", "64",
                 "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs)]) == 0
    assert "design: c4-max,fc10" in capsys.readouterr().out
    [run] = checkpoints.list_runs(runs)
    assert run.config.design == design


@pytest.mark.parametrize("arch, words", [
    ("c8-max,c8-max,c8-max,c8-max,c8-max,fc10", "block 5: the picture is already 1x1"),
    ("c8k4,fc10", "kernel size must be 1, 3, 5 or 7"),
    ("c32-max", "no classifier"),
    ("c8,fc7", "10 classes"),
    ("missing.json", "cannot read the design file"),
    ("c256k7,c256k7,c256k7,c256k7,c256k7,fc10", "for the layers' outputs"),  # with --batch-size 60000
])
def test_a_bad_design_exits_2_with_one_line_and_trains_nothing(arch, words, tmp_path, tiny_mnist_dir, capsys):
    from core.summary import main as summary
    from core.train import main as train

    runs = tmp_path / "runs"
    code, captured = run_main(train, ["--arch", arch, "--batch-size", "60000", "--data-dir", str(tiny_mnist_dir),
                                      "--checkpoint-dir", str(runs)], capsys)
    assert code == 2 and captured.out == "" and not runs.exists()
    [line] = captured.err.strip().splitlines()
    assert line.startswith("error: ") and words in line
    if "outputs" not in words and "classes" not in words:  # memory and the class count are the run's, not the design's
        code, captured = run_main(summary, [arch], capsys)
        assert code == 2 and len(captured.err.strip().splitlines()) == 1 and words in captured.err

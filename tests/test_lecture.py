"""core.lecture: each step's code is cut from the very script core.export writes; costs line up by epoch."""
from __future__ import annotations

import pytest

from core.export.code import code_cells, script_text
from core.lecture import LECTURES, RUN_NAME, STEP_CELLS, cost_comparison, lecture_code


@pytest.mark.parametrize("model", ["cnn", "deep_cnn"])
def test_every_steps_code_is_part_of_the_exported_script(model):
    config = LECTURES[model].config
    script = script_text(config, RUN_NAME)
    code = lecture_code(config)
    assert set(code) == set(STEP_CELLS)
    cells = dict(code_cells(config, RUN_NAME))
    for step, titles in STEP_CELLS.items():
        assert all(cells[title] in script for title in titles), step
        assert code[step] == "\n\n".join(cells[title] for title in titles), step
    assert "def accuracy_on" in code["data"] and "optimizer.step()" in code["training"] and "model.eval()" in code["testing"]
    assert "nn.Conv2d(64, 128" in code["layers"] if model == "deep_cnn" else "nn.Conv2d(64, 128" not in code["layers"]


def test_the_costs_line_up_by_epoch_and_only_the_printed_ones_have_a_difference():
    history = [{"epoch": 1, "cost": 0.2252}, {"epoch": 2, "cost": 0.0624}]
    rows = cost_comparison(LECTURES["cnn"], history)
    assert rows[0] == {"epoch": 1, "lecture cost": 0.225650638, "our cost": 0.2252, "difference": pytest.approx(0.2252 - 0.225650638)}
    assert rows[1] == {"epoch": 2, "lecture cost": None, "our cost": 0.0624, "difference": None}
    assert [row["lecture cost"] for row in cost_comparison(LECTURES["deep_cnn"], history)] == [None, None]
    assert cost_comparison(LECTURES["cnn"], []) == [{"epoch": 1, "lecture cost": 0.225650638, "our cost": None, "difference": None}]


def test_the_lectures_printed_accuracies():
    assert (LECTURES["cnn"].accuracy, LECTURES["deep_cnn"].accuracy) == (0.9866, 0.9913)

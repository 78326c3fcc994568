"""design_changes: the blocks and hidden layers two designs differ in, by position, in words."""
from core.training.design_diff import design_changes
from core.training.design_text import parse


def test_a_wider_block_and_an_added_one_are_named():
    changes = design_changes(parse("c32-max,c64-max,fc10"), parse("c32-max,c128-max,c128k5-bn-max,fc10"))
    assert changes == ["block 2: channels 64 -> 128", "block 3: added"]


def test_removed_blocks_hidden_layers_and_head_are_named():
    deep, small = parse("c32-max,c64-max,c128-maxp1,fc625-d0.5,fc10"), parse("c32-max,c64-tanh-avg,gap,fc64,fc10,torch-init")
    assert design_changes(deep, small) == [
        "block 2: activation relu -> tanh, pool max -> avg",
        "block 3: removed",
        "hidden layer 1: units 625 -> 64, dropout 0.5 -> 0",
        "head: flatten -> gap",
        "linear layers' init: xavier -> torch",
    ]
    assert design_changes(small, deep)[1] == "block 3: added"


def test_switches_read_on_and_off_and_equal_designs_have_no_changes():
    assert design_changes(parse("c16-max,fc10"), parse("c16-max-bn,fc10")) == ["block 1: batch norm off -> on, pool before batch norm off -> on"]
    assert design_changes(parse("c16-max,fc10"), parse("c16-bn-max,fc10")) == ["block 1: batch norm off -> on"]
    assert design_changes(parse("c16-max,fc10"), parse("c16-max,fc10")) == []

"""A run as a Jupyter notebook (nbformat 4): a heading cell per step, then the step's code.

    nbformat.write(run_notebook(config, "cnn-20250101-120000"), "run.ipynb")

Its code cells, joined with core.export.code.CELL_JOIN, are the script core.export.code writes.
"""
from __future__ import annotations

import nbformat
from nbformat import v4

from core.export.code import code_cells
from core.training.config import TrainConfig
from core.training.design_text import format_design


def run_notebook(config: TrainConfig, run_name: str) -> nbformat.NotebookNode:
    """The notebook, validated (nbformat.validate raises on a malformed one)."""
    intro = (
        f"# Run `{run_name}` as plain PyTorch\n\n"
        f"Network `{format_design(config.design)}` on {config.dataset}, trained with {config.optimizer} "
        f"at learning rate {config.lr:g} for {config.epochs} epoch(s) of batches of {config.batch_size}, seed {config.seed}. "
        "Exported from MNIST CNN Studio; it needs only torch and torchvision. "
        "Set `MNIST_DATA_DIR` (or `FASHION_MNIST_DATA_DIR`) to a folder with the four dataset files to train offline."
    )
    cells = [v4.new_markdown_cell(intro)]
    for title, source in code_cells(config, run_name):
        cells += [v4.new_markdown_cell(f"## {title}"), v4.new_code_cell(source)]
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(notebook)
    return notebook


def notebook_text(config: TrainConfig, run_name: str) -> str:
    """The notebook as the JSON text of a .ipynb file."""
    return nbformat.writes(run_notebook(config, run_name))

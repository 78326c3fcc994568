"""Export a saved run: as a notebook and a script of plain PyTorch, as ONNX, as an HTML report.

    python -m core.export RUN [--notebook OUT.ipynb] [--script OUT.py] [--onnx OUT.onnx] [--report OUT.html]
                              [--data-dir DIR] [--checkpoint-dir DIR]

ONNX and the report read the run's test set (the dataset's variable, else --data-dir, else data/).
"""
from __future__ import annotations

from pathlib import Path

from core.cli import Parser, fail, run_arguments, saved_run
from core.data.datasets import get
from core.data.loading import DatasetError, load_dataset
from core.runs import checkpoints


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m core.export", description="Take a saved run out of the studio.")
    run_arguments(parser)
    parser.add_argument("--notebook", type=Path, help="write a Jupyter notebook of plain PyTorch here")
    parser.add_argument("--script", type=Path, help="write the same code as a Python script here")
    parser.add_argument("--onnx", type=Path, help="write the network as ONNX here (checked with onnxruntime first)")
    parser.add_argument("--report", type=Path, help="write a self-contained HTML report here")
    parser.add_argument("--data-dir", help="dataset folder, for --onnx and --report")
    args = parser.parse_args(argv)
    if not any((args.notebook, args.script, args.onnx, args.report)):
        parser.error("say what to write: --notebook, --script, --onnx and/or --report")
    try:
        run_dir = saved_run(args.run, args.checkpoint_dir)
        write(args, run_dir, checkpoints.inspect_run(run_dir).config)
    except (checkpoints.CheckpointError, DatasetError, OSError) as error:
        fail(str(error), code=1)
    return 0


def write(args, run_dir: Path, config) -> None:
    from core.export.code import script_text
    from core.export.notebook import notebook_text

    if args.notebook:
        args.notebook.write_text(notebook_text(config, run_dir.name))
        print(f"Notebook: {args.notebook}")
    if args.script:
        args.script.write_text(script_text(config, run_dir.name))
        print(f"Script: {args.script}")
    if not (args.onnx or args.report):
        return
    spec = get(config.dataset)
    test = load_dataset(spec.name, args.data_dir).test
    if args.onnx:
        from core.export.onnx import OnnxError, export_onnx

        model, _ = checkpoints.load_model(run_dir)
        try:
            _, agreement = export_onnx(model, test, args.onnx, spec.classes)
        except OnnxError as error:
            fail(str(error), code=1)
        print(f"ONNX: {args.onnx} (onnxruntime agrees on {agreement.agreement:.4%} of {agreement.images:,} test images; "
              f"logits within {agreement.max_logit_difference:.1e})")
    if args.report:
        from core.export.report import report_html

        args.report.write_text(report_html(run_dir, test, spec.classes))
        print(f"Report: {args.report}")


if __name__ == "__main__":
    raise SystemExit(main())

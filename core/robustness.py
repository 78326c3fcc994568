"""python -m core.robustness RUN [--data-dir DIR] [--checkpoint-dir DIR]: a run's test accuracy under
FGSM and PGD at each eps, on its first 1,000 test images, one line per eps:

    eps=0.10  fgsm=0.8123  pgd=0.7012

The numbers are cached beside the run (core.explain.robustness), as the Runs page shows them.
Bad input (no such run, a damaged one, missing data) exits with code 2 and one line.
"""
from __future__ import annotations

import time


def main(argv: list[str] | None = None) -> int:
    from core.cli import Parser, fail, run_arguments, saved_run
    from core.data.datasets import get
    from core.data.loading import DatasetError, load_dataset
    from core.explain.robustness import IMAGES, robustness
    from core.runs import checkpoints

    parser = Parser(prog="python -m core.robustness", description="A saved run's accuracy under FGSM and PGD attacks.")
    run_arguments(parser)
    parser.add_argument("--data-dir", help="dataset folder (default: the dataset's variable, else data/)")
    args = parser.parse_args(argv)
    try:
        run_dir = saved_run(args.run, args.checkpoint_dir)
        dataset = get(checkpoints.read_meta(run_dir)["config"].get("dataset", "mnist"))
        test = load_dataset(dataset.name, args.data_dir).test
        started = time.monotonic()
        curve = robustness(run_dir, test)
    except (checkpoints.CheckpointError, DatasetError) as error:
        fail(" ".join(str(error).split()))
    for index, eps in enumerate(curve.epsilons):
        print(f"eps={eps:.2f}  fgsm={curve.accuracy['fgsm'][index]:.4f}  pgd={curve.accuracy['pgd'][index]:.4f}")
    print(f"On the first {min(IMAGES, curve.images):,} {dataset.title} test images, in {time.monotonic() - started:.1f} s "
          "(cached beside the run).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

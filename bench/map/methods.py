"""openTSNE against UMAP for the Map page's non-linear map: import, first call, 10k fit, placing one point, memory.

    .venv/bin/python -m bench.map.methods RUN [--checkpoint-dir DIR] [--data-dir DIR]

Each method runs in its own fresh process (so import and numba's JIT are counted), on the
top 50 principal components of RUN's features of the 10,000 test images, with 2 threads.
This is how core/map/tsne.py's choice of openTSNE was made; the numbers are in docs/map.md.
UMAP is not a dependency of the app: `pip install umap-learn==0.5.12` before running this.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.map.run_arg import parse_run

CHILD = r"""
import json, resource, sys, time
import numpy as np
method, path = sys.argv[1], sys.argv[2]
x = np.load(path)
started = time.perf_counter()
if method == "openTSNE":
    from openTSNE import TSNE
    make = lambda: TSNE(n_jobs=2, random_state=0)
else:
    import umap
    make = lambda: umap.UMAP(n_jobs=2, n_components=2)
imported = time.perf_counter() - started
started = time.perf_counter(); make().fit(x[:500]); first = time.perf_counter() - started
started = time.perf_counter(); fitted = make().fit(x); fit = time.perf_counter() - started
started = time.perf_counter(); fitted.transform(x[:1]); place = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"method": method, "import_s": imported, "first_call_500_s": first, "fit_10k_s": fit,
                  "place_one_s": place, "peak_rss_mib": peak}))
"""


def reference_features(run_dir: Path, data_dir: str | None) -> Path:
    from core.runs import checkpoints
    from core.data.loading import load_mnist
    from core.map.embedding import embed
    from core.map.projection import fit_pca

    model, _ = checkpoints.load_model(run_dir)
    features, _ = embed(model, load_mnist(data_dir, allow_download=False).test.images)
    import numpy as np

    path = Path(tempfile.mkdtemp(prefix="map-methods-")) / "reference.npy"
    np.save(path, fit_pca(features, 50).transform(features).double().numpy())
    return path


def main(argv: list[str] | None = None) -> int:
    run_dir, data_dir = parse_run("python -m bench.map.methods", __doc__.splitlines()[0], argv)
    path = reference_features(run_dir, data_dir)
    for method in ("openTSNE", "umap"):
        out = subprocess.run([sys.executable, "-c", CHILD, method, str(path)], capture_output=True, text=True, check=True)
        print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in json.loads(out.stdout).items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

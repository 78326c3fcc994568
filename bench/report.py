"""The benchmark's results file as a Markdown table (also: python -m bench.report bench/results.json)."""
from __future__ import annotations

import json
import statistics
import sys


def _median(entries: list[dict], key: str) -> float:
    return statistics.median(entry[key] for entry in entries)


def _rows(results: dict) -> list[tuple[str, str, str, str]]:
    rows = []
    for speed in results["throughput"]:
        rows.append((
            f"`{speed['model']}` training, images/s (batch 100, Adam)",
            f"{speed['lecture_images_per_s']:,.0f}", f"{speed['ours_images_per_s']:,.0f}", f"**{speed['ratio']:.2f}x**",
        ))
    processes = results["processes"]
    lecture, ours = _median(processes["lecture"], "seconds"), _median(processes["ours"], "seconds")
    rows.append(("Whole process, 1 epoch of `cnn` + test, s", f"{lecture:.1f}", f"{ours:.1f}", f"**{lecture / ours:.2f}x**"))
    fast, long = processes["fast"], processes["fast_long"]
    rows.append((
        "`--preset fast` whole process: s, test accuracy",
        f"{lecture:.1f} (1 epoch)", f"{fast['seconds']:.1f}, {fast['accuracy']:.2%}",
        f"{fast['seconds'] / lecture:.2f} of a lecture epoch (target <= 0.5)",
    ))
    rows.append((
        f"`{long['label'].removeprefix('core.train ')}`: s, test accuracy",
        f"{2.5 * lecture:.1f} (5x budget)", f"{long['seconds']:.1f}, {long['accuracy']:.2%}",
        f"{long['seconds'] / (2.5 * lecture):.2f} of the 5x budget",
    ))
    if "best" in processes:  # results files from before the best preset lack it
        best = processes["best"]
        rows.append((
            "`--preset best` whole process: s, test accuracy", "",
            f"{best['seconds']:.1f}, {best['accuracy']:.2%}", "target <= 600 s and >= 99.60%",
        ))
    if "augment_growth" in results:
        growth = " / ".join(f"{ratio:.2f}x" for ratio in results["augment_growth"].values())
        rows.append((
            f"`fast` step time with augmentation ({' / '.join(results['augment_growth'])}), vs without", "",
            growth, "target <= 1.30x",
        ))
    scoring, drawing = results["scoring_seconds"], results["drawing_ms"]
    rows.append(("Scoring the 10k test images, s (cnn / deep_cnn)", "", f"{scoring['cnn']:.2f} / {scoring['deep_cnn']:.2f}", "inference mode, batch 250"))
    rows.append(("One drawing: preprocess + forward, ms (cnn / deep_cnn)", "", f"{drawing['cnn']:.1f} / {drawing['deep_cnn']:.1f}", "median"))
    estimates = results.get("epoch_estimate")
    if estimates:  # results files from before the designer lack it
        ratios = " / ".join(f"{row['ratio']:.2f}" for row in estimates)
        rows.append((f"Train page: estimated / real seconds per epoch ({len(estimates)} designs)", "", ratios, "target 0.70-1.30"))
    inside = results.get("inside_ms")
    if inside:  # results files from before the Inside page lack it
        rows.append(("Inside: `cnn` feature maps + 4 attributions, one image, ms", "", f"{inside['inspect_cnn_ms']:.0f}", "target <= 150"))
        rows.append(("Inside: probabilities at all 16 epochs (0-15) + chart, ms (cold / warm)", "",
                     f"{inside['epochs_chart_cold_ms']:.0f} / {inside['epochs_chart_warm_ms']:.0f}", "target <= 300"))
    rows.append((
        "Peak memory (RSS), MiB: 1-epoch process",
        f"{_median(processes['lecture'], 'peak_mib'):,.0f}", f"{_median(processes['ours'], 'peak_mib'):,.0f}",
        f"fast preset {fast['peak_mib']:,.0f}",
    ))
    fractions = " / ".join(f"{speed['peak_fraction']:.0%}" for speed in results["throughput"])
    rows.append(("Our training FLOP/s as a share of the est. FP32 peak (cnn / deep_cnn)", "", fractions,
                 f"peak {results['machine']['peak_gflops']:.0f} GFLOP/s"))
    return rows


def table(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, GPU: {machine['gpu'] or 'none'}; {results['date']}"
        + (" (SMOKE: tiny sizes, numbers mean nothing)" if results["smoke"] else ""),
        "",
        "| Measure | Lecture loop | Ours | Ratio / note |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in _rows(results)]
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json") as file:
        print(table(json.load(file)))

"""The live answer's probability bars as plain HTML: ten labelled bars, the predicted class highlighted.

The Draw page redraws these after every stroke. Measured in Chromium (bench/ui_timings), a plotly
bar chart spent 100-150 ms in the browser after its data arrived (layout, text measurement,
React), which was a third of the mouse-up-to-answer time; these bars are a few divs.
The exact values ride along in `data-probabilities`, for tests and the bench to read.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import torch

from core.data.datasets import MNIST, DatasetSpec
from ui.i18n import _, class_names, noun

Scores = torch.Tensor | np.ndarray | Sequence[float]  # (C,)

HEIGHT_PX = 200
STYLE = """<style>
.pbars{display:flex;align-items:flex-end;gap:4px;height:%dpx;padding-top:18px;border-bottom:1px solid #888}
.pbar{flex:1;display:flex;flex-direction:column;justify-content:flex-end;align-items:center;height:100%%}
.pbar span{font-size:11px;line-height:14px;color:inherit}
.pbar div{width:100%%;background:#aec7e8;border-radius:2px 2px 0 0}
.pbar.best div{background:#1f77b4}.pbar.best span{font-weight:700}
.pbar.explained div{outline:2px dashed #d62728;outline-offset:1px}
.pnames{display:flex;gap:4px}.pnames span{flex:1;text-align:center;font-size:12px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.plogits span{font-size:11px;opacity:.7}
</style>""" % HEIGHT_PX


def probability_bars_html(probabilities: Scores, spec: DatasetSpec = MNIST, logits: Scores | None = None,
                          explained: int | None = None) -> str:
    """(C,) probabilities -> HTML: one bar per class, its height the probability, labelled with its percentage.

    With `logits` a row under the names gives each class's logit (and its tooltip too); `explained` outlines
    the class an explanation is about."""
    values = [float(value) for value in probabilities]
    raw = [float(value) for value in logits] if logits is not None else [None] * len(values)
    best = max(range(len(values)), key=values.__getitem__)
    bars, names, called = [], [], noun(spec)
    for label, (name, value, logit) in enumerate(zip(class_names(spec), values, raw)):
        if logit is None:
            title = _("{noun} {name}: {probability:.1%}").format(noun=called, name=name, probability=value)
        else:
            title = _("{noun} {name}: {probability:.1%} (logit {logit:.2f})").format(
                noun=called, name=name, probability=value, logit=logit)
        title = html.escape(title)
        marks = (" best" if label == best else "") + (" explained" if label == explained else "")
        bars.append(f'<div class="pbar{marks}" title="{title}">'
                    f'<span>{value:.0%}</span><div style="height:{100 * value:.1f}%"></div></div>')
        names.append(f'<span title="{html.escape(name)}">{html.escape(name)}</span>')
    exact = ",".join(f"{value:.9g}" for value in values)
    logits_title = html.escape(_("logits: the scores before softmax"))  # outside the f-string, where Babel finds it
    shown_logits = "" if logits is None else (
        f'<div class="pnames plogits" title="{logits_title}">'
        + "".join(f"<span>{logit:.2f}</span>" for logit in raw) + "</div>")
    described = html.escape(_("probability of each {noun}").format(noun=called))
    return (f'{STYLE}<div class="pbars" role="img" aria-label="{described}" '
            f'data-probabilities="{exact}">{"".join(bars)}</div><div class="pnames">{"".join(names)}</div>{shown_logits}')

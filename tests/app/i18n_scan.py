"""Find words the pages would show without the message catalog: literal text handed straight to Streamlit
or plotly (not through `_()`), and English words left on a page drawn in Korean.

Both checks serve tests/app/test_i18n.py; `python -m tests.app.i18n_scan FILE...` lists the literals of some files.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Streamlit calls whose first argument (or label=/help=/...) is shown as text
ELEMENTS = {
    "title", "header", "subheader", "caption", "markdown", "write", "text", "info", "warning", "error", "success",
    "toast", "button", "download_button", "link_button", "form_submit_button", "page_link", "checkbox", "toggle",
    "radio", "selectbox", "multiselect", "select_slider", "slider", "number_input", "text_input", "text_area",
    "file_uploader", "metric", "expander", "popover", "tabs", "status", "spinner", "progress", "segmented_control",
    "pills", "color_picker", "date_input", "camera_input", "chat_input", "feedback",
}
SHOWN_KEYWORDS = {"label", "help", "placeholder", "caption", "text", "title", "body", "value_label"}
# plotly calls and the keywords whose text a chart shows
PLOTLY = {"update_layout", "update_xaxes", "update_yaxes", "add_annotation", "add_hline", "add_vline", "Scatter", "Bar",
          "Heatmap", "Scattergl", "Histogram", "Box", "Figure", "Layout", "make_subplots", "update_traces", "Table"}
PLOTLY_KEYWORDS = {"title", "title_text", "xaxis_title", "yaxis_title", "name", "hovertemplate", "text", "legend_title_text",
                   "annotation_text", "subplot_titles", "colorbar_title", "texttemplate"}
WRAPPERS = {"_", "N_", "ngettext"}
OPT_OUT = "# i18n: not words"  # a line so marked shows no words (code, a brand, a symbol)
OPTIONS_CALLS = {"radio", "selectbox", "multiselect", "select_slider", "segmented_control", "pills"}


def has_words(text: str) -> bool:
    """Letters a reader reads as words, once placeholders, tags, icons and code spans are taken out."""
    text = re.sub(r"`[^`]*`|\{[^{}]*\}|%\{[^{}]*\}|<[^<>]*>|:material/\w+:|&\w+;|https?://\S+", " ", text)
    return re.search(r"[A-Za-z]{2,}", text) is not None


def _literal_words(node: ast.AST) -> bool:
    """True when `node` is text written in place: a str constant, an f-string, or a + / % of them, with words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return has_words("".join(part.value for part in node.values if isinstance(part, ast.Constant)))
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) or _literal_words(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_literal_words(element) for element in node.elts)
    return False


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def literals(source: str) -> list[tuple[int, str]]:
    """(line, call) for each piece of text shown without the catalog in `source`."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        if name in WRAPPERS or name is None:
            continue
        suspects = []
        if name in ELEMENTS and isinstance(node.func, ast.Attribute):
            suspects += node.args[:1] + [kw.value for kw in node.keywords if kw.arg in SHOWN_KEYWORDS]
            if name in OPTIONS_CALLS and len(node.args) > 1 and not any(kw.arg == "format_func" for kw in node.keywords):
                suspects.append(node.args[1])
        if name in PLOTLY or (name == "dict" and any(kw.arg in {"title", "text"} for kw in node.keywords)):
            suspects += [kw.value for kw in node.keywords if kw.arg in PLOTLY_KEYWORDS]
        for suspect in suspects:
            if _literal_words(suspect) and OPT_OUT not in lines[suspect.lineno - 1]:
                found.append((suspect.lineno, name))
    return sorted(set(found))


def streamlit_files() -> list[Path]:
    """Every file whose text reaches the screen: the home page, the pages, ui/."""
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]


# --- a page drawn in Korean -------------------------------------------------------------------------
# Names that stay as they are in Korean text: products, formats, methods and the notation on screen.
KEPT = {
    "mnist", "fashion", "cnn", "studio", "pytorch", "torch", "onnx", "onnxruntime", "optuna", "postgresql", "sqlite",
    "adam", "sgd", "rmsprop", "adamw", "relu", "tanh", "sigmoid", "gelu", "leaky", "elu", "silu", "softmax", "xavier",
    "captum", "grad", "cam", "fgsm", "pgd", "tsne", "sne", "pca", "umap", "opentsne", "cpu", "gpu", "cuda", "png", "zip",
    "json", "html", "csv", "idx", "url", "mps", "tpe", "gap", "max", "avg", "conv", "fc", "lr", "id", "ok", "ms", "kb",
    "mb", "gb", "api", "cli", "streamlit", "plotly", "nbformat", "jupyter", "colab", "python", "debian", "apt", "pip",
    "imgin", "eps", "flops", "mflops", "dropout", "batchnorm", "bn", "ssim", "lecun", "kaiming", "he", "numpy", "tensorboard", "convnetjs",
}


def english_words(text: str, kept: set[str] = frozenset()) -> list[str]:
    """Words of three or more Latin letters in `text` that a Korean page should not show in English.

    Code spans, file names, designs (c32-max), numbers with units, URLs and `kept` names are not words here.
    """
    text = re.sub(r"<[^<>]*>", " ", text)  # markup (an SVG picture, HTML bars): its words are between the tags
    text = re.sub(r"`[^`]*`|https?://\S+|\S+\.(py|json|pt|zip|onnx|ipynb|html|png|csv)\b|\S*[\d_/=\\.]\S*", " ", text)
    words = re.findall(r"[A-Za-z]{3,}", text)
    return [word for word in words if word.lower() not in KEPT and word.lower() not in kept]


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        for line, call in literals(Path(arg).read_text()):
            print(f"{arg}:{line}: {call}(...) shows text not passed through _()")

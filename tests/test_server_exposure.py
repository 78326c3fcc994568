"""The server's exposure: localhost by default, XSRF on, uploads capped and never unpickled, and the README says how to open it up."""
import ast
import re
import subprocess
import sys
import tomllib

from core.data.loading import PROJECT_ROOT

CONFIG = PROJECT_ROOT / ".streamlit" / "config.toml"
STREAMLIT_FILES = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py")), *sorted((PROJECT_ROOT / "ui").rglob("*.py"))]


def test_the_config_binds_localhost_keeps_xsrf_and_caps_uploads():
    server = tomllib.loads(CONFIG.read_text())["server"]
    assert server["address"] in ("localhost", "127.0.0.1")
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True  # CORS off would make Streamlit drop XSRF protection
    assert 1 <= server["maxUploadSize"] <= 50  # MB; our largest checkpoint is ~17 MB


def test_streamlit_itself_reads_those_settings():
    """The toml is only worth testing if Streamlit, started in the project, picks it up."""
    code = "from streamlit import config as c; print(*(c.get_option(f'server.{o}') for o in ('address', 'enableXsrfProtection', 'maxUploadSize')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["localhost", "True", "20"], result.stderr


def test_the_readme_says_how_to_serve_to_a_network_on_purpose_with_a_warning():
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = re.search(r"^## Serving to a network.*?(?=^## )", readme, re.S | re.M)
    assert section, "README needs a 'Serving to a network' section"
    text = section.group(0)
    assert "--server.address 0.0.0.0" in text and "Warning" in text and "enableXsrfProtection" in text


def uploaders(source: str) -> list[int]:
    """Lines calling st.file_uploader (or any *.file_uploader)."""
    return [
        node.lineno for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "file_uploader"
    ]


def test_the_two_uploads_are_zips_read_without_running_code():
    """Two uploaders take zips: the handwriting set goes to core.data.handwriting_zip, which reads IDX bytes
    with struct and numpy and never unpickles; a shared run goes to core.runs.share, whose only unpickling
    is torch's weights-only loader. So nothing uploaded can run code.
    Adding another uploader must extend this test (size limit, and a loader that cannot run code)."""
    assert uploaders("import streamlit as st\nfile = st.file_uploader('weights')") == [2]
    found = {str(path.relative_to(PROJECT_ROOT)): uploaders(path.read_text()) for path in STREAMLIT_FILES}
    assert len(found) >= 6 and {name for name, lines in found.items() if lines} == {"ui/handwriting/view.py", "ui/runs/export.py"}
    runs_view = (PROJECT_ROOT / "ui" / "runs" / "export.py").read_text()
    assert 'type=["zip"]' in runs_view and "share.import_zip(upload.getvalue(), root)" in runs_view
    share = (PROJECT_ROOT / "core" / "runs" / "share.py").read_text()
    loads = re.findall(r"torch\.load\(.*", share)  # one line each
    assert loads and all("weights_only=True" in call for call in loads) and not re.search(r"pickle\.|np\.load|allow_pickle", share)
    view = (PROJECT_ROOT / "ui" / "handwriting" / "view.py").read_text()
    assert 'type=["zip"]' in view and "handwriting_zip.import_zip(folder, upload.getvalue())" in view
    readers = "".join((PROJECT_ROOT / "core" / "data" / name).read_text() for name in ("handwriting_zip.py", "idx.py"))
    assert not re.search(r"torch\.load|pickle|np\.load|allow_pickle", readers)

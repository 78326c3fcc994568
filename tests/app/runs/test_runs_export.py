"""The Runs page's export and import controls, in AppTest: downloads offered, ONNX and the report made
on a click, a zip uploaded and imported (it then appears in the table), a bad zip refused."""
from __future__ import annotations

from core.runs import checkpoints, share
from tests.app.conftest import add_run, open_page

RUNS = "pages/2_Runs.py"


def downloads(at) -> set[str]:
    return {button.key for button in at.get("download_button")}


def test_the_notebook_script_and_zip_are_offered_and_onnx_and_report_are_made_on_a_click(app_env, saved_runs):
    add_run(app_env, saved_runs, "run-a")
    at = open_page(RUNS)
    assert not at.exception
    assert {"export_notebook", "export_script", "export_zip"} <= downloads(at)
    assert at.selectbox(key="export_run").value == "run-a"
    at.button(key="export_onnx_make").click().run()
    at.button(key="export_report_make").click().run()
    assert not at.exception and not at.error
    assert {"export_onnx_download", "export_report_download"} <= downloads(at)
    assert any("onnxruntime" in caption.value for caption in at.caption)


def test_an_uploaded_zip_is_imported_and_listed_and_a_bad_one_refused(app_env, saved_runs):
    data = share.export_zip(saved_runs / "run-a")
    at = open_page(RUNS)  # no runs yet: the import is offered on the empty page too
    at.get("file_uploader")[0].set_value(("run-a.zip", data, "application/zip")).run()
    at.button(key="import_run").click().run()
    assert not at.exception
    assert [run.name for run in checkpoints.list_runs(app_env)] == ["run-a"]
    assert any("Imported as run-a" in message.value for message in at.success)
    assert at.selectbox(key="export_run").value == "run-a"  # listed like a run trained here
    at.get("file_uploader")[0].set_value(("bad.zip", b"not a zip", "application/zip")).run()
    at.button(key="import_run").click().run()
    assert any("not a readable zip" in message.value for message in at.error)
    assert [run.name for run in checkpoints.list_runs(app_env)] == ["run-a"]

"""Taking a run out of the studio: as plain PyTorch code (script and notebook), as ONNX, as an HTML report.

    python -m core.export RUN --notebook run.ipynb --script run.py --onnx run.onnx --report run.html

A run's zip, to share it with another copy of the studio, is core.runs.share.
"""

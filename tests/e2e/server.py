"""Start `streamlit run app.py` headless on a free loopback port, with chosen data and runs folders.

    with serve(data_dir, runs_dir) as url:   # e.g. "http://127.0.0.1:40123", healthy
        ...

Used by the e2e fixtures and by bench/browser/ui_timings.py.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PROJECT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    """Poll Streamlit's health endpoint until it says ok; RuntimeError after `timeout` or once `process` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the Streamlit server exited with code {process.returncode}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the Streamlit server at {url} did not become healthy within {timeout:.0f} s")


@contextmanager
def serve(data_dir: Path, runs_dir: Path, timeout: float = 60, project: Path = PROJECT) -> Iterator[str]:
    """A server on 127.0.0.1 reading MNIST from `data_dir` and runs from `runs_dir`; yields its URL.

    `project` is the checkout whose app.py is served (another one, to compare two versions).
    """
    port = free_port()
    env = {**os.environ, "MNIST_DATA_DIR": str(data_dir), "MNIST_CHECKPOINT_DIR": str(runs_dir)}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.fileWatcherType", "none"]
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, timeout, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()

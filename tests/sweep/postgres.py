"""A throwaway PostgreSQL server for the sweep tests: initdb + pg_ctl on a free loopback port.

Debian's `postgresql` package (installed by .ci/run) puts the binaries in /usr/lib/postgresql/<v>/bin.
PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user. Trust
authentication on 127.0.0.1 only; the cluster is stopped and removed afterwards.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tests.e2e.server import free_port


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def cluster() -> Iterator[str]:
    """Start a cluster; yields its URL for the `postgres` user and database (psycopg 3)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="sweep-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    run = lambda *args: subprocess.run(_as_owner([str(bin_dir / args[0]), *args[1:]]), check=True, capture_output=True, text=True)
    try:
        run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "-t", "60", "start")
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"{error.cmd[-1] if error.cmd else 'PostgreSQL'} failed: {error.stderr or error.stdout}") from error
    finally:
        shutil.rmtree(folder, ignore_errors=True)

"""Where a study lives: an Optuna journal file by default, PostgreSQL for several machines.

    storage = open_storage(None, root)                                   # <root>/optuna-journal.log
    storage = open_storage("postgresql+psycopg://me@db:5432/sweeps", root)

A journal file needs no server and takes several processes on one machine (Optuna's own advice;
SQLite is refused: it locks under parallel writers). PostgreSQL workers send a heartbeat, so a
killed worker's trial is failed and retried by the next worker that asks for a trial.
"""
from __future__ import annotations

import os
import threading
import time
import warnings
from pathlib import Path

import optuna
from optuna.storages import BaseStorage, RDBStorage, RetryHeartbeatStaleTrialCallback
from optuna.storages.journal import JournalFileBackend, JournalStorage

JOURNAL = "optuna-journal.log"
# The bounds: a heartbeat at least every 30 s, a dead worker's trial failed after at most 60 s.
# The environment variables let tests shrink them.
HEARTBEAT_S, GRACE_S = 10, 30
CONNECT_TIMEOUT_S = 10
# One RDBStorage (one SQLAlchemy engine, one small connection pool) per URL and heartbeat settings in a
# process: each new RDBStorage opens a pool of its own and keeps its connections until it is garbage
# collected, so a process that opened the storage once per poll ran out of the server's connections.
_OPENED: dict[tuple[str, int, int], RDBStorage] = {}
_OPENING = threading.Lock()


class StorageError(RuntimeError):
    """The storage cannot be reached or refused us; the message is one line a user can act on."""


def journal_path(root: Path) -> Path:
    """The default study storage: one journal file in the runs folder."""
    return root / JOURNAL


def is_journal(url: str | None) -> bool:
    return url is None or "://" not in url


def open_storage(url: str | None, root: Path) -> BaseStorage:
    """A storage for `url` (None: the default journal file; a path: that journal file; else PostgreSQL).

    Raises ValueError for a URL we do not take, StorageError when the server cannot be used."""
    if is_journal(url):
        path = Path(url).expanduser() if url else journal_path(root)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return JournalStorage(JournalFileBackend(str(path)))
        except OSError as error:
            raise StorageError(f"cannot use the journal file {path}: {error.strerror or error}.") from error
    return _postgresql(url)


def _postgresql(url: str) -> RDBStorage:
    scheme = url.split("://", 1)[0]
    if scheme.startswith("sqlite"):
        raise ValueError(
            "SQLite locks up under parallel workers; leave --storage out (a journal file) on one machine, "
            "or use postgresql+psycopg://user@host:port/db for several."
        )
    if scheme not in ("postgresql", "postgresql+psycopg"):
        raise ValueError(f"--storage must be a journal file path or postgresql+psycopg://user@host:port/db; got {scheme}://...")
    if url.split("://", 1)[1].split("/", 1)[0].count("@") > 1:
        # else the driver reads the password's tail as the host name and prints it in its error
        raise ValueError(f"--storage {safe_url(url)} has an @ in its user name or password; write it as %40.")
    url = "postgresql+psycopg://" + url.split("://", 1)[1]
    import sqlalchemy.exc

    for attempt in range(3):
        try:
            return _rdb_storage(url)
        except (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.ProgrammingError):
            # workers started together on an empty database race to create Optuna's tables; the loser retries
            if attempt == 2:
                raise
            time.sleep(0.5 + attempt)
        except sqlalchemy.exc.ArgumentError as error:
            raise ValueError(f"--storage is not a valid database URL ({error}).") from error
        except sqlalchemy.exc.SQLAlchemyError as error:
            raise StorageError(f"cannot use the study storage {safe_url(url)}: {_first_line(error)}") from error
    raise AssertionError("unreachable")


def _rdb_storage(url: str) -> RDBStorage:
    heartbeat = int(os.environ.get("MNIST_SWEEP_HEARTBEAT_S", HEARTBEAT_S))
    grace = int(os.environ.get("MNIST_SWEEP_GRACE_S", GRACE_S))
    with _OPENING:
        key = (url, heartbeat, grace)
        if key not in _OPENED:
            _OPENED[key] = _new_rdb_storage(url, heartbeat, grace)
        return _OPENED[key]


def _new_rdb_storage(url: str, heartbeat: int, grace: int) -> RDBStorage:
    with warnings.catch_warnings():  # heartbeat_interval is marked experimental; it is Optuna's documented fix
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return RDBStorage(
            url,
            # two connections per worker (its trial and its heartbeat thread), so many workers cannot
            # exhaust the server's max_connections; pre-ping drops connections the server closed
            engine_kwargs={
                "pool_size": 2, "max_overflow": 1, "pool_pre_ping": True,
                "connect_args": {"connect_timeout": CONNECT_TIMEOUT_S},
            },
            heartbeat_interval=heartbeat,
            grace_period=grace,
            heartbeat_stale_trial_callback=RetryHeartbeatStaleTrialCallback(max_retry=1),
        )


def safe_url(url: str | None) -> str:
    """The URL without its password, for messages and run.json."""
    if is_journal(url):
        return url or JOURNAL
    from sqlalchemy.engine import make_url

    scheme, rest = url.split("://", 1)
    if rest.split("/", 1)[0].count("@") > 1:  # an unescaped @ in the password: part of it would pass for the host
        return scheme + "://..."
    try:
        parsed = make_url(url)
        # libpq also takes the password as a query parameter
        parsed = parsed.update_query_dict({key: "***" for key in parsed.query if key.lower() == "password"})
        return parsed.render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: show only its scheme
        return scheme + "://..."


def _first_line(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__

"""Sweeps on a real PostgreSQL server (a throwaway cluster): three workers share a study; heartbeats catch a kill."""
from __future__ import annotations

import signal

import optuna
import pytest
from optuna.trial import TrialState

from core.data.loading import load_mnist
from core.sweep.storage import open_storage
from core.sweep.study import SweepSettings, open_study
from core.sweep.trial import RUN, TrialRunner
from core.sweep.worker import work
from tests.sweep import postgres
from tests.sweep.sweep_workers import QUICK, finish, load, running_trial, start_worker, states, wait_until

# short heartbeats, so a killed worker's trial goes stale in seconds (the real ones: 10 s and 30 s)
FAST_HEARTBEAT = {"MNIST_SWEEP_HEARTBEAT_S": "1", "MNIST_SWEEP_GRACE_S": "3"}


@pytest.fixture(scope="module")
def database():
    if postgres.binaries() is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it")
    with postgres.cluster() as url:
        yield url


def test_three_workers_share_one_study_on_postgresql(database, tiny_mnist_dir, tmp_path):
    runs, trials = tmp_path / "runs", 6
    workers = [start_worker("trio", trials, tiny_mnist_dir, runs, "--storage", database, *QUICK) for _ in range(3)]
    results = [finish(worker) for worker in workers]
    assert all(code == 0 for code, _, _ in results), results
    study = load("trio", open_storage(database, runs))
    counts = states(study)
    finished = counts.get("COMPLETE", 0) + counts.get("PRUNED", 0)
    assert trials <= finished <= trials + 2, counts  # at most one extra per additional worker
    assert set(counts) <= {"COMPLETE", "PRUNED"}, counts
    # every trial is listed with its run folder, and each worker's lines name only trials of the study
    assert all((runs / trial.user_attrs[RUN] / "run.json").is_file() for trial in study.trials)
    printed = {int(line.split()[1]) for _, out, _ in results for line in out.splitlines() if line.startswith("trial ")}
    assert printed == {trial.number for trial in study.trials}


def connections(url: str) -> int:
    """Client connections the server has open now, from any process."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        query = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
        return connection.execute(query).fetchone()[0]


def test_opening_the_storage_again_and_again_reuses_one_small_pool(database, tmp_path):
    """A poller that opens the storage on every look (a page, a test) must not eat the server's 50 connections."""
    first = open_storage(database, tmp_path)
    for _ in range(60):
        storage = open_storage(database, tmp_path)
        optuna.get_all_study_names(storage)  # takes a connection from the pool and returns it
    assert connections(database) <= 4  # this check's own, plus the pool's (at most 2 + 1 overflow)
    assert storage is first


def test_a_killed_worker_is_caught_by_its_heartbeat_and_its_trial_retried(database, tiny_mnist_dir, tmp_path, monkeypatch):
    runs = tmp_path / "runs"
    victim = start_worker("kill-pg", 2, tiny_mnist_dir, runs, "--storage", database, "--epochs", "6", "--max-batches", "1",
                          "--vary", "lr", "--pruner", "none", env=FAST_HEARTBEAT)
    trial = wait_until(lambda: running_trial("kill-pg", lambda: open_storage(database, runs)), what="a running trial")
    victim.send_signal(signal.SIGKILL)
    victim.wait()

    for name, value in FAST_HEARTBEAT.items():
        monkeypatch.setenv(name, value)
    study, settings = open_study(open_storage(database, runs), "kill-pg", SweepSettings(), given=set())
    assert work(study, TrialRunner(settings, load_mnist(tiny_mnist_dir), runs, "kill-pg", "pg"), target=2) == 2
    trials = study.get_trials()
    assert trials[trial.number].state == TrialState.FAIL
    retried = [t for t in trials if t.system_attrs.get("failed_trial") == trial.number]
    assert len(retried) == 1 and retried[0].state == TrialState.COMPLETE  # Optuna's retry callback re-ran it
    assert retried[0].params == trial.params
    assert sum(t.state == TrialState.COMPLETE for t in trials) == 2


def test_wrong_credentials_are_one_line_and_exit_1(database, tiny_mnist_dir, tmp_path):
    wrong = database.replace("postgres@", "nobody@")
    code, out, err = finish(start_worker("x", 1, tiny_mnist_dir, tmp_path, "--storage", wrong))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "nobody" in err, err


def test_a_password_in_the_url_stays_out_of_the_output_and_every_run_json(database, tiny_mnist_dir, tmp_path, capsys):
    from core.sweep.__main__ import main

    # the test cluster trusts 127.0.0.1, so any password is accepted, and so can be checked for
    url = database.replace("://postgres@", "://postgres:s3cr3t@")
    assert url != database
    runs = tmp_path / "runs"
    assert main(["--study", "secret", "--trials", "2", "--epochs", "1", "--max-batches", "1", "--vary", "lr",
                 "--storage", url, "--data-dir", str(tiny_mnist_dir), "--checkpoint-dir", str(runs)]) == 0
    printed = capsys.readouterr()
    assert "s3cr3t" not in printed.out + printed.err and "postgres:***@" in printed.out
    metas = [path.read_text() for path in runs.glob("*/run.json")]
    assert len(metas) == 2 and not any("s3cr3t" in meta for meta in metas)
    assert all('"storage": "postgresql+psycopg://postgres:***@' in meta for meta in metas)

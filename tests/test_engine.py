"""One database engine: the settings accept only a PostgreSQL DATABASE_URL, and the embedded PostgreSQL
of `./scripts/start` / `./scripts/test` (liuzhou_social/embedded_db.py, scripts/embedded_pg) starts,
keeps its data, shares a running cluster, passes signals on and stops."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import psycopg2
import pytest

from liuzhou_social.embedded_db import EmbeddedPostgres, server_answers
from tests.newcomer import free_port, scratch_dir

BASE = Path(__file__).resolve().parent.parent
LAUNCHER = BASE / "scripts" / "embedded_pg"


@pytest.fixture
def scratch():
    with scratch_dir("liuzhou-engine-") as path:
        yield path


def _check(env_changes: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DEBUG": "true"} | env_changes
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True, timeout=120
    )


def test_settings_refuse_to_load_without_database_url_even_in_debug():
    result = _check({})
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr and "./scripts/start" in result.stderr


def test_settings_refuse_a_database_that_is_not_postgresql():
    result = _check({"DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0 and "must name a PostgreSQL database" in result.stderr


def _connect(url: str):
    """Connects as Django would: through dj-database-url's reading of the URL."""
    db = dj_database_url.parse(url)
    return psycopg2.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"])


def test_embedded_cluster_starts_keeps_its_data_is_shared_and_stops(scratch):
    datadir = scratch / "pgdata"
    with EmbeddedPostgres(datadir) as cluster:
        assert cluster.owner
        assert cluster.create_database("portal") is True
        assert cluster.create_database("portal") is False  # a second start finds it
        url = cluster.url("portal")
        connection = _connect(url)
        with connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            assert int(cursor.fetchone()[0]) >= 180000
            cursor.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        connection.close()
        # A second launcher on the folder (a command next to the running portal) shares the cluster
        # and leaves it running.
        with EmbeddedPostgres(datadir) as guest:
            assert not guest.owner and guest.url("portal") == url
        _connect(url).close()
    assert not (datadir / "postmaster.pid").exists()
    with pytest.raises(psycopg2.OperationalError):
        _connect(url)

    # Started again: the data is there. Its launcher dies (the lock goes with its process, the server
    # runs on); the next launcher adopts the cluster and stops it.
    orphaned = EmbeddedPostgres(datadir).start()
    connection = _connect(orphaned.url("portal"))
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT n FROM kept")
        assert cursor.fetchall() == [(42,)]
    connection.close()
    orphaned._lock_file.close()
    successor = EmbeddedPostgres(datadir).start()
    try:
        assert successor.owner
        _connect(url).close()
    finally:
        successor.stop()
    assert not (datadir / "postmaster.pid").exists()


def test_launcher_runs_the_command_with_database_url_passes_sigterm_on_and_stops_the_cluster(scratch):
    datadir, marker = scratch / "pgdata", scratch / "marker"
    command = (
        "import os, psycopg2; c = psycopg2.connect(os.environ['DATABASE_URL']); "
        "cur = c.cursor(); cur.execute('SELECT current_database()'); print(cur.fetchone()[0]); raise SystemExit(3)"
    )
    result = subprocess.run(
        [LAUNCHER, "--datadir", datadir, "--database", "demo_db", "--", sys.executable, "-c", command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr  # the command's exit status
    assert result.stdout.strip() == "demo_db"
    assert "DATABASE_URL=postgres://postgres@" in result.stderr
    assert not (datadir / "postmaster.pid").exists()

    command = (
        "import signal, sys, time, pathlib; m = pathlib.Path(sys.argv[1]); "
        "signal.signal(signal.SIGTERM, lambda *a: (m.write_text('terminated'), sys.exit(0))); "
        "m.write_text('ready'); time.sleep(120)"
    )
    launcher = subprocess.Popen(
        [LAUNCHER, "--datadir", datadir, "--", sys.executable, "-c", command, marker],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text() == "ready"):
            assert time.monotonic() < deadline and launcher.poll() is None
            time.sleep(0.1)
        assert (datadir / "postmaster.pid").exists()
        launcher.send_signal(signal.SIGTERM)  # what a service manager or the newcomer test sends
        assert launcher.wait(timeout=60) == 0
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert marker.read_text() == "terminated"
    assert not (datadir / "postmaster.pid").exists()


def test_probe_tells_whether_a_postgresql_server_answers():
    from django.db import connection

    assert not server_answers(f"127.0.0.1:{free_port()}")
    assert subprocess.run([LAUNCHER, "--probe", f"127.0.0.1:{free_port()}"], timeout=60).returncode == 1
    host, port = connection.settings_dict["HOST"], connection.settings_dict["PORT"] or 5432
    if host and not host.startswith("/"):  # the suite's own server over TCP (not an embedded socket)
        assert server_answers(f"{host}:{port}")

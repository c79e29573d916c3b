"""A real Celery worker process on Redis, pointed at the test database (for tests of the queued path)."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE = Path(__file__).resolve().parent.parent


def worker_database_url() -> str:
    """DATABASE_URL of the test database, for a process of its own (a host may be a socket folder:
    the embedded PostgreSQL of scripts/test)."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(extra_env: dict | None = None, loglevel: str = "warning"):
    """Start ``celery worker`` against the test database and Redis; stop it afterwards (its output is
    ``proc.stdout``)."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        raise RuntimeError("the real-worker tests need REDIS_URL (the README's test command sets it)")
    # The worker gets this process's resolved Redis database; it is not itself a parallel test process.
    env = (
        {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
        | {
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        | (extra_env or {})
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "liuzhou_social",
            "worker",
            "--pool=solo",
            "-c",
            "1",
            "-l",
            loglevel,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")

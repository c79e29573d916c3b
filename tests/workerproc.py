"""A real Celery worker process on Redis, pointed at the test database (for tests of the queued path)."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE = Path(__file__).resolve().parent.parent


@contextmanager
def celery_worker(extra_env: dict | None = None):
    """Start ``celery worker`` against the test database and Redis; stop it afterwards."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        raise RuntimeError("the real-worker tests need REDIS_URL (the README's test command sets it)")
    db = connection.settings_dict
    # The worker gets this process's resolved Redis database; it is not itself a parallel test process.
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"} | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    } | (extra_env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "liuzhou_social", "worker", "--pool=solo", "-c", "1", "-l", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=BASE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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

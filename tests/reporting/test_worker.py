"""The recompute through a real Celery worker on Redis, against the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from network.models import Job
from reporting.models import IndicatorValue
from reporting.services import indicators_recompute_start

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_recompute_runs_in_a_real_worker(personas, tmp_path):
    assert settings.REDIS_URL, "the worker test needs REDIS_URL"
    from liuzhou_social.celery import app

    app.control.purge()
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}")
    env["REDIS_URL"] = settings.REDIS_URL  # already this test process's own database:
    env.pop("PYTEST_XDIST_WORKER", None)  # the worker must not move it by the xdist offset again
    log = (tmp_path / "worker.log").open("w")
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen([str(celery), "-A", "liuzhou_social", "worker", "--pool=solo", "-c", "1", "-l", "warning",
                               "-n", f"reporting-test-{os.getpid()}@%h"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        job = indicators_recompute_start(user=personas["city_admin"])  # queued on commit (autocommit here)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status in ("done", "failed"):
                break
            time.sleep(0.5)
        assert job.status == "done", (job.status, job.message, (tmp_path / "worker.log").read_text()[-2000:])
        assert job.result["rows"] > 0 and job.progress == 100
        cov = IndicatorValue.objects.filter(indicator="TGT-COV", place_id="450200000000", period_kind="month").get()
        assert cov.numerator == 4 and cov.denominator == 4 and cov.value == 100
        assert Job.objects.filter(pk=job.pk, created_by=personas["city_admin"]).exists()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()

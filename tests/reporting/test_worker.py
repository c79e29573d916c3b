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
from tests.workerproc import worker_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_recompute_runs_in_a_real_worker(personas, tmp_path):
    assert settings.REDIS_URL, "the worker test needs REDIS_URL"
    from liuzhou_social.celery import app

    app.control.purge()
    env = dict(os.environ)
    env["DATABASE_URL"] = worker_database_url()
    env["REDIS_URL"] = settings.REDIS_URL  # already this test process's own database:
    env.pop("PYTEST_XDIST_WORKER", None)  # the worker must not move it by the xdist offset again
    log = (tmp_path / "worker.log").open("w")
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "liuzhou_social",
            "worker",
            "--pool=solo",
            "-c",
            "1",
            "-l",
            "warning",
            "-n",
            f"reporting-test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
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


# ---------------------------------------------------------------- every figure follows every edit


def _county_a_coverage():
    from django.utils import timezone

    return (
        IndicatorValue.objects.filter(
            indicator="TGT-COV", place_id="450222000000", period=f"{timezone.localdate():%Y-%m}"
        )
        .values_list("numerator", flat=True)
        .get()
    )


def _suspend(station):
    from django.utils import timezone

    from stations.services import station_change_status

    station_change_status(station=station, status="suspended", effective_on=timezone.localdate())


def _lock_values():
    """Another session takes a lock on the value table that lets readers in and makes writers wait."""
    import psycopg2

    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
    with other.cursor() as cursor:
        cursor.execute("LOCK TABLE reporting_indicatorvalue IN SHARE MODE")
    return other


def _run_waits_for_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def computed_today(personas):
    personas.all()  # the records below assume every account (the provider's contract)
    from liuzhou_social.celery import app
    from reporting.models import PendingChange
    from reporting.services import indicators_recompute

    indicators_recompute()
    assert not PendingChange.objects.exists()
    app.control.purge()  # what the fixtures' commits queued while no worker ran
    from django.core.cache import cache

    cache.clear()
    return personas


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_edit_reaches_the_stored_values_through_the_worker(network, computed_today):
    """A saved edit queues the recompute of its change on commit; the worker settles it within seconds."""
    from reporting.models import Computation, PendingChange
    from tests.workerproc import celery_worker, wait_for

    assert _county_a_coverage() == 2
    with celery_worker():
        _suspend(network["station_a1"])
        wait_for(lambda: _county_a_coverage() == 1, timeout=60)
    assert not PendingChange.objects.exists()
    run = Computation.objects.latest("finished_at")
    assert run.full is False and run.places == ["450200000000", "450222000000", "450222101000"]


def _log_lines(proc) -> list[str]:
    """The worker's output lines as they come (read by a thread, so the pipe never fills)."""
    import threading

    lines: list[str] = []

    def read():
        for line in proc.stdout:
            lines.append(line.decode(errors="replace"))

    threading.Thread(target=read, daemon=True).start()
    return lines


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_run_failing_on_a_lock_timeout_is_retried_by_the_task(network, computed_today):
    """The run fails for real (its lock wait times out: another session holds the value table) and writes
    nothing; the task retries with back-off and applies the change once the lock is gone."""
    from reporting.models import PendingChange
    from tests.workerproc import celery_worker, wait_for

    other = _lock_values()
    try:
        with celery_worker({"RECOMPUTE_LOCK_TIMEOUT_MS": "300"}, loglevel="info") as proc:
            log = _log_lines(proc)
            _suspend(network["station_a1"])

            def failed_and_retried(times):
                text = "".join(log).lower()
                return text.count("lock timeout") >= times and "retry" in text

            wait_for(lambda: failed_and_retried(2), timeout=90)  # the run and at least one retry failed
            assert _county_a_coverage() == 2 and PendingChange.objects.count() == 1
            other.rollback()
            wait_for(lambda: _county_a_coverage() == 1, timeout=90)
            assert not PendingChange.objects.exists()
    finally:
        other.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_leaves_the_values_and_the_next_worker_settles_the_change(network, computed_today):
    """The worker dies while its run waits on a lock: nothing of the run is stored, the change stays
    pending, and a worker started afterwards settles it without another edit."""
    from reporting.models import PendingChange
    from tests.workerproc import celery_worker, wait_for

    other = _lock_values()
    try:
        with celery_worker({"RECOMPUTE_LOCK_TIMEOUT_MS": "120000"}) as proc:
            _suspend(network["station_a1"])
            wait_for(_run_waits_for_the_lock, timeout=90)
            proc.kill()
            proc.wait(timeout=10)
        assert _county_a_coverage() == 2 and PendingChange.objects.count() == 1
    finally:
        other.rollback()
        other.close()
    time.sleep(1)
    assert _county_a_coverage() == 2 and PendingChange.objects.count() == 1  # the dead run committed nothing
    with celery_worker():
        wait_for(lambda: _county_a_coverage() == 1, timeout=60)
    assert not PendingChange.objects.exists()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_change_saved_while_a_run_goes_gets_a_run_of_its_own(network, computed_today):
    """Two edits: the second is saved while the run of the first is going (held on a lock). Neither is lost."""
    from reporting.models import Computation, PendingChange
    from tests.workerproc import celery_worker, wait_for

    other = _lock_values()
    try:
        with celery_worker({"RECOMPUTE_LOCK_TIMEOUT_MS": "120000"}):
            _suspend(network["station_a1"])
            wait_for(_run_waits_for_the_lock, timeout=90)
            _suspend(network["station_a2"])
            other.rollback()
            wait_for(lambda: _county_a_coverage() == 0, timeout=60)
            wait_for(lambda: not PendingChange.objects.exists(), timeout=30)
    finally:
        other.close()
    runs = list(Computation.objects.filter(full=False).order_by("finished_at").values_list("places", flat=True))
    assert runs[-2:] == [
        ["450200000000", "450222000000", "450222101000"],
        ["450200000000", "450222000000", "450222102000"],
    ]

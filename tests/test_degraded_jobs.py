"""Degrades, never lies, with the real component stopped or killed (a Redis and workers of the test's own; the
shared ones are never touched):

* a recompute started while the task queue's Redis is down says it could not be queued;
* with no worker running, the job page says that no worker has picked the job up;
* a worker killed with kill -9 in the middle of a recompute: the job page says it hears nothing, and a worker
  started again takes the job up (late acknowledgement, a short visibility timeout here) and finishes it.
"""

import time
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from network.choices import JobStatus
from network.models import Job
from reporting.services import LOCK_ID
from tests.permkit import client_for
from tests.redisproc import redis_server
from tests.workerproc import celery_worker, wait_for, worker_database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@contextmanager
def broker(url):
    """The portal's Celery app publishing to ``url`` (a Redis of this test's own)."""
    from liuzhou_social.celery import app

    old = app.conf.broker_url

    def reset(to):
        # Only forget the pools: they are kombu's, shared per address; closing one would break later publishing.
        app.conf.broker_url = to
        app._pool = None
        app.amqp._producer_pool = None

    reset(url)
    try:
        yield app
    finally:
        reset(old)


def _start_recompute(client, personas):
    response = client_for(client, personas, "city_admin").post(reverse("reporting:recompute"))
    assert response.status_code == 302
    return Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_a_recompute_started_while_redis_is_down_says_it_could_not_be_queued(client, personas):
    with redis_server() as (url, stop), broker(url):
        stop()
        started = time.monotonic()
        job = _start_recompute(client, personas)
        assert time.monotonic() - started < 15  # said at once, not after a long wait
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    page = client.get(reverse("network:job_detail", args=[job.pk])).content.decode()
    assert "无法排队" in page, page[-1500:]


def test_with_no_worker_running_the_job_page_says_no_worker_has_picked_it_up(client, personas, settings):
    settings.JOB_PICKUP_SECONDS = 1
    with redis_server() as (url, _stop), broker(url):
        job = _start_recompute(client, personas)
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED
        status = client.get(reverse("network:job_status", args=[job.pk])).json()
        assert status["hint"] == ""  # not yet: a worker may be about to take it
        time.sleep(1.5)
        status = client.get(reverse("network:job_status", args=[job.pk])).json()
        assert status["status"] == "queued" and "没有任务进程" in status["hint"], status
        assert "没有任务进程" in client.get(reverse("network:job_detail", args=[job.pk])).content.decode()


def test_a_recompute_whose_worker_is_killed_is_taken_up_again_and_finishes(client, personas, settings):
    settings.JOB_STALL_SECONDS = 1
    env = {"CELERY_VISIBILITY_TIMEOUT_S": "4", "CELERY_RESTORE_INTERVAL_S": "1", "TASK_TIME_LIMIT_S": "3"}
    with redis_server() as (url, _stop), broker(url):
        env["REDIS_URL"] = url
        # The recompute waits for the advisory lock this test holds, so the worker is killed mid-run for sure.
        holder = psycopg2.connect(worker_database_url())
        holder.autocommit = True
        holder.cursor().execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        try:
            with celery_worker(env) as first:
                job = _start_recompute(client, personas)
                wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.RUNNING, timeout=60)
                first.kill()  # kill -9: no goodbye, the message stays unacknowledged
                first.wait(10)
            time.sleep(1.5)
            status = client.get(reverse("network:job_status", args=[job.pk])).json()
            assert status["status"] == "running" and "可能已停止" in status["hint"], status
        finally:
            holder.cursor().execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
            holder.close()
        with celery_worker(env) as second:
            try:
                wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, timeout=90)
            except AssertionError:
                second.kill()
                raise AssertionError(second.stdout.read().decode()[-3000:]) from None
    job.refresh_from_db()
    assert job.progress == 100 and job.result["rows"] > 0
    connection.close()

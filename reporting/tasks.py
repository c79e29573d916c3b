"""Celery tasks: ids in, one service call, idempotent, retried on transient database/broker errors."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError

TRANSIENT = (OperationalError, InterfaceError, BrokerError, RedisConnectionError)
SOON_KEY = "reporting:recompute-soon"
BUSY_SECONDS = 5  # how soon the recompute of pending changes tries again while another run goes


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def recompute_indicators(job_id: str | None = None) -> dict:
    """Recompute every indicator; with a job id, report progress on that job (nightly runs have none)."""
    from . import services

    return services.indicators_recompute_job(job_id=job_id)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=30, max_retries=10)
def recompute_pending() -> dict:
    """Settle the changes recorded since the last run (queued on commit of each edit, debounced; swept every
    minute). A failed run leaves values and marks as they were; it is retried with back-off (lock timeout,
    lost connection), and a run killed with its worker is redone by the next run or sweep."""
    from . import services

    cache.delete(SOON_KEY)  # a change committed from now on queues a run after this one
    result = services.indicators_recompute_pending(wait=False)
    if result.get("busy") and not recompute_pending.app.conf.task_always_eager:
        # Another run holds the lock (the nightly one): come back later rather than hold a worker.
        recompute_pending.apply_async(countdown=BUSY_SECONDS)
    return result


@worker_ready.connect
def _settle_pending_on_start(sender=None, **kwargs):
    """A worker that starts (again) settles what a killed one left pending."""
    from .models import PendingChange

    if PendingChange.objects.exists():
        recompute_pending.delay()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def build_report_workbook(job_id: str) -> dict:
    """Write the periodic report workbook for the job's place and attach it to the job."""
    from . import workbook

    return workbook.report_workbook_job(job_id=job_id)

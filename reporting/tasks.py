"""Celery tasks: ids in, one service call, idempotent, retried on transient database/broker errors."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError

TRANSIENT = (OperationalError, InterfaceError, BrokerError, RedisConnectionError)
SOON_KEY = "reporting:recompute-soon"


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def recompute_indicators(job_id: str | None = None) -> dict:
    """Recompute every indicator; with a job id, report progress on that job (nightly runs have none)."""
    from . import services

    cache.delete(SOON_KEY)
    return services.indicators_recompute_job(job_id=job_id)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def build_report_workbook(job_id: str) -> dict:
    """Write the periodic report workbook for the job's place and attach it to the job."""
    from . import workbook

    return workbook.report_workbook_job(job_id=job_id)

"""Background work of the workforce app (CONVENTIONS 7): ids in, one service call, idempotent."""

from celery import shared_task
from django.db import OperationalError


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def roster_import_job(job_id: str) -> None:
    """Check or import (all rows or none) the roster uploaded with the job; the outcome is stored on it."""
    from .roster import roster_job_run

    roster_job_run(job_id=job_id)

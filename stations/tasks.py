"""Background work of the stations app (CONVENTIONS 7): ids in, one service call, idempotent."""

from celery import shared_task


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def import_workbook(self, job_id: str) -> None:
    """Run a confirmed Excel import (all rows or none) and record the outcome on its job."""
    from django.db import OperationalError

    from .services import import_job_run

    try:
        import_job_run(job_id=job_id)
    except OperationalError as exc:  # the database went away: retry, the import is all-or-nothing
        raise self.retry(exc=exc) from exc

"""Network tasks: thin (ids in, one service call), idempotent, retried on transient errors."""

from celery import shared_task
from django.db import OperationalError

from liuzhou_social.tabular import TableFormatError

from .jobs import job_finish, job_progress
from .models import Job
from .services import division_import


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def division_import_job(job_id: str) -> None:
    """Import the division list uploaded with the job; all or nothing (the import is one transaction)."""
    job = Job.objects.get(pk=job_id)
    job_progress(job_id, 10, "reading")
    try:
        with job.upload.open("rb") as f:
            result = division_import(upload=f)
    except TableFormatError as exc:
        job_finish(job_id, message=str(exc), failed=True)
        return
    if result.ok:
        job_finish(job_id, result={"created": result.created, "updated": result.updated,
                                   "unchanged": result.unchanged})
    else:
        job_finish(job_id, failed=True, message=f"{len(result.errors)}", result={
            "errors": [{"row": e.row, "column": e.column, "value": str(e.value), "message": e.message}
                       for e in result.errors[:500]]})

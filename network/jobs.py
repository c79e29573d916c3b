"""Starting and reporting on long jobs (CONVENTIONS 7): enqueued on commit, progress stored on the Job."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import JobStatus
from .models import Job


def job_start(*, kind: str, user, task, params: dict | None = None, upload=None) -> Job:
    """Create the job and queue ``task(job_id)`` once the transaction commits."""
    job = Job.objects.create(kind=kind, created_by=user, params=params or {})
    if upload is not None:
        job.upload.save(upload.name, upload, save=True)
    transaction.on_commit(lambda: task.delay(str(job.pk)))
    return job


def job_progress(job_id, progress: int, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, progress=max(0, min(progress, 100)),
                                         message=message)


def job_finish(job_id, *, result: dict | None = None, message: str = "", failed: bool = False) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED if failed else JobStatus.DONE, progress=100 if not failed else 0,
        result=result or {}, message=message, finished_at=timezone.now())


# What each kind of job is called on its page (the kinds the apps start).
JOB_TITLES = {
    "division_import": _("Division import"),
    "workforce.roster": _("Roster import"),
    "reporting.recompute": _("Recompute indicators"),
    "reporting.workbook": _("Report workbook"),
}


def job_title(job) -> str:
    return str(JOB_TITLES.get(job.kind, job.kind))


def jobs_visible_to(user):
    qs = Job.objects.all()
    return qs if user.is_superuser else qs.filter(created_by=user)

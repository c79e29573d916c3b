"""Starting and reporting on long jobs (CONVENTIONS 7): enqueued on commit, progress stored on the Job."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import JobStatus
from .models import Job


def job_start(*, kind: str, user, task, params: dict | None = None, upload=None, inline: bool = False) -> Job:
    """Create the job and run ``task(job_id)`` (see ``job_queue``)."""
    job = Job.objects.create(kind=kind, created_by=user, params=params or {})
    if upload is not None:
        job.upload.save(upload.name, upload, save=True)
    job_queue(job, task, inline=inline)
    return job


def job_queue(job: Job, task, *, inline: bool = False) -> None:
    """Run ``task(job_id)``: on the worker once the transaction commits, or, ``inline``, here and now (small
    work whose page should show the outcome at once). Either way the task reports on the job. A job the task
    queue does not take (Redis down) fails at once, saying so, instead of waiting "queued" forever."""
    if inline:
        task.apply(args=[str(job.pk)], throw=True)
    else:
        transaction.on_commit(lambda: _send(job.pk, task))


def _send(job_id, task) -> None:
    try:
        task.apply_async(args=[str(job_id)], retry=False)
    except Exception as exc:  # whatever the broker client raises, the job must not wait forever
        logging.getLogger(__name__).warning("job %s could not be queued: %s", job_id, exc)
        job_finish(
            job_id,
            failed=True,
            message=gettext("The job could not be queued: the task queue does not answer. Try again later."),
        )


def job_progress(job_id, progress: int, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, progress=max(0, min(progress, 100)), message=message, updated_at=timezone.now()
    )


def job_finish(job_id, *, result: dict | None = None, message: str = "", failed: bool = False) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED if failed else JobStatus.DONE,
        progress=100 if not failed else 0,
        result=result or {},
        message=message,
        finished_at=now,
        updated_at=now,
    )


def job_hint(job: Job, now=None) -> str:
    """What the job page adds when a job hears nothing from a worker: queued for longer than JOB_PICKUP_SECONDS
    (no worker runs), or running without progress for longer than JOB_STALL_SECONDS (its worker stopped)."""
    now = now or timezone.now()
    if job.status == JobStatus.QUEUED and (now - job.updated_at).total_seconds() > settings.JOB_PICKUP_SECONDS:
        return gettext(
            "No worker has picked this job up for %(s)s seconds: the task worker may be stopped. The job starts as "
            "soon as one runs; tell the administrator if this lasts."
        ) % {"s": int((now - job.updated_at).total_seconds())}
    if job.status == JobStatus.RUNNING and (now - job.updated_at).total_seconds() > settings.JOB_STALL_SECONDS:
        return gettext(
            "No progress for %(s)s seconds: the worker running this job may have stopped. A worker takes the job up "
            "again within %(m)s minutes."
        ) % {
            "s": int((now - job.updated_at).total_seconds()),
            "m": max(1, round(settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 60)),
        }
    return ""


def jobs_mark_stale(now=None) -> int:
    """A running job whose worker died and that no worker took up again within the visibility timeout (the
    message was lost: an in-process run, a broker restarted without its data) is marked failed, so that its page
    says so and the user can start it again."""
    now = now or timezone.now()
    limit = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + 2 * settings.JOB_STALL_SECONDS
    return Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=now - datetime.timedelta(seconds=limit)).update(
        status=JobStatus.FAILED,
        progress=0,
        finished_at=now,
        updated_at=now,
        message=gettext("The worker running this job stopped and no worker took it up again; start it again."),
    )


# What each kind of job is called on its page (the kinds the apps start).
JOB_TITLES = {
    "reporting.recompute": _("Recompute indicators"),
    "reporting.workbook": _("Report workbook"),
}


def job_title(job) -> str:
    from .imports import spec_for

    spec = spec_for(job.kind)
    if spec is not None:
        return str(spec.title)
    return str(JOB_TITLES.get(job.kind, job.kind))


def jobs_visible_to(user):
    qs = Job.objects.all()
    return qs if user.is_superuser else qs.filter(created_by=user)

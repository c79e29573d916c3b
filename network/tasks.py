"""Network tasks: thin (ids in, one service call), idempotent, retried on transient errors."""

from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def import_job(self, job_id: str) -> None:
    """Check or import (all rows or none) the file kept on the job, with the spec its kind names. On a worker the
    parse may use at most IMPORT_MEMORY_MB more memory: a file that needs more fails its job, not the worker."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.conf import settings
    from django.utils.translation import gettext as _

    from liuzhou_social.limits import memory_limit

    from .imports import import_job_run
    from .jobs import job_finish

    try:
        if self.request.is_eager:
            import_job_run(job_id=job_id)
        else:
            with memory_limit(settings.IMPORT_MEMORY_MB):
                import_job_run(job_id=job_id)
    except OperationalError as exc:  # the database went away: retry, the import is all-or-nothing
        raise self.retry(exc=exc) from exc
    except MemoryError:
        job_finish(
            job_id,
            failed=True,
            message=_("The file needs more memory than an import may use (%(mb)s MB): import it in smaller files.")
            % {"mb": settings.IMPORT_MEMORY_MB},
        )
    except SoftTimeLimitExceeded:
        job_finish(job_id, failed=True, message=_("The import took too long: import the file in smaller parts."))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def files_purge() -> dict:
    """Nightly: delete import workbooks and replaced evidence files past their retention (network.retention)."""
    from .retention import files_purge as purge

    return purge()


@shared_task
def jobs_mark_stale() -> int:
    """Every few minutes: running jobs whose worker died and that were not taken up again are marked failed."""
    from .jobs import jobs_mark_stale as mark

    return mark()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def notifications_sync() -> dict:
    """Beat: every user's notifications from the workbench's alert registry (once per item and user; items whose
    alert is resolved leave the open list)."""
    from .notifications import notifications_sync as sync

    return sync()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def notifications_digest() -> int:
    """Daily: the e-mail digest of new notifications, to the users who asked for it."""
    from .notifications import notifications_digest_send

    return notifications_digest_send()

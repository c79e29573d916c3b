"""The network's alert sources for the workbench (``network.workbench``): imports waiting for the uploader's
confirmation, and notices not yet read. Registered in ``NetworkConfig.ready``."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import may_use_pages
from .workbench import AlertItem, AlertSource, alert_source_register


def imports_waiting(user, today: datetime.date) -> list[AlertItem]:
    """Imports the user checked with no wrong row and has not confirmed yet (nothing is written until then)."""
    from .choices import JobStatus
    from .imports import PREVIEW, SPECS
    from .models import Job

    jobs = Job.objects.filter(
        created_by=user, status=JobStatus.DONE, params__step=PREVIEW, kind__in=list(SPECS)
    ).order_by("created_at")
    out = []
    for job in jobs:
        if job.result.get("error_count") or job.result.get("committed"):
            continue
        spec = SPECS[job.kind]
        out.append(
            AlertItem(
                key=f"import:{job.pk}",
                title=_("%(title)s: checked on %(day)s, waiting for your confirmation")
                % {"title": spec.title, "day": job.created_at.date().isoformat()},
                url=job.get_absolute_url(),
            )
        )
    return out


def notices_unread(user, today: datetime.date) -> list[AlertItem]:
    from .models import NoticeReceipt

    receipts = NoticeReceipt.objects.filter(user=user, read_at__isnull=True).select_related("notice")
    return [
        AlertItem(key=f"notice:{r.notice_id}", title=r.notice.title, url=r.notice.get_absolute_url())
        for r in receipts.order_by("-notice__published_at")
    ]


def register() -> None:
    alert_source_register(
        AlertSource(
            code="imports_waiting",
            label=_("Imports waiting for your confirmation"),
            rule="",
            items=imports_waiting,
            list_url=lambda user: reverse("network:alert_list", args=["imports_waiting"]),
            applies=may_use_pages,
            severity="info",
            order=80,
        )
    )
    alert_source_register(
        AlertSource(
            code="notices_unread",
            label=_("Notices not yet read"),
            rule="",
            items=notices_unread,
            list_url=lambda user: reverse("network:notice_list") + "?unread=1",
            applies=may_use_pages,
            severity="info",
            order=90,
        )
    )

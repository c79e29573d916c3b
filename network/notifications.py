"""Notifications: the alert registry's items delivered to each user (an inbox with a bell), and the daily e-mail
digest for those who asked for it. Written by the beat task ``network.tasks.notifications_sync`` (and for one user
when they open their inbox); the registry (``network.workbench``) decides what an alert is, here only who hears."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification, NotificationPreference, User
from .roles import may_use_pages
from .workbench import alerts_for


def notifications_sync_user(*, user, today: datetime.date) -> tuple[int, int]:
    """Creates a notification for each alert item of ``user`` not yet notified (once per item key and user: the
    unique constraint keeps a concurrent second run from doubling it), marks those whose item the alerts no longer
    list as resolved (they leave the open list), and opens again one whose item is listed again. Returns
    (created, resolved)."""
    current: dict[str, tuple[str, object]] = {}
    for alert in alerts_for(user, today):
        if alert.source.notify:
            for item in alert.items:
                current.setdefault(item.key, (alert.source.code, item))
    now = timezone.now()
    with transaction.atomic():
        known = set(Notification.objects.filter(user=user).values_list("key", flat=True))
        new = [
            Notification(
                user=user,
                key=key,
                source=source,
                title=str(item.title)[:300],
                url=item.url[:500],
                due_on=item.due_on,
            )
            for key, (source, item) in current.items()
            if key not in known
        ]
        created = Notification.objects.bulk_create(new, ignore_conflicts=True)
        still_open = Notification.objects.open_for(user)
        resolved = still_open.exclude(key__in=list(current)).update(resolved_at=now)
        Notification.objects.filter(user=user, resolved_at__isnull=False, key__in=list(current)).update(
            resolved_at=None
        )
    return len(created), resolved


def notifications_sync(*, today: datetime.date | None = None) -> dict:
    """Every active user who uses the pages: their notifications brought in line with the alerts of ``today``.
    Running it twice creates nothing the second time."""
    today = today or timezone.localdate()
    created = resolved = users = 0
    with translation.override(settings.LANGUAGE_CODE):  # titles are stored in the portal's language
        for user in User.objects.filter(is_active=True).order_by("pk"):
            if not may_use_pages(user):
                continue
            c, r = notifications_sync_user(user=user, today=today)
            created, resolved, users = created + c, resolved + r, users + 1
    return {"users": users, "created": created, "resolved": resolved}


def notification_mark_read(*, user, notification_ids=None) -> int:
    """Marks the user's own notifications read (all open ones when no ids are given)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def notification_preference_get(user) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def notification_preference_save(*, user, email_digest: bool) -> NotificationPreference:
    preference = notification_preference_get(user)
    preference.email_digest = email_digest
    preference.save(update_fields=["email_digest"])
    return preference


def notifications_digest_send(*, now: datetime.datetime | None = None) -> int:
    """The daily digest: one e-mail per user who asked for it (and has an address), listing the open notifications
    not e-mailed before; each is e-mailed once. Returns the number of e-mails sent."""
    now = now or timezone.now()
    sent = 0
    preferences = NotificationPreference.objects.filter(email_digest=True, user__is_active=True).select_related("user")
    with translation.override(settings.LANGUAGE_CODE):
        for preference in preferences:
            user = preference.user
            if not user.email:
                continue
            pending = list(Notification.objects.open_for(user).filter(emailed_at__isnull=True).order_by("created_at"))
            if not pending:
                continue
            context = {"user": user, "notifications": pending, "base_url": settings.PORTAL_URL.rstrip("/")}
            send_mail(
                subject=render_to_string("network/email/digest_subject.txt", context).strip(),
                message=render_to_string("network/email/digest.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            sent += 1
    return sent

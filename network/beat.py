"""The scheduled jobs (Celery beat) and their last run, for 系统管理 · 定时任务.

The schedule is ``CELERY_BEAT_SCHEDULE``; each run of a scheduled task records its start, end and outcome in the
cache (Celery's task signals, connected once by ``NetworkConfig.ready``), one entry per task, so the page reads
the last run of each without a table of its own. A run on the worker writes the shared cache (Redis)."""

from __future__ import annotations

from datetime import timedelta

from celery.schedules import crontab
from celery.schedules import schedule as interval
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

KEY = "beat:last-run:{}"
_connected = False


def _scheduled_tasks() -> set[str]:
    return {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def _task_started(sender=None, task_id=None, task=None, **kwargs):
    name = getattr(task, "name", None) or getattr(sender, "name", None)
    if name in _scheduled_tasks():
        entry = cache.get(KEY.format(name)) or {}
        entry.update({"started": timezone.now(), "finished": None, "state": "STARTED", "detail": ""})
        cache.set(KEY.format(name), entry, None)


def _task_finished(sender=None, task_id=None, task=None, retval=None, state=None, **kwargs):
    name = getattr(task, "name", None) or getattr(sender, "name", None)
    if name in _scheduled_tasks():
        entry = cache.get(KEY.format(name)) or {}
        detail = "" if retval is None else str(retval)[:300]
        entry.update({"finished": timezone.now(), "state": state or "SUCCESS", "detail": detail})
        cache.set(KEY.format(name), entry, None)


def connect() -> None:
    global _connected
    if _connected:
        return
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_started, weak=False)
    task_postrun.connect(_task_finished, weak=False)
    _connected = True


def describe_schedule(value) -> str:
    """When a schedule entry runs, in words."""
    if isinstance(value, (int, float)):
        value = timedelta(seconds=value)
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        if seconds % 3600 == 0:
            return _("every %(n)s hours") % {"n": seconds // 3600} if seconds > 3600 else _("every hour")
        if seconds % 60 == 0:
            return _("every %(n)s minutes") % {"n": seconds // 60} if seconds > 60 else _("every minute")
        return _("every %(n)s seconds") % {"n": seconds}
    if isinstance(value, interval) and not isinstance(value, crontab):
        return describe_schedule(value.run_every)
    if isinstance(value, crontab):
        hours, minutes = sorted(value.hour), sorted(value.minute)
        if len(hours) == 1 and len(minutes) == 1 and len(value.day_of_week) == 7 and len(value.day_of_month) == 31:
            return _("every day at %(t)s") % {"t": f"{hours[0]:02d}:{minutes[0]:02d}"}
        every_day = len(value.day_of_week) == 7 and len(value.day_of_month) == 31
        if len(hours) == 24 and len(minutes) == 1 and every_day:
            return _("every hour at minute %(m)s") % {"m": minutes[0]}
        # Otherwise the five cron fields (minute, hour, day of month, month, day of week), words of no language.
        return " ".join(
            str(part)
            for part in (
                value._orig_minute,
                value._orig_hour,
                value._orig_day_of_month,
                value._orig_month_of_year,
                value._orig_day_of_week,
            )
        )
    return str(value)


STATES = {
    "SUCCESS": lambda: _("Succeeded"),
    "FAILURE": lambda: _("Failed"),
    "RETRY": lambda: _("To be retried"),
    "STARTED": lambda: _("Running"),
}
TASK_TITLES = {
    "reporting.tasks.recompute_indicators": lambda: _("Recompute every indicator"),
    "reporting.tasks.recompute_pending": lambda: _("Recompute what edits changed"),
    "network.tasks.jobs_mark_stale": lambda: _("Mark jobs no worker runs as failed"),
    "network.tasks.files_purge": lambda: _("Delete files past their retention"),
    "network.tasks.notifications_sync": lambda: _("Turn the workbench's alerts into notifications"),
    "network.tasks.notifications_digest": lambda: _("Send the daily e-mail digest of notifications"),
}


def schedule() -> list[dict]:
    """Every beat entry with its task, when it runs, and its last run (or none yet)."""
    rows = []
    for key, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = entry["task"]
        last = cache.get(KEY.format(task)) or {}
        state = last.get("state")
        rows.append(
            {
                "key": key,
                "task": task,
                "title": TASK_TITLES[task]() if task in TASK_TITLES else key,
                "when": describe_schedule(entry["schedule"]),
                "started": last.get("started"),
                "finished": last.get("finished"),
                "state": state,
                "state_label": STATES[state]() if state in STATES else (state or ""),
                "ok": state == "SUCCESS",
                "detail": last.get("detail", ""),
            }
        )
    return rows

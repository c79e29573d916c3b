"""Uploaded files are kept only as long as they serve (PIPL Art. 47): an import workbook for
``IMPORT_RETENTION_DAYS`` after its job started, an evidence file that was replaced (or whose record was deleted)
for ``EVIDENCE_RETENTION_DAYS`` after that. The nightly task ``network.tasks.files_purge`` deletes the rest.

Which files were replaced is recorded when it happens (``RetiredFile``), by a signal on every model with a file
field (connected in ``NetworkConfig.ready`` for the models of every app), so no app has to remember it.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, pre_save
from django.utils import timezone

from .choices import JobStatus
from .models import Job, RetiredFile


def _file_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _retire_replaced(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    names = _file_fields(sender)
    old = sender._default_manager.filter(pk=instance.pk).values(*names).first()
    if not old:
        return
    for name in names:
        before, now = old[name] or "", getattr(instance, name).name or ""
        if before and before != now:
            RetiredFile.objects.create(name=before, record=f"{sender._meta.label} {instance.pk}")


def _retire_deleted(sender, instance, **kwargs):
    for name in _file_fields(sender):
        stored = getattr(instance, name).name
        if stored:
            RetiredFile.objects.create(name=stored, record=f"{sender._meta.label} {instance.pk}")


def connect() -> None:
    """Watch every model with a file field (jobs have their own rule; change histories only copy names)."""
    for model in apps.get_models():
        if model is Job or model.__name__.startswith("Historical") or not _file_fields(model):
            continue
        pre_save.connect(_retire_replaced, sender=model, dispatch_uid=f"retire-replaced-{model._meta.label}")
        post_delete.connect(_retire_deleted, sender=model, dispatch_uid=f"retire-deleted-{model._meta.label}")


def _still_used(name: str) -> bool:
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in _file_fields(model):
            if model._default_manager.filter(**{field: name}).exists():
                return True
    return False


def files_purge(*, now: datetime.datetime | None = None) -> dict:
    """Delete the import workbooks and retired files past their retention; returns what was deleted."""
    now = now or timezone.now()
    imports = 0
    old_jobs = Job.objects.filter(
        created_at__lt=now - datetime.timedelta(days=settings.IMPORT_RETENTION_DAYS), status__in=JobStatus.finished()
    ).exclude(upload="")
    for job in old_jobs.iterator():
        job.upload.delete(save=False)
        Job.objects.filter(pk=job.pk).update(upload="")
        imports += 1
    retired = 0
    due = RetiredFile.objects.filter(retired_at__lt=now - datetime.timedelta(days=settings.EVIDENCE_RETENTION_DAYS))
    storage = Job._meta.get_field("upload").storage
    for entry in due.iterator():
        if not _still_used(entry.name):  # the same file taken up again by a record
            storage.delete(entry.name)
            retired += 1
        entry.delete()
    return {"imports": imports, "retired": retired}

"""Derived fields kept in step with their sources."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import ServiceRecord


@receiver(m2m_changed, sender=ServiceRecord.recipients.through)
def service_record_recipients_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """SRV-1: a record's target groups follow its recipients whichever side the link is edited from."""
    from .services import service_record_groups_refresh

    if action == "pre_clear" and reverse:
        instance._cleared_record_ids = list(instance.service_records.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        if not reverse:
            service_record_groups_refresh([instance.pk])
        elif action == "post_clear":
            service_record_groups_refresh(getattr(instance, "_cleared_record_ids", []))
        else:
            service_record_groups_refresh(pk_set)

"""Change histories for every domain model, with the address each change came from.

Every model keeps its history with ``PortalHistoricalRecords()`` (django-simple-history, whose documented
way to add a field to the historical tables is an abstract base passed as ``bases=`` and a
``pre_create_historical_record`` receiver that fills it). The address is the client's, taken by the same
function as the login lockout (``liuzhou_social.client_ip``: X-Forwarded-For only from a trusted proxy).
Changes made outside a request (imports on the worker, beat tasks, management commands) have none.

The operation log (``network.oplog``) is a union over these historical tables, not a second log.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from liuzhou_social.client_ip import client_ip


class HistoricalAddress(models.Model):
    """The abstract base of every historical table: the address of the change."""

    history_ip_address = models.GenericIPAddressField(
        _("address"),
        null=True,
        blank=True,
        help_text=_("The address the change was made from (none outside a request)."),
    )

    class Meta:
        abstract = True


class PortalHistoricalRecords(HistoricalRecords):
    """``HistoricalRecords`` whose tables also record the address of each change (a model's one line:
    ``history = PortalHistoricalRecords()``; the app's next migration adds the column)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("bases", (HistoricalAddress,))
        super().__init__(*args, **kwargs)


@receiver(pre_create_historical_record)
def _record_address(sender, instance, history_instance, **kwargs):
    if not hasattr(history_instance, "history_ip_address"):
        return
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        history_instance.history_ip_address = client_ip(request) or None

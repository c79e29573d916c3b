"""The stations app's alert source for the workbench (``network.workbench``): overdue follow-ups (SRV-3).
Registered in ``StationsConfig.ready``; quick actions too."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.roles import does_field_work, may_keep_stations, may_write
from network.scope import CHANGE
from network.workbench import AlertItem, AlertSource, QuickAction, alert_source_register, quick_action_register


def follow_ups_overdue_items(user, today: datetime.date) -> list[AlertItem]:
    """SRV-3: follow-ups of recipients the user may change whose due date has passed without being done."""
    from .models import FollowUpPlan
    from .selectors import follow_ups_overdue

    qs = follow_ups_overdue(qs=FollowUpPlan.objects.restrict(user, CHANGE), on=today).select_related("recipient")
    return [
        AlertItem(
            key=f"srv3:followup:{f.pk}",
            title=f"{f.recipient.name}: {f.action}",
            url=reverse("stations:recipient_detail", args=[f.recipient_id]),
            due_on=f.due_on,
        )
        for f in qs.order_by("due_on", "id")
    ]


def register() -> None:
    from .imports import RecipientImport

    alert_source_register(
        AlertSource(
            code="srv3_follow_ups_overdue",
            label=_("Overdue follow-ups"),
            rule="SRV-3",
            items=follow_ups_overdue_items,
            list_url=lambda user: reverse("stations:follow_up_list") + "?overdue=true",
            applies=does_field_work,
            severity="danger",
            order=10,
        )
    )
    for action in [
        QuickAction(
            "record_create", _("Record a service"), "stations:record_create", may_write, icon="journal-plus", order=10
        ),
        QuickAction(
            "recipient_create", _("New recipient"), "stations:recipient_create", may_write, icon="person-plus", order=20
        ),
        QuickAction(
            "recipient_import",
            _("Import recipients"),
            "stations:import_upload",
            RecipientImport.may_import,
            args=("recipients",),
            icon="upload",
            order=30,
        ),
        QuickAction(
            "station_create", _("New station"), "stations:station_create", may_keep_stations, icon="house-add", order=40
        ),
    ]:
        quick_action_register(action)

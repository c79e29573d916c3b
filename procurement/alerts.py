"""Procurement's alert source for the workbench (``network.workbench``): final evaluations due or overdue (PRC-4),
from the same selector as the evaluation list. Registered in ``ProcurementConfig.ready``; a quick action too."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from network.roles import purchases_services
from network.scope import CHANGE
from network.workbench import AlertItem, AlertSource, QuickAction, alert_source_register, quick_action_register


def evaluations_due_items(user, today: datetime.date) -> list[AlertItem]:
    """PRC-4: contracts the user may change whose final evaluation is due within the reminder window, or overdue."""
    from . import rules, selectors
    from .models import Contract

    out = []
    for due in selectors.final_evaluations_due(Contract.objects.restrict(user, CHANGE), today=today):
        label = _gettext("overdue") if due.state == rules.OVERDUE else _gettext("due")
        out.append(
            AlertItem(
                key=f"prc4:{due.state}:{due.contract.pk}",
                title=f"{due.contract.number} · {due.contract.provider} ({label})",
                url=due.contract.get_absolute_url(),
                due_on=due.due,
            )
        )
    return out


def register() -> None:
    alert_source_register(
        AlertSource(
            code="prc4_evaluations_due",
            label=_("Final evaluations due"),
            rule="PRC-4",
            items=evaluations_due_items,
            list_url=lambda user: reverse("procurement:evaluation_list"),
            applies=purchases_services,
            order=50,
        )
    )
    quick_action_register(
        QuickAction(
            "project_create",
            _("New procurement project"),
            "procurement:project_create",
            purchases_services,
            icon="briefcase",
            order=70,
        )
    )

"""The workforce app's alert sources for the workbench (``network.workbench``): qualification deadlines due or
overdue (PRC-2), re-registrations due in the months before a registration expires, understaffed stations (PRC-2).
Each calls the one rule function its list page calls. Registered in ``WorkforceConfig.ready``; quick actions too."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from network.roles import does_field_work, may_write
from network.scope import VIEW
from network.workbench import AlertItem, AlertSource, QuickAction, alert_source_register, quick_action_register


def qualification_deadline_items(user, today: datetime.date) -> list[AlertItem]:
    """PRC-2: uncertified stationed workers due to qualify within the warning window, or overdue."""
    from . import rules, selectors
    from .models import Assignment

    out = []
    for d in selectors.qualification_deadlines(Assignment.objects.restrict(user, VIEW), today):
        overdue = d.state == rules.OVERDUE
        label = _gettext("overdue") if overdue else _gettext("due")
        out.append(
            AlertItem(
                key=f"prc2:{d.state}:{d.assignment.pk}",
                title=f"{d.worker.name} · {d.station} ({label})",
                url=reverse("workforce:worker_detail", args=[d.worker.pk]),
                due_on=d.deadline,
            )
        )
    return out


def reregistration_items(user, today: datetime.date) -> list[AlertItem]:
    """Registrations in the national system due for renewal (or lapsed), as the re-registration list shows."""
    from . import selectors
    from .models import Qualification

    return [
        AlertItem(
            key=f"qual:rereg:{r.qualification.pk}:{r.expires_on.isoformat()}",
            title=f"{r.qualification.worker.name} · {r.qualification.get_grade_display()}",
            url=reverse("workforce:worker_detail", args=[r.qualification.worker_id]),
            due_on=r.expires_on,
        )
        for r in selectors.registration_reminders(Qualification.objects.restrict(user, VIEW), today)
    ]


def understaffed_items(user, today: datetime.date) -> list[AlertItem]:
    """PRC-2: stations in the user's places with fewer stationed workers today than the setting asks."""
    from stations.models import Station

    from . import selectors

    stations = Station.objects.restrict(user, VIEW).select_related("place")
    return [
        AlertItem(
            key=f"prc2:understaffed:{station.pk}",
            title=_gettext("%(station)s: %(n)s stationed") % {"station": station, "n": count},
            url=reverse("stations:station_detail", args=[station.pk]),
            place_code=station.place_id,
        )
        for station, count in selectors.understaffed_stations(stations=stations, on=today)
    ]


def register() -> None:
    from .roster import RosterImport

    alert_source_register(
        AlertSource(
            code="prc2_deadlines",
            label=_("Qualification deadlines due or overdue"),
            rule="PRC-2",
            items=qualification_deadline_items,
            list_url=lambda user: reverse("workforce:deadline_list"),
            applies=does_field_work,
            severity="danger",
            order=20,
        )
    )
    alert_source_register(
        AlertSource(
            code="reregistration_due",
            label=_("Re-registrations due"),
            rule="TGT-CERT",
            items=reregistration_items,
            list_url=lambda user: reverse("workforce:reregistration_list"),
            applies=does_field_work,
            order=30,
        )
    )
    alert_source_register(
        AlertSource(
            code="prc2_understaffed",
            label=_("Understaffed stations"),
            rule="PRC-2",
            items=understaffed_items,
            list_url=lambda user: reverse("network:alert_list", args=["prc2_understaffed"]),
            applies=does_field_work,
            order=40,
        )
    )
    for action in [
        QuickAction(
            "worker_create", _("New worker"), "workforce:worker_create", may_write, icon="person-badge", order=50
        ),
        QuickAction(
            "roster_import",
            _("Import a roster"),
            "workforce:roster_import",
            RosterImport.may_import,
            icon="upload",
            order=60,
        ),
    ]:
        quick_action_register(action)

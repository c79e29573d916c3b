"""What supervision (SUP-1) contributes to the apps below it, from ``SupervisionConfig.ready()``: the supervision
item of the TGT-STD standard check, the station page's SUP-1 panel and the workbench alert from the 20th."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _alert_items(user, today: datetime.date):
    from network.workbench import AlertItem

    from .selectors_supervision import stations_without_supervision

    url = reverse("supervision:log_list")
    for station in stations_without_supervision(user=user, today=today):
        yield AlertItem(
            key=f"sup1:none:{station.pk}:{today:%Y-%m}",
            title=_("%(s)s: no supervision recorded yet in %(m)s (SUP-1)")
            % {"s": station.place.name, "m": f"{today:%Y-%m}"},
            url=f"{url}?station={station.pk}",
            due_on=today.replace(day=28),
            place_code=station.place_id,
        )


def _alert_applies(user) -> bool:
    from network.roles import may_confirm_supervision, may_record_supervision

    return may_record_supervision(user) or may_confirm_supervision(user)


def ready() -> None:
    from network.workbench import AlertSource, alert_source_register
    from stations.panels import StationPanel, station_panel_register

    from . import rules_supervision  # noqa: F401  (registers the TGT-STD supervision item)
    from .views_supervision import station_panel_context

    station_panel_register(
        StationPanel("supervision", "supervision/supervision/station_panel.html", station_panel_context, order=50)
    )
    alert_source_register(
        AlertSource(
            code="sup1-no-supervision",
            label=gettext_lazy("Stations without supervision this month"),
            rule="SUP-1",
            items=_alert_items,
            list_url=lambda user: reverse("supervision:heat_map"),
            applies=_alert_applies,
            severity="warning",
            order=60,
        )
    )

"""Reads of the training area: each stationed worker's SUP-2 standing (``supervision.rules_training``), scoped
through the one primitive. The shortfall list, the worker's training page, the alert, the API and the
indicator's explanation page all read ``training_standings``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.models import Station
from workforce.choices import AssignmentRole
from workforce.models import Assignment, Worker

from .models import Attendance
from .rules_training import Standing, sup2_annual_hours, sup2_standing, sup2_window


@dataclass(frozen=True)
class StandingRow:
    """A standing with what the pages show of it."""

    standing: Standing
    worker: Worker
    station: Station | None

    def __getattr__(self, name):
        return getattr(self.standing, name)


def _h(value) -> str:
    return "" if value is None else f"{value:.1f}"


STANDING_HEADERS = [
    gettext_lazy("Worker"),
    gettext_lazy("County-level unit"),
    gettext_lazy("Station"),
    gettext_lazy("Days stationed"),
    gettext_lazy("Hours required (pro rata)"),
    gettext_lazy("Hours done"),
    gettext_lazy("Short by (hours)"),
    gettext_lazy("Meets SUP-2"),
]


def standing_cells(r) -> list:
    station = r.station.place if r.station else None
    return [
        r.worker.name,
        station.parent.name if station and station.parent else "",
        station.name if station else "",
        r.stationed_days,
        _h(r.required),
        _h(r.hours),
        _h(r.shortfall),
        _("Yes") if r.meets else _("No"),
    ]


def default_as_of(year: int, today: datetime.date | None = None) -> datetime.date:
    """31 December for a closed year; today for the open one."""
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), today)


def training_standings(
    *,
    user,
    year: int,
    as_of: datetime.date | None = None,
    place_prefix: str = "",
    station_id: int | None = None,
    worker_ids=None,
) -> list[StandingRow]:
    """SUP-2 for every worker stationed in the window at a station the user may see (under ``place_prefix``),
    each counted at the station of their last assignment in the window (as the indicator counts them)."""
    as_of = as_of or default_as_of(year)
    first, last = sup2_window(year, as_of)
    running = Q(role=AssignmentRole.STATIONED, start_on__lte=last) & (Q(end_on__isnull=True) | Q(end_on__gte=first))
    visible = Assignment.objects.restrict(user).filter(running)
    if place_prefix:
        visible = visible.filter(station__place__code__startswith=place_prefix)
    if station_id:
        visible = visible.filter(station_id=station_id)
    if worker_ids is not None:
        visible = visible.filter(worker_id__in=worker_ids)
    visible_stations = set(visible.values_list("station_id", flat=True).distinct())
    ids = visible.values("worker_id")
    spans: dict[int, list] = defaultdict(list)
    for row in Assignment.objects.filter(running, worker_id__in=ids).values_list(
        "id", "worker_id", "station_id", "start_on", "end_on"
    ):
        spans[row[1]].append((row[0], row[2], row[3], row[4]))
    hours = dict(
        Attendance.objects.filter(worker_id__in=list(spans), attended_on__gte=first, attended_on__lte=last)
        .values("worker_id")
        .annotate(h=Sum("hours"))
        .values_list("worker_id", "h")
    )
    annual = sup2_annual_hours()
    standings = []
    for worker_id, assignments in spans.items():
        s = sup2_standing(
            worker_id=worker_id,
            assignments=assignments,
            hours=hours.get(worker_id, Decimal(0)),
            year=year,
            as_of=as_of,
            annual=annual,
        )
        if s is not None and s.station_id in visible_stations:
            standings.append(s)
    workers = Worker.objects.select_related("place").in_bulk([s.worker_id for s in standings])
    stations = Station.objects.select_related("place", "place__parent").in_bulk({s.station_id for s in standings})
    rows = [StandingRow(s, workers[s.worker_id], stations.get(s.station_id)) for s in standings]
    rows.sort(key=lambda r: (-r.shortfall, r.station.place_id if r.station else "", r.worker.name, r.worker_id))
    return rows


def worker_standing(*, worker: Worker, year: int, as_of: datetime.date | None = None) -> Standing | None:
    """SUP-2 for one worker the caller may already see (the worker's training page)."""
    as_of = as_of or default_as_of(year)
    first, last = sup2_window(year, as_of)
    assignments = list(
        Assignment.objects.filter(worker=worker, role=AssignmentRole.STATIONED, start_on__lte=last)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=first))
        .values_list("id", "station_id", "start_on", "end_on")
    )
    hours = Attendance.objects.filter(worker=worker, attended_on__gte=first, attended_on__lte=last).aggregate(
        h=Sum("hours")
    )["h"]
    return sup2_standing(worker_id=worker.pk, assignments=assignments, hours=hours or 0, year=year, as_of=as_of)


def training_shortfall_items(user, today: datetime.date):
    """The workbench alert (SUP-2): from the alert day of the year (1 October by default, rule settings), each
    worker stationed this year in the user's places whose hours attended to date are below the pro-rata path."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from network.workbench import AlertItem

    from .rules_training import sup2_alert_from

    if today < sup2_alert_from(today.year):
        return []
    items = []
    for r in training_standings(user=user, year=today.year, as_of=today):
        if r.meets:
            continue
        items.append(
            AlertItem(
                key=f"sup2:short:{r.worker_id}:{today.year}",
                title=_("%(name)s: %(done)s of %(required)s training hours by today, short by %(short)s")
                % {
                    "name": r.worker.name,
                    "done": f"{r.hours:.1f}",
                    "required": f"{r.required:.1f}",
                    "short": f"{r.shortfall:.1f}",
                },
                url=reverse("supervision:worker_training", args=[r.worker_id]),
                due_on=datetime.date(today.year, 12, 31),
                place_code=r.station.place_id if r.station else "",
            )
        )
    return items

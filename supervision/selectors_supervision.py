"""Reads of supervision (SUP-1): a supervisor's seniority and coverage, the heat map, a station's status, the
alert, the supervisors of a plan. Every list goes through ``restrict``; the rule is ``rules_supervision``'s."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Min, OuterRef, Q, QuerySet, Subquery

from network.choices import PlaceLevel
from network.models import Place
from stations.choices import COUNTED_STATUSES
from stations.models import Station, StationStatusChange
from workforce.choices import AssignmentRole
from workforce.models import Assignment, Qualification, Worker
from workforce.selectors import active_on_q

from . import rules_supervision as rules
from .choices_supervision import LogStatus, MonthState
from .models import SupervisionLog, SupervisionPlan

# --- supervisors ----------------------------------------------------------------------------------------------


def worker_grade_on(worker_id: int, on: datetime.date) -> int | None:
    """The highest qualification grade the worker holds on the date (TGT-CERT validity), or None."""
    return (
        Qualification.objects.filter(worker_id=worker_id, obtained_on__lte=on)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))
        .aggregate(g=Max("grade"))["g"]
    )


def worker_first_assignment(worker_id: int) -> datetime.date | None:
    return Assignment.objects.filter(worker_id=worker_id).aggregate(first=Min("start_on"))["first"]


def supervisor_is_senior(worker: Worker, on: datetime.date) -> bool:
    """SUP-1: whether the worker is senior on the date (``rules_supervision.sup1_senior``)."""
    return rules.sup1_senior(
        grade=worker_grade_on(worker.pk, on), first_assignment=worker_first_assignment(worker.pk), on=on
    )


def supervisor_assignment(*, worker_id: int, station_id: int, on: datetime.date) -> Assignment | None:
    """The supervisor assignment of the worker at the station running on the date (None: not covered)."""
    return (
        Assignment.objects.filter(active_on_q(on), worker_id=worker_id, station_id=station_id)
        .filter(role=AssignmentRole.SUPERVISOR)
        .select_related("organisation")
        .order_by("-start_on")
        .first()
    )


def supervisor_load(worker_id: int, on: datetime.date) -> int:
    """SUP-1: the distinct stations the worker supervises on the date."""
    return (
        Assignment.objects.filter(active_on_q(on), worker_id=worker_id, role=AssignmentRole.SUPERVISOR)
        .values("station_id")
        .distinct()
        .count()
    )


@dataclass
class PlanSupervisor:
    worker: Worker
    assignments: list = field(default_factory=list)
    senior: bool = True
    load: int = 0
    flag: str | None = None


def plan_supervisors(plan: SupervisionPlan, *, on: datetime.date, user=None) -> list[PlanSupervisor]:
    """The plan's supervisors: the provider's supervisor assignments overlapping the plan's period (at the
    contract's stations when the plan has a contract), each supervisor with the stations covered, seniority on
    the date (or the plan's start) and the SUP-1 load flag. With ``user``, only the assignments that user may see
    (a station worker reads its own station's supervisor, never the names of the county's others)."""
    from workforce.rules import sup1_load_flag

    qs = (
        (Assignment.objects.restrict(user) if user is not None else Assignment.objects.all())
        .filter(role=AssignmentRole.SUPERVISOR, organisation_id=plan.organisation_id)
        .filter(start_on__lte=plan.end_on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=plan.start_on))
        .select_related("worker", "station__place")
        .order_by("worker__name", "station__place__code", "start_on")
    )
    if plan.contract_id:
        qs = qs.filter(station__contracts=plan.contract_id)
    else:
        qs = qs.filter(station__place__parent_id=plan.county_id)
    day = min(max(on, plan.start_on), plan.end_on)
    rows: dict[int, PlanSupervisor] = {}
    for a in qs:
        rows.setdefault(a.worker_id, PlanSupervisor(a.worker)).assignments.append(a)
    for row in rows.values():
        row.senior = supervisor_is_senior(row.worker, day)
        row.load = supervisor_load(row.worker.pk, day)
        row.flag = sup1_load_flag(row.load)
    return list(rows.values())


# --- station-months: the heat map, the station page, the alert ----------------------------------------------


def _due_months(histories: dict[int, list[tuple[datetime.date, str]]], station_id: int, months) -> dict:
    """{month: due} for a station from its status history (due: counted status on the month's first day)."""
    entries = histories.get(station_id, [])
    due = {}
    for m in months:
        status = None
        for effective_on, s in entries:  # sorted by date, id
            if effective_on <= m:
                status = s
            else:
                break
        due[m] = status in COUNTED_STATUSES
    return due


def status_histories(station_ids) -> dict[int, list[tuple[datetime.date, str]]]:
    out: dict[int, list] = defaultdict(list)
    rows = (
        StationStatusChange.objects.filter(station_id__in=list(station_ids))
        .order_by("station_id", "effective_on", "id")
        .values_list("station_id", "effective_on", "status")
    )
    for sid, day, status in rows:
        out[sid].append((day, status))
    return out


def month_sessions(station_ids, first: datetime.date, last: datetime.date) -> dict:
    """{(station id, month): [Session]} for the logs of the stations with a first day in [first, last]."""
    out: dict = defaultdict(list)
    rows = SupervisionLog.objects.filter(
        station_id__in=list(station_ids), held_on__gte=first, held_on__lte=last
    ).values_list("station_id", "held_on", "hours", "status")
    for sid, day, hours, status in rows:
        out[(sid, rules.month_start(day))].append(rules.Session(hours, status == LogStatus.CONFIRMED))
    return out


@dataclass
class HeatRow:
    station: Station
    cells: list  # [(month, MonthState, sessions)]


def heat_map(*, user, county: Place, year: int, today: datetime.date) -> list[HeatRow]:
    """SUP-1 per station and month of the year for the stations of the county the user may see: three queries
    whatever the number of stations."""
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    stations = list(
        Station.objects.restrict(user).filter(place__parent=county).select_related("place").order_by("place__code")
    )
    ids = [s.pk for s in stations]
    histories = status_histories(ids)
    sessions = month_sessions(ids, months[0], rules.month_end(months[-1]))
    numbers = rules.sup1_numbers()
    rows = []
    for s in stations:
        due = _due_months(histories, s.pk, months)
        cells = []
        for m in months:
            found = sessions.get((s.pk, m), [])
            state = rules.sup1_month_state(sessions=found, due=due[m], month=m, today=today, numbers=numbers)
            cells.append((m, state, len(found)))
        rows.append(HeatRow(s, cells))
    return rows


def station_recent_months(station: Station, *, today: datetime.date, count: int = 6) -> list:
    """SUP-1 for the station's last ``count`` months up to this one: [(month, MonthState, sessions)]."""
    months = [rules.month_start(today) - relativedelta(months=i) for i in range(count - 1, -1, -1)]
    histories = status_histories([station.pk])
    due = _due_months(histories, station.pk, months)
    sessions = month_sessions([station.pk], months[0], rules.month_end(months[-1]))
    numbers = rules.sup1_numbers()
    return [
        (
            m,
            rules.sup1_month_state(
                sessions=sessions.get((station.pk, m), []), due=due[m], month=m, today=today, numbers=numbers
            ),
            len(sessions.get((station.pk, m), [])),
        )
        for m in months
    ]


def stations_without_supervision(*, user, today: datetime.date) -> QuerySet:
    """The alert (from ``SUP-1.alert_day``): stations the user may see, due this month (counted status on its
    first day), with no supervision session recorded yet this month. Empty before the alert day."""
    if today.day < rules_alert_day():
        return Station.objects.none()
    first = rules.month_start(today)
    latest = (
        StationStatusChange.objects.filter(station_id=OuterRef("pk"), effective_on__lte=first)
        .order_by("-effective_on", "-id")
        .values("status")[:1]
    )
    logged = SupervisionLog.objects.filter(held_on__gte=first, held_on__lte=rules.month_end(first)).values("station_id")
    return (
        Station.objects.restrict(user)
        .annotate(status_first=Subquery(latest))
        .filter(status_first__in=COUNTED_STATUSES)
        .exclude(pk__in=logged)
        .select_related("place__parent")
        .order_by("place__code")
    )


def rules_alert_day() -> int:
    from network.rule_settings import rule_int

    return rule_int("SUP-1.alert_day")


def counties_of(user, within: str = "") -> QuerySet:
    """The county-level units with a station the user may see, below a code prefix (the heat map's choice)."""
    seen = Station.objects.restrict(user).filter(place__code__startswith=within).values("place__parent_id")
    return Place.objects.filter(level=PlaceLevel.COUNTY, code__startswith=within, code__in=seen).order_by("code")


__all__ = ["MonthState"]

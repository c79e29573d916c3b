"""Workforce rules, each in one place: PRC-2 (qualification deadline, stationed workers per station, the
stationed-workers item of the TGT-STD standard check, one stationing at a time), SUP-1 (the stations one
supervisor covers), TGT-ORG (organisations counted).

Each rule has a Python form (pages, imports, the API, the explanation pages) and, where the indicator
recompute needs one, a set-based SQL form built from the same numbers; ``tests/workforce/test_rules.py``
keeps the two identical on generated data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.rule_settings import PLAN_FIRST_YEAR, PLAN_LAST_YEAR, rule_int
from stations.rules import StandardItemSpec, service_workers_register, standard_item_register

from .choices import AssignmentRole
from .models import Assignment, Organisation

# --- PRC-2: each stationed worker qualifies within N months ---------------------------------------------------
#
# The clock starts on the worker's first day as a stationed worker at any station (the earliest start of
# their stationed assignments); moving to another station, or a break between stationings, does not
# restart it. The deadline is that day plus ``PRC-2.qualify_within_months`` (24) calendar months (a
# start on 31 Aug gives 31 Aug; on 29 Feb, 28 Feb). A worker is **overdue** on a date when, on that date,
# they are stationed at a station, the deadline lies before the date, and they hold no valid
# qualification (TGT-CERT: obtained on or before the date and not revoked by it). So a worker who
# qualified within the months is never overdue; one who qualified late is overdue from the day after the
# deadline until the day before the certificate; one whose certificate is later revoked is overdue again
# while stationed without one.

OVERDUE, DUE_SOON, ON_TRACK = "overdue", "due_soon", "on_track"


def prc2_deadline(clock_start: datetime.date) -> datetime.date:
    """PRC-2: the date by which a stationed worker whose clock started on ``clock_start`` must qualify."""
    return clock_start + relativedelta(months=rule_int("PRC-2.qualify_within_months"))


def prc2_clock_start(stationed_starts) -> datetime.date | None:
    """PRC-2: the first day as a stationed worker at any station (None when never stationed)."""
    starts = [d for d in stationed_starts if d is not None]
    return min(starts) if starts else None


def prc2_overdue(*, clock_start: datetime.date | None, stationed: bool, certified: bool, on: datetime.date) -> bool:
    """PRC-2: whether a worker is overdue on ``on`` (see the rule above)."""
    return bool(stationed and not certified and clock_start is not None and prc2_deadline(clock_start) < on)


def prc2_state(*, clock_start: datetime.date, on: datetime.date) -> str:
    """For an uncertified stationed worker: overdue, due within ``PRC-2.deadline_warning_days``, or on track."""
    deadline = prc2_deadline(clock_start)
    if deadline < on:
        return OVERDUE
    if deadline <= on + datetime.timedelta(days=rule_int("PRC-2.deadline_warning_days")):
        return DUE_SOON
    return ON_TRACK


def prc2_clock_start_subquery(worker_ref: str = "worker_id") -> Subquery:
    """The clock start of the worker ``OuterRef(worker_ref)`` as a subquery (for annotations)."""
    return Subquery(
        Assignment.objects.filter(worker_id=OuterRef(worker_ref), role=AssignmentRole.STATIONED)
        .values("worker_id")
        .annotate(first=Min("start_on"))
        .values("first")[:1]
    )


def prc2_clock_start_sql(worker: str) -> str:
    """SQL for the clock start of the worker whose id is the SQL expression ``worker``."""
    return (
        f"(SELECT min(a0.start_on) FROM {Assignment._meta.db_table} a0 "
        f"WHERE a0.worker_id = {worker} AND a0.role = '{AssignmentRole.STATIONED.value}')"
    )


def prc2_overdue_sql(*, worker: str, on: str) -> tuple[str, list]:
    """PRC-2 in SQL: the condition that the worker (SQL expression ``worker``), stationed on the date ``on``,
    is overdue on it: the deadline lies before the date and no certified period (``workforce.CertifiedSpan``,
    the TGT-CERT validity) covers the date. Returns (sql, params)."""
    from .models import CertifiedSpan

    deadline = f"({prc2_clock_start_sql(worker)} + make_interval(months => %s))::date"
    return (
        f"{deadline} < {on} AND NOT EXISTS (SELECT 1 FROM {CertifiedSpan._meta.db_table} cs0 "
        f"WHERE cs0.worker_id = {worker} AND cs0.start_on <= {on} AND (cs0.end_on IS NULL OR cs0.end_on > {on}))",
        [rule_int("PRC-2.qualify_within_months")],
    )


def prc2_uncertified_stationed(assignments: QuerySet, on: datetime.date) -> QuerySet:
    """Stationed assignments running on the date whose worker holds no valid qualification on it, with the
    worker's PRC-2 clock start annotated as ``clock_start``."""
    from .selectors import active_on_q, certified_worker_ids_on

    return (
        assignments.filter(active_on_q(on), role=AssignmentRole.STATIONED)
        .exclude(worker_id__in=certified_worker_ids_on(on))
        .annotate(clock_start=prc2_clock_start_subquery())
    )


def prc2_overdue_assignments(assignments: QuerySet, on: datetime.date) -> list[Assignment]:
    """PRC-2: the stationed assignments (of the given queryset) whose worker is overdue on the date, each
    with ``clock_start`` and ``deadline`` set. The explanation page and the deadline list use this."""
    months = rule_int("PRC-2.qualify_within_months")
    # A clock started after this day cannot have passed its deadline (slack for month ends, refined below).
    latest = on - relativedelta(months=months) + datetime.timedelta(days=3)
    rows = []
    qs = prc2_uncertified_stationed(assignments, on).filter(clock_start__lte=latest)
    for a in qs.select_related("worker", "station__place__parent", "organisation").order_by("clock_start", "id"):
        if prc2_overdue(clock_start=a.clock_start, stationed=True, certified=False, on=on):
            a.deadline = prc2_deadline(a.clock_start)
            rows.append(a)
    return rows


# --- PRC-2: at least N stationed workers per station, an item of the standard check (TGT-STD) ----------------

STATIONED_WORKERS_ITEM = "stationed_workers"


def prc2_stationed_count(*, station_id: int, on: datetime.date) -> int:
    """PRC-2: the distinct workers stationed at the station on the date (assignments run from ``start_on`` to
    ``end_on`` inclusive, open-ended while ``end_on`` is empty)."""
    from .selectors import active_on_q

    return (
        Assignment.objects.filter(active_on_q(on), station_id=station_id, role=AssignmentRole.STATIONED)
        .values("worker_id")
        .distinct()
        .count()
    )


def prc2_stationed_count_sql(*, station: str, on: str) -> str:
    """The same count in SQL for the station id and date expressions."""
    return (
        f"(SELECT count(DISTINCT a1.worker_id) FROM {Assignment._meta.db_table} a1 WHERE a1.station_id = {station} "
        f"AND a1.role = '{AssignmentRole.STATIONED.value}' AND a1.start_on <= {on} "
        f"AND (a1.end_on IS NULL OR a1.end_on >= {on}))"
    )


def _stationed_item_check(station, on, memo):
    needed = rule_int("PRC-2.workers_per_station")
    n = prc2_stationed_count(station_id=station.pk, on=on)
    return n >= needed, _("%(n)s stationed, at least %(m)s required") % {"n": n, "m": needed}


def _stationed_item_sql(station: str, on: str) -> str:
    return f"{prc2_stationed_count_sql(station=station, on=on)} >= {rule_int('PRC-2.workers_per_station')}"


standard_item_register(
    StandardItemSpec(
        code=STATIONED_WORKERS_ITEM,
        label=gettext_lazy("Stationed social workers"),
        rule="PRC-2",
        order=80,
        check=_stationed_item_check,
        sql=_stationed_item_sql,
    )
)


# --- Assignments: PRC-2 one stationing at a time, SUP-1 the supervisor's load --------------------------------
#
# A stationed worker is stationed at one station at a time: two stationed assignments of one worker may not
# overlap, wherever they are. Supervisor assignments may overlap each other (one supervisor covers several
# stations, SUP-1) and may overlap a stationing; the same assignment (same station, same role) is never
# recorded twice for overlapping periods. A supervisor covers at most ``SUP-1.stations_per_supervisor_max``
# (8) stations at any one time — an assignment that would make it more is refused — and at least
# ``SUP-1.stations_per_supervisor_min`` (2): fewer is flagged, not refused (a supervisor's second station is
# often assigned after the first).


@dataclass(frozen=True)
class AssignmentSpan:
    """An assignment's station, role and period (``end_on`` inclusive, open while empty); ``label`` says
    where it is recorded (for the roster import: the row)."""

    station_id: int
    role: str
    start_on: datetime.date
    end_on: datetime.date | None = None
    label: str = ""

    @classmethod
    def of(cls, assignment, label: str = "") -> AssignmentSpan:
        return cls(assignment.station_id, assignment.role, assignment.start_on, assignment.end_on, label)

    def covers(self, day: datetime.date) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on >= day)

    def overlaps(self, other: AssignmentSpan) -> bool:
        return (self.end_on is None or self.end_on >= other.start_on) and (
            other.end_on is None or other.end_on >= self.start_on
        )


def prc2_assignment_conflict(candidate: AssignmentSpan, others: Iterable[AssignmentSpan]) -> AssignmentSpan | None:
    """PRC-2: the first of the worker's other assignments the candidate may not overlap — another stationing
    (at any station), or the same station in the same role — or None."""
    stationed = AssignmentRole.STATIONED.value
    for other in others:
        if not candidate.overlaps(other):
            continue
        if candidate.role == stationed and other.role == stationed:
            return other
        if other.station_id == candidate.station_id and other.role == candidate.role:
            return other
    return None


def sup1_peak_load(candidate: AssignmentSpan, others: Iterable[AssignmentSpan]) -> tuple[int, datetime.date]:
    """SUP-1: the most stations the worker would supervise at once during the candidate's period (the
    candidate included), and the first day that many are reached."""
    supervising = [o for o in others if o.role == AssignmentRole.SUPERVISOR and o.overlaps(candidate)]
    supervising.append(candidate)
    best = (0, candidate.start_on)
    for day in sorted({max(o.start_on, candidate.start_on) for o in supervising}):
        stations = {o.station_id for o in supervising if o.covers(day) and candidate.covers(day)}
        if len(stations) > best[0]:
            best = (len(stations), day)
    return best


def sup1_overload_problem(candidate: AssignmentSpan, others: Iterable[AssignmentSpan]) -> str | None:
    """SUP-1: why a supervisor assignment is refused (more stations at once than the setting allows)."""
    if candidate.role != AssignmentRole.SUPERVISOR:
        return None
    peak, day = sup1_peak_load(candidate, others)
    maximum = rule_int("SUP-1.stations_per_supervisor_max")
    if peak <= maximum:
        return None
    return _(
        "SUP-1: one supervisor covers at most %(max)s stations at a time; with this assignment the worker "
        "would supervise %(n)s stations on %(d)s."
    ) % {"max": maximum, "n": peak, "d": day}


def assignment_rules_problem(
    *, candidate: AssignmentSpan, others: Iterable[AssignmentSpan], station_name: Callable[[int], str]
) -> str | None:
    """PRC-2 and SUP-1 for a new or changed assignment against the worker's other assignments: the message
    that refuses it, or None. The form, the API (``services.assignment_check``) and the roster import call it."""
    others = list(others)
    conflict = prc2_assignment_conflict(candidate, others)
    if conflict is not None:
        message = _(
            "PRC-2: the worker is already assigned to %(station)s from %(start)s%(end)s; the periods overlap."
        ) % {
            "station": station_name(conflict.station_id) or "",
            "start": conflict.start_on,
            "end": _(" to %(d)s") % {"d": conflict.end_on} if conflict.end_on else "",
        }
        return f"{message} ({conflict.label})" if conflict.label else message
    return sup1_overload_problem(candidate, others)


def sup1_load_flag(stations: int) -> str | None:
    """SUP-1: a supervisor covering fewer stations than ``SUP-1.stations_per_supervisor_min`` is flagged."""
    minimum = rule_int("SUP-1.stations_per_supervisor_min")
    if 0 < stations < minimum:
        return _("SUP-1: supervises %(n)s station(s); one supervisor covers %(a)s–%(b)s stations.") % {
            "n": stations,
            "a": minimum,
            "b": rule_int("SUP-1.stations_per_supervisor_max"),
        }
    return None


def sup1_loads(*, on: datetime.date, assignments: QuerySet | None = None) -> dict[int, int]:
    """SUP-1: {worker id: distinct stations supervised on the date} for the supervisor assignments given
    (default all); one query."""
    from django.db.models import Count

    from .selectors import active_on_q

    qs = Assignment.objects.all() if assignments is None else assignments
    rows = (
        qs.filter(active_on_q(on), role=AssignmentRole.SUPERVISOR)
        .values("worker_id")
        .annotate(n=Count("station_id", distinct=True))
    )
    return {r["worker_id"]: r["n"] for r in rows}


def sup1_underloaded(*, on: datetime.date, within: str = "", assignments: QuerySet | None = None) -> list:
    """SUP-1: (worker, stations supervised on the date) for every supervisor who supervises a station below
    ``within`` on the date and covers fewer stations than the minimum (counting all their stations)."""
    from .models import Worker
    from .selectors import active_on_q

    qs = Assignment.objects.all() if assignments is None else assignments
    here = qs.filter(active_on_q(on), role=AssignmentRole.SUPERVISOR)
    if within:
        here = here.filter(station__place__code__startswith=within)
    ids = set(here.values_list("worker_id", flat=True))
    loads = sup1_loads(on=on, assignments=Assignment.objects.filter(worker_id__in=ids))
    minimum = rule_int("SUP-1.stations_per_supervisor_min")
    low = [pk for pk, n in loads.items() if n < minimum]
    workers = Worker.objects.filter(pk__in=low).select_related("place").order_by("place_id", "name")
    return [(w, loads[w.pk]) for w in workers]


# --- TGT-ORG: social-work service organisations incubated during the plan ------------------------------------
#
# An organisation counts for a county-level unit when its registered business scope includes social-work
# services and it was incubated during the plan's years (2021–2023) up to the year asked about: the count
# for 2022 is those incubated in 2021 and 2022; for 2023 and every later year, those of 2021–2023.


def tgt_org_years(as_of_year: int) -> tuple[int, int]:
    """TGT-ORG: the incubation years counted for the given year (an empty range before the plan)."""
    return PLAN_FIRST_YEAR, min(as_of_year, PLAN_LAST_YEAR)


def tgt_org_counts(*, incubated_year: int | None, scope_includes_social_work: bool, as_of_year: int) -> bool:
    """TGT-ORG: whether one organisation counts for the year."""
    first, last = tgt_org_years(as_of_year)
    return bool(scope_includes_social_work and incubated_year is not None and first <= incubated_year <= last)


def tgt_org_organisations(*, as_of_year: int, within: str = "", qs: QuerySet | None = None) -> QuerySet:
    """TGT-ORG: the organisations that count for the year (optionally below a division-code prefix)."""
    first, last = tgt_org_years(as_of_year)
    qs = Organisation.objects.all() if qs is None else qs
    qs = qs.filter(Q(scope_includes_social_work=True), incubated_year__gte=first, incubated_year__lte=last)
    if within:
        qs = qs.filter(county__code__startswith=within)
    return qs


def tgt_org_sql(*, org: str, year: str) -> str:
    """TGT-ORG in SQL: the organisation alias ``org`` counts for the year expression ``year``."""
    return (
        f"{org}.scope_includes_social_work AND {org}.incubated_year >= {PLAN_FIRST_YEAR} "
        f"AND {org}.incubated_year <= least({year}, {PLAN_LAST_YEAR})"
    )


# --- SRV-3 / PRC-2: who may be named on a service record -----------------------------------------------------


def srv_prc2_stationed_workers(*, station_id: int | None, on: datetime.date) -> QuerySet:
    """SRV-3/PRC-2: the workers stationed at the station on the day (a stationed assignment covering it; no
    station: at any station). The service-record form offers only these, and the service refuses any other
    (``stations.rules``)."""
    from django.db.models import Exists

    from .models import Worker

    covering = Assignment.objects.filter(worker=OuterRef("pk"), role=AssignmentRole.STATIONED, start_on__lte=on).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=on)
    )
    if station_id is not None:
        covering = covering.filter(station_id=station_id)
    return Worker.objects.filter(Exists(covering))


service_workers_register(srv_prc2_stationed_workers)

"""Reads on the workforce: certified counts (TGT-CERT, TGT-EVERY), staffing (PRC-2), deadlines, reminders.

Everything here is set-based: counts are computed by the database in one statement, never by
looping over workers in Python, so the same functions serve a county page and a 1,000,000-worker
city (see ``manage.py bench_workforce``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery

from network.choices import PlaceLevel
from network.models import Place
from network.rule_settings import rule_int, rule_value

from . import rules
from .choices import AssignmentRole
from .models import Assignment, CertifiedSpan, Qualification, Specialisation, SpecialisationCategory, Worker

FIRST_YEAR = 2020  # the plan's baseline year (TGT-CERT, TGT-COV)


# --- TGT-CERT: who is certified on a date -------------------------------------------------------------------


def certified_q(on: datetime.date, prefix: str = "") -> Q:
    """TGT-CERT: a certificate counts from the date obtained until (not including) the date revoked."""
    return Q(**{f"{prefix}obtained_on__lte": on}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": on})
    )


def valid_qualifications_on(on: datetime.date) -> QuerySet:
    return Qualification.objects.filter(certified_q(on))


def certified_worker_ids_on(on: datetime.date) -> QuerySet:
    """TGT-CERT: ids of workers holding at least one certificate valid on the date (each person once)."""
    return valid_qualifications_on(on).values_list("worker_id", flat=True).distinct()


def highest_grade_on(on: datetime.date) -> Subquery:
    """TGT-CERT: the highest grade a worker (``OuterRef('pk')``) holds on the date, or NULL if none."""
    return Subquery(
        valid_qualifications_on(on).filter(worker=OuterRef("pk")).order_by("-grade").values("grade")[:1],
        output_field=IntegerField(),
    )


def worker_grade_on(*, worker: Worker, on: datetime.date) -> int | None:
    """The highest grade one worker holds on a date (TGT-CERT), or None if uncertified."""
    return valid_qualifications_on(on).filter(worker=worker).order_by("-grade").values_list("grade", flat=True).first()


def _certified_counts_by_prefix(dates: list[datetime.date], length: int, within: str = "") -> dict:
    """One statement: per place prefix of ``length`` digits of the worker's place, per date, the number of
    workers holding a valid certificate (TGT-CERT, each person once whatever they hold).

    It counts the derived certified periods (``CertifiedSpan``: a worker's overlapping certificates merged, so one
    worker covers a date at most once) in a single scan with one filtered count per date.
    """
    dates = sorted(set(dates))
    if not dates:
        return {}
    counts, params = [], []
    for on in dates:
        counts.append("SUM(CASE WHEN s.start_on <= %s AND (s.end_on IS NULL OR s.end_on > %s) THEN 1 ELSE 0 END)")
        params += [on, on]
    where, tail = "", [max(dates)]
    if within:
        where = "AND s.place_code LIKE %s"
        tail.append(within + "%")
    sql = (
        f"SELECT SUBSTR(s.place_code, 1, {int(length)}) AS prefix, {', '.join(counts)} "
        f"FROM {CertifiedSpan._meta.db_table} s WHERE s.start_on <= %s {where} GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + tail)
        rows = cursor.fetchall()
    return _by_prefix(rows, dates)


def _by_prefix(rows, dates) -> dict:
    result = {}
    for prefix, *counts in rows:
        code = prefix.ljust(12, "0")
        for on, n in zip(dates, counts, strict=False):
            if n:
                result[(code, on)] = int(n)
    return result


def certified_counts_from_qualifications(dates: list[datetime.date], length: int = 6) -> dict:
    """The same counts computed straight from the certificates (one row per worker, a flag per date); the
    reference the derived periods are checked against in tests and in the benchmark."""
    dates = sorted(set(dates))
    flags, params = [], []
    for i, on in enumerate(dates):
        flags.append(
            f"MAX(CASE WHEN q.obtained_on <= %s AND (q.revoked_on IS NULL OR q.revoked_on > %s) "
            f"THEN 1 ELSE 0 END) AS c{i}"
        )
        params += [on, on]
    sums = ", ".join(f"SUM(x.c{i})" for i in range(len(dates)))
    sql = (
        f"SELECT SUBSTR(w.place_id, 1, {int(length)}), {sums} "
        f"FROM (SELECT q.worker_id, {', '.join(flags)} FROM {Qualification._meta.db_table} q "
        f"      WHERE q.obtained_on <= %s GROUP BY q.worker_id) x "
        f"JOIN {Worker._meta.db_table} w ON w.id = x.worker_id GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, max(dates)])
        return _by_prefix(cursor.fetchall(), dates)


def certified_counts_by_county(dates: list[datetime.date], *, within: str = "") -> dict:
    """TGT-CERT: {(county code, date): certified workers}, each person once, by the county of the worker's place.

    One SQL statement for all dates over the certified periods; absent keys mean zero. ``within`` optionally
    limits to a code prefix.
    """
    return _certified_counts_by_prefix(dates, 6, within)


def township_certified_counts(*, on: datetime.date, within: str = "") -> dict[str, int]:
    """TGT-EVERY: {township code: distinct certified workers} counting those registered in the township and
    those stationed at its station on the date (a person once per township). One statement."""
    from django.db.models import F
    from django.db.models.functions import Substr

    certified = certified_worker_ids_on(on)
    registered = (
        Worker.objects.filter(id__in=certified).annotate(t=Substr("place_id", 1, 9), wid=F("id")).values("t", "wid")
    )
    stationed = (
        stationed_assignments_on(on)
        .filter(worker_id__in=certified)
        .annotate(t=Substr("station__place_id", 1, 9), wid=F("worker_id"))
        .values("t", "wid")
    )
    if within:
        registered = registered.filter(place__code__startswith=within)
        stationed = stationed.filter(station__place__code__startswith=within)
    sql_r, params_r = registered.query.sql_with_params()
    sql_s, params_s = stationed.query.sql_with_params()
    sql = (
        f"SELECT u.t, COUNT(DISTINCT u.wid) FROM (({sql_r}) UNION ({sql_s})) u "
        f"WHERE SUBSTR(u.t, 7, 3) <> '000' GROUP BY u.t"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(params_r) + tuple(params_s))
        return {t.ljust(12, "0"): int(n) for t, n in cursor.fetchall()}


def year_ends(today: datetime.date, first_year: int = FIRST_YEAR) -> list[datetime.date]:
    """Each 31 December from the baseline year up to the last one reached."""
    last = today.year if today >= datetime.date(today.year, 12, 31) else today.year - 1
    return [datetime.date(y, 12, 31) for y in range(first_year, last + 1)]


def certified_counts_by_grade(*, on: datetime.date, within: str = "") -> dict[int, int]:
    """TGT-CERT: certified workers on the date by their highest grade (a person counts once, at the highest)."""
    qs = Worker.objects.all()
    if within:
        qs = qs.filter(place__code__startswith=within)
    rows = qs.annotate(top=highest_grade_on(on)).filter(top__isnull=False).values("top").annotate(n=Count("id"))
    return {r["top"]: r["n"] for r in rows}


def specialisation_counts(*, on: datetime.date, within: str = "") -> dict[str, int]:
    """TGT-SPEC: certified workers holding each specialisation on the date (a worker counts once per category),
    by the place they are registered at — what the TGT-SPEC indicators count; shown on the county page."""
    qs = Specialisation.objects.filter(
        Q(since__lte=on) & (Q(until__isnull=True) | Q(until__gte=on)), worker_id__in=certified_worker_ids_on(on)
    )
    if within:
        qs = qs.filter(worker__place__code__startswith=within)
    return {r["category_id"]: r["n"] for r in qs.values("category_id").annotate(n=Count("worker_id", distinct=True))}


# --- PRC-2: stationed workers and their qualification deadlines ----------------------------------------------


def active_on_q(on: datetime.date, prefix: str = "") -> Q:
    """An assignment runs from ``start_on`` to ``end_on`` inclusive (open-ended while ``end_on`` is empty)."""
    return Q(**{f"{prefix}start_on__lte": on}) & (
        Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gte": on})
    )


def stationed_assignments_on(on: datetime.date) -> QuerySet:
    return Assignment.objects.filter(active_on_q(on), role=AssignmentRole.STATIONED)


def stationed_worker_counts(on: datetime.date) -> dict[int, int]:
    """PRC-2: {station id: distinct stationed workers on the date} (stations without any are absent)."""
    rows = stationed_assignments_on(on).values("station_id").annotate(n=Count("worker_id", distinct=True))
    return {r["station_id"]: r["n"] for r in rows}


def understaffed_stations(*, stations: QuerySet, on: datetime.date) -> list[tuple]:
    """PRC-2: (station, stationed count) for each station with fewer stationed workers than the setting."""
    needed = rule_int("PRC-2.workers_per_station")
    counts = stationed_worker_counts(on)
    return [(s, counts.get(s.pk, 0)) for s in stations if counts.get(s.pk, 0) < needed]


@dataclass
class Deadline:
    """PRC-2: an uncertified stationed worker, the date their clock started and the date they must qualify by."""

    assignment: Assignment
    clock_start: datetime.date
    deadline: datetime.date
    state: str
    days_left: int

    @property
    def worker(self):
        return self.assignment.worker

    @property
    def station(self):
        return self.assignment.station


def qualification_deadlines(qs_assignments: QuerySet, today: datetime.date, *, only_due: bool = True) -> list:
    """PRC-2: uncertified workers stationed on ``today`` with the date by which they must qualify
    (``workforce.rules``: the clock runs from their first day stationed at any station).

    With ``only_due`` (the default) only those due within the warning window (a setting, 90 days) or overdue
    are listed, soonest first. The window is applied in SQL on the clock start so the list stays small.
    """
    qs = rules.prc2_uncertified_stationed(qs_assignments, today)
    if only_due:
        horizon = today + datetime.timedelta(days=rule_int("PRC-2.deadline_warning_days"))
        latest_start = horizon - relativedelta(months=rule_int("PRC-2.qualify_within_months"))
        qs = qs.filter(clock_start__lte=latest_start + datetime.timedelta(days=3))  # month-end slack, refined below
    rows = []
    for a in qs.select_related("worker", "station__place__parent", "organisation").order_by("clock_start", "id"):
        deadline = rules.prc2_deadline(a.clock_start)
        state = rules.prc2_state(clock_start=a.clock_start, on=today)
        if only_due and state == rules.ON_TRACK:
            continue
        rows.append(Deadline(a, a.clock_start, deadline, state, (deadline - today).days))
    return rows


# The contract that employs a stationed worker is kept by procurement (a higher app), which registers how to find
# it: a function of assignment ids and the user asking, giving {assignment id: (contract label, contract page or
# "" when the user may not open it)}. The PRC-2 deadline list shows it beside the provider; without procurement the
# column stays empty.
_ASSIGNMENT_CONTRACTS: list = []


def assignment_contracts_register(lookup) -> None:
    _ASSIGNMENT_CONTRACTS[:] = [lookup]


def assignment_contracts(assignment_ids, *, user) -> dict:
    return _ASSIGNMENT_CONTRACTS[0](list(assignment_ids), user) if _ASSIGNMENT_CONTRACTS else {}


# --- TGT-CERT registration in the national system -------------------------------------------------------------


@dataclass
class Reminder:
    qualification: Qualification
    expires_on: datetime.date
    due_from: datetime.date
    expired: bool


def registration_expiry(registered_on: datetime.date) -> datetime.date:
    return registered_on + relativedelta(years=rule_int("QUAL.registration_valid_years"))


def registration_reminders(qs_qualifications: QuerySet, today: datetime.date) -> list[Reminder]:
    """Registrations valid N years (a setting); re-registration is due in the M months before expiry.

    Lists unrevoked qualifications whose re-registration is due (or whose registration has lapsed), soonest first.
    """
    years = rule_int("QUAL.registration_valid_years")
    months = rule_int("QUAL.reregistration_window_months")
    # due_from = registered_on + years - months <= today  <=>  registered_on <= today - years + months
    latest = today - relativedelta(years=years) + relativedelta(months=months) + datetime.timedelta(days=3)
    qs = (
        qs_qualifications.filter(registered_on__isnull=False, registered_on__lte=latest)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))
        .select_related("worker__place")
    )
    rows = []
    for q in qs.order_by("registered_on", "id"):
        expires = registration_expiry(q.registered_on)
        due_from = expires - relativedelta(months=months)
        if due_from <= today:
            rows.append(Reminder(q, expires, due_from, expires <= today))
    return rows


# --- Pages ------------------------------------------------------------------------------------------------------


def county_workforce(*, county: Place, today: datetime.date) -> dict:
    """The county workforce page: TGT-CERT counts now and at each 31 December, TGT-EVERY by township,
    TGT-ORG incubated organisations, PRC-2 staffing and deadlines."""
    from stations.models import Station

    prefix = county.prefix
    ends = year_ends(today)
    by_county = certified_counts_by_county([*ends, today], within=prefix)
    county_code = county.code
    townships = list(Place.objects.filter(parent=county, level=PlaceLevel.TOWNSHIP).order_by("code"))
    covered = township_certified_counts(on=today, within=prefix)
    township_rows = [{"place": t, "certified": covered.get(t.code, 0)} for t in townships]
    stations = Station.objects.filter(place__parent=county).select_related("place")
    incubated = list(
        rules.tgt_org_organisations(as_of_year=today.year, within=prefix).order_by("incubated_year", "name")
    )
    grades = certified_counts_by_grade(on=today, within=prefix)
    certified_now = by_county.get((county_code, today), 0)
    specialised = specialisation_counts(on=today, within=prefix)
    categories = SpecialisationCategory.objects.filter(in_plan=True).order_by("code")
    return {
        "county": county,
        "today": today,
        "certified_now": certified_now,
        "year_ends": [(d, by_county.get((county_code, d), 0)) for d in ends],
        "specialisations": [
            {
                "category": c,
                "n": specialised.get(c.code, 0),
                "share": round(100 * specialised.get(c.code, 0) / certified_now, 1) if certified_now else None,
            }
            for c in categories
        ],
        "spec_min_share": rule_value("TGT-SPEC.min_share"),
        "grades": grades,
        "townships": township_rows,
        "townships_covered": sum(1 for r in township_rows if r["certified"]),
        "understaffed": understaffed_stations(stations=stations, on=today),
        "workers_per_station": rule_int("PRC-2.workers_per_station"),
        "incubated": incubated,
        "incubated_target": rule_int("TGT-ORG.per_county"),
        "incubated_years": rules.tgt_org_years(today.year),
        "sup1_underloaded": rules.sup1_underloaded(on=today, within=prefix),
        "sup1_min": rule_int("SUP-1.stations_per_supervisor_min"),
        "sup1_max": rule_int("SUP-1.stations_per_supervisor_max"),
        "deadlines": qualification_deadlines(Assignment.objects.filter(station__place__parent=county), today),
    }


def city_workforce(*, counties: list[Place], today: datetime.date) -> dict:
    """The city view: every county's TGT-CERT counts, TGT-EVERY coverage, TGT-ORG, PRC-2 figures, in a fixed
    number of queries whatever the number of counties."""
    from stations.models import Station

    ends = year_ends(today)
    counts = certified_counts_by_county([*ends, today])
    township_counts = township_certified_counts(on=today)
    townships = list(
        Place.objects.filter(level=PlaceLevel.TOWNSHIP, parent__in=counties).values_list("code", "parent_id")
    )
    stationed = stationed_worker_counts(today)
    needed = rule_int("PRC-2.workers_per_station")
    stations = list(Station.objects.filter(place__parent__in=counties).values_list("pk", "place__parent_id"))
    incubated = dict(
        rules.tgt_org_organisations(as_of_year=today.year)
        .values("county_id")
        .annotate(n=Count("id"))
        .values_list("county_id", "n")
    )
    deadlines = qualification_deadlines(Assignment.objects.filter(station__place__parent__in=counties), today)
    # SUP-1: supervisors below the minimum, counted in each county where they supervise a station today.
    low = {w.pk for w, _n in rules.sup1_underloaded(on=today)}
    sup1_by_county: dict[str, set] = {}
    for worker_id, county_id in (
        Assignment.objects.filter(active_on_q(today), role=AssignmentRole.SUPERVISOR, worker_id__in=low)
        .values_list("worker_id", "station__place__parent_id")
        .distinct()
    ):
        sup1_by_county.setdefault(county_id, set()).add(worker_id)
    rows = []
    for county in counties:
        ts = [code for code, parent in townships if parent == county.code]
        st = [pk for pk, parent in stations if parent == county.code]
        ds = [d for d in deadlines if d.station.place.parent_id == county.code]
        rows.append(
            {
                "county": county,
                "certified_now": counts.get((county.code, today), 0),
                "year_ends": [counts.get((county.code, d), 0) for d in ends],
                "townships": len(ts),
                "townships_covered": sum(1 for code in ts if township_counts.get(code, 0)),
                "stations": len(st),
                "understaffed": sum(1 for pk in st if stationed.get(pk, 0) < needed),
                "incubated": incubated.get(county.code, 0),
                "due_soon": sum(1 for d in ds if d.state == rules.DUE_SOON),
                "overdue": sum(1 for d in ds if d.state == rules.OVERDUE),
                "sup1_underloaded": len(sup1_by_county.get(county.code, ())),
            }
        )
    totals_by_end = [sum(r["year_ends"][i] for r in rows) for i in range(len(ends))]
    return {
        "rows": rows,
        "year_ends": ends,
        "today": today,
        "totals_by_end": totals_by_end,
        "certified_now": sum(r["certified_now"] for r in rows),
        "incubated_target": rule_int("TGT-ORG.per_county"),
        "incubated_years": rules.tgt_org_years(today.year),
        "workers_per_station": needed,
        "sup1_min": rule_int("SUP-1.stations_per_supervisor_min"),
    }


def worker_input_places(*, worker_ids) -> list[str]:
    """The places whose figures these workers' records reach (for ``network.changes`` after a bulk write):
    where each is registered, where its certified periods are recorded (the old place until the periods
    are refreshed), and the townships of the stations it is stationed at."""
    ids = sorted(set(worker_ids))
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT place_id FROM workforce_worker WHERE id = ANY(%(ids)s)
               UNION SELECT place_code FROM workforce_certifiedspan WHERE worker_id = ANY(%(ids)s)
               UNION SELECT s.place_id FROM workforce_assignment a JOIN stations_station s ON s.id = a.station_id
                     WHERE a.worker_id = ANY(%(ids)s)""",
            {"ids": ids},
        )
        return sorted(code for (code,) in cursor.fetchall())

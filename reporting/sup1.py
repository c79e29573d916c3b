"""SUP-1 indicators: the set-based queries and the records behind their values (the explanation pages).

- ``SUP-1-MONTHS``: station-months meeting SUP-1. The station-months counted for a value are the months from
  1 January of its year (not before the plan's first year) that have ended by its date, of every station
  established or operating on the month's first day; the numerator those that met SUP-1
  (``supervision.rules_supervision``: at least the visits per month of sessions of at least the hours per visit,
  confirmed by the station, each counted in the month of its first day). Counted where the station is.
- ``SUP-1-LOAD``: supervisors covering between the minimum and the maximum number of stations on the date, over all
  supervisors supervising on it; counted at the supervisor's place of registration.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from network.models import Place
from network.rule_settings import PLAN_FIRST_YEAR, rule_int
from stations.choices import COUNTED_STATUSES
from stations.models import Station
from supervision import rules_supervision as sup_rules
from supervision import selectors_supervision as sup_selectors
from workforce.choices import AssignmentRole
from workforce.models import Assignment

COUNTED = "(" + ", ".join(f"'{s.value}'" for s in COUNTED_STATUSES) + ")"
LIMIT = 500


def supervision_months():
    """SUP-1: due station-months of the year up to the date that met SUP-1, over due station-months. Each counted
    status interval of a station yields its months directly (a month is due when the station is established or
    operating on its first day); each month belongs to the period of its year when it has ended by its date."""
    first = f"DATE '{PLAN_FIRST_YEAR}-01-01'"
    counts = sup_rules.sup1_month_counts_sql(
        where=f"held_on >= {first} AND station_id IN (SELECT station_id FROM rpt_stations)"
    )
    return (
        f"""
        WITH iv AS (
            SELECT c.station_id, c.status, c.effective_on AS s,
                   lead(c.effective_on) OVER (PARTITION BY c.station_id ORDER BY c.effective_on, c.id) AS e
            FROM stations_stationstatuschange c WHERE c.station_id IN (SELECT station_id FROM rpt_stations)),
        due AS (
            SELECT iv.station_id, gs::date AS m FROM iv
            CROSS JOIN LATERAL generate_series(
                greatest(date_trunc('month', (iv.s - 1)::timestamp) + interval '1 month', {first}),
                COALESCE(iv.e - 1, (SELECT max(as_of) FROM rpt_periods)), interval '1 month') gs
            WHERE iv.status IN {COUNTED} AND (iv.e IS NULL OR iv.e > iv.s)),
        met AS ({counts})
        SELECT s.k, per.idx, count(*) FILTER (WHERE COALESCE(met.q, 0) >= %s) AS num, count(*) AS den
        FROM due JOIN rpt_stations s ON s.station_id = due.station_id
        JOIN rpt_periods per
          ON per.year = extract(year FROM due.m) AND (due.m + interval '1 month')::date <= per.as_of + 1
        LEFT JOIN met ON met.station_id = due.station_id AND met.m = due.m
        GROUP BY 1, 2""",
        [rule_int("SUP-1.visits_per_month")],
    )


def supervisor_loads():
    """SUP-1: supervisors covering min–max stations on the date, over supervisors supervising on it."""
    return (
        f"""
        WITH sup AS (SELECT a.worker_id, per.idx, count(DISTINCT a.station_id) AS n
                     FROM workforce_assignment a JOIN rpt_periods per
                       ON a.start_on <= per.as_of AND (a.end_on IS NULL OR a.end_on >= per.as_of)
                     WHERE a.role = '{AssignmentRole.SUPERVISOR.value}' GROUP BY 1, 2)
        SELECT CAST(w.place_id AS bigint) AS k, sup.idx, count(*) FILTER (WHERE sup.n BETWEEN %s AND %s) AS num,
               count(*) AS den
        FROM sup JOIN workforce_worker w ON w.id = sup.worker_id GROUP BY 1, 2""",
        [rule_int("SUP-1.stations_per_supervisor_min"), rule_int("SUP-1.stations_per_supervisor_max")],
    )


def _months_counted(on: datetime.date) -> list[datetime.date]:
    first = max(datetime.date(on.year, 1, 1), datetime.date(PLAN_FIRST_YEAR, 1, 1))
    months, m = [], first
    while sup_rules.month_end(m) <= on:
        months.append(m)
        m += relativedelta(months=1)
    return months


def station_months(user, place: Place, on: datetime.date):
    """SUP-1: each due station-month of the value (scoped), its sessions and whether it met the rule — the same
    rule function the pages call."""
    months = _months_counted(on)
    stations = list(Station.objects.restrict(user).filter(place__code__startswith=place.prefix).select_related("place"))
    rows = []
    if months:
        ids = [s.pk for s in stations]
        histories = sup_selectors.status_histories(ids)
        sessions = sup_selectors.month_sessions(ids, months[0], sup_rules.month_end(months[-1]))
        numbers = sup_rules.sup1_numbers()
        for s in sorted(stations, key=lambda s: s.place_id):
            due = sup_selectors._due_months(histories, s.pk, months)
            for m in months:
                if not due[m]:
                    continue
                found = sessions.get((s.pk, m), [])
                counted = sum(1 for x in found if sup_rules.sup1_session_counts(x, numbers))
                rows.append(
                    [
                        s.place_id,
                        s.place.name,
                        f"{m:%Y-%m}",
                        len(found),
                        counted,
                        _("Yes") if sup_rules.sup1_month_met(found, numbers) else _("No"),
                    ]
                )
                if len(rows) >= LIMIT:
                    break
    return [
        _("Code"),
        _("Township / street"),
        _("Month"),
        _("Sessions recorded"),
        _("Sessions that count"),
        _("Meets SUP-1"),
    ], rows


def supervisor_load_rows(user, place: Place, on: datetime.date):
    """SUP-1: the supervisors registered under the place supervising on the date, with their stations."""
    low, high = rule_int("SUP-1.stations_per_supervisor_min"), rule_int("SUP-1.stations_per_supervisor_max")
    active = Q(assignments__role=AssignmentRole.SUPERVISOR, assignments__start_on__lte=on) & (
        Q(assignments__end_on__isnull=True) | Q(assignments__end_on__gte=on)
    )
    from workforce.models import Worker

    qs = (
        Worker.objects.restrict(user)
        .filter(place__code__startswith=place.prefix)
        .annotate(n=Count("assignments__station", filter=active, distinct=True))
        .filter(n__gt=0)
        .select_related("place")
        .order_by("place_id", "name")[:LIMIT]
    )
    return [_("Supervisor"), _("Registered at"), _("Stations supervised"), _("Within the range")], [
        [w.name, w.place.name, w.n, _("Yes") if low <= w.n <= high else _("No")] for w in qs
    ]


RECORDS = {"supervision_months": station_months, "supervisor_loads": supervisor_load_rows}

__all__ = ["RECORDS", "Assignment", "station_months", "supervision_months", "supervisor_load_rows", "supervisor_loads"]

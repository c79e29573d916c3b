"""SUP-2 as plain functions: the one place the 48-hour rule is computed, for pages, API, imports, alerts and
(in its SQL form, ``sup2_worker_year_sql``) the indicators.

A worker's standing in a year, as of a date (31 Dec for a closed year, today for the open one):

* the **window** runs from 1 January to the date (at most 31 Dec);
* the **stationed days** are the days of the window on which the worker holds at least one stationed
  assignment (``workforce.Assignment``, role stationed, ``start_on`` … ``end_on`` inclusive, open end blank);
  overlapping assignments count each day once;
* the **hours required** are the annual hours (the rule setting, 48 by default) × stationed days ÷ days of
  the whole year (365 or 366), rounded to 0.1 h (half up): a worker stationed all year owes 48 h by 31 Dec,
  one stationed from 1 July 24.2 h (184 ÷ 365 × 48), and in the open year the required hours grow day by day
  (the pro-rata path);
* the **hours done** are the hours attended (``supervision.Attendance``) on days of the window, online and
  offline, whoever organised the course;
* the worker **meets** SUP-2 when hours done ≥ hours required; the **shortfall** is the difference, else 0;
* a worker is counted at the station of the stationed assignment that started last within the window.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from network.rule_settings import rule_int, rule_value

TENTH = Decimal("0.1")
# Bad input: nobody attends more than 24 hours of training in one day (a fact of the calendar, not a plan number).
HOURS_PER_DAY_MAX = Decimal(24)


def sup2_annual_hours() -> Decimal:
    """SUP-2: the training hours each stationed worker receives in a year (rule setting, 48 by default)."""
    return rule_value("SUP-2.training_hours_per_year")


def year_days(year: int) -> int:
    return (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days


def sup2_window(year: int, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """SUP-2: the days of ``year`` counted as of ``as_of``: 1 January to the date, at most 31 December."""
    return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), as_of)


def sup2_stationed_days(
    spans: Iterable[tuple[datetime.date, datetime.date | None]], *, year: int, as_of: datetime.date
) -> int:
    """SUP-2: the days of the window on which the worker is stationed (each day once, however many spans)."""
    first, last = sup2_window(year, as_of)
    clipped = sorted((max(s, first), min(e or last, last)) for s, e in spans if s <= last and (e is None or e >= first))
    days, reached = 0, None
    for s, e in clipped:
        if reached is not None and s <= reached:
            s = reached + datetime.timedelta(days=1)
        if s <= e:
            days += (e - s).days + 1
            reached = e
    return days


def sup2_required_hours(*, stationed_days: int, year: int, annual: Decimal | None = None) -> Decimal:
    """SUP-2 pro rata: annual hours × stationed days ÷ days of the year, to 0.1 h (half up)."""
    annual = sup2_annual_hours() if annual is None else annual
    return (annual * stationed_days / year_days(year)).quantize(TENTH, rounding=ROUND_HALF_UP)


def sup2_shortfall(*, hours: Decimal, required: Decimal) -> Decimal:
    """SUP-2: how many hours the worker is short (0 when the hours done reach the hours required)."""
    return max(Decimal(0), Decimal(required) - Decimal(hours))


def sup2_meets(*, hours: Decimal, required: Decimal) -> bool:
    return Decimal(hours) >= Decimal(required)


def sup2_alert_from(year: int) -> datetime.date:
    """SUP-2: from this day of the year (1 October by default, rule settings) a worker below the pro-rata path
    is an alert."""
    return datetime.date(year, rule_int("SUP-2.alert_from_month"), rule_int("SUP-2.alert_from_day"))


@dataclass(frozen=True)
class Standing:
    """One worker's SUP-2 standing in a year as of a date."""

    worker_id: int
    year: int
    as_of: datetime.date
    station_id: int | None
    stationed_days: int
    required: Decimal
    hours: Decimal

    @property
    def shortfall(self) -> Decimal:
        return sup2_shortfall(hours=self.hours, required=self.required)

    @property
    def meets(self) -> bool:
        return sup2_meets(hours=self.hours, required=self.required)

    @property
    def part_year(self) -> bool:
        first, last = sup2_window(self.year, self.as_of)
        return self.stationed_days < (last - first).days + 1


def sup2_standing(
    *,
    worker_id: int,
    assignments: Iterable[tuple[int, int, datetime.date, datetime.date | None]],
    hours: Decimal,
    year: int,
    as_of: datetime.date,
    annual: Decimal | None = None,
) -> Standing | None:
    """SUP-2 for one worker: ``assignments`` are the worker's stationed assignments as (id, station id, start,
    end); ``hours`` the hours attended in the window. None when the worker is not stationed in the window."""
    first, last = sup2_window(year, as_of)
    running = [a for a in assignments if a[2] <= last and (a[3] is None or a[3] >= first)]
    if not running:
        return None
    days = sup2_stationed_days([(a[2], a[3]) for a in running], year=year, as_of=as_of)
    latest = max(running, key=lambda a: (max(a[2], first), a[0]))
    return Standing(
        worker_id=worker_id,
        year=year,
        as_of=last,
        station_id=latest[1],
        stationed_days=days,
        required=sup2_required_hours(stationed_days=days, year=year, annual=annual),
        hours=Decimal(hours or 0),
    )


def sup2_worker_year_sql(periods: str = "rpt_periods", workers: str = "") -> tuple[str, list]:
    """SUP-2 in SQL, set-based: one row per stationed worker and period of ``periods`` (a table or subquery
    with ``idx``, ``year``, ``year_start``, ``as_of``): ``worker_id, idx, station_id, days, required, hours``.
    The same reckoning as ``sup2_standing`` (parity test in tests/supervision/test_training_rules.py).
    ``workers``: a subquery of the worker ids to reckon (an incremental run's), else every worker.
    The hours of each worker and window are one range scan of the covering index on (worker, day) including the
    hours (an index-only scan once the table is vacuumed), not a pass over every attendance row."""
    only = f" AND a.worker_id IN ({workers})" if workers else ""
    sql = f"""
        WITH sup2_span AS (
            SELECT a.id, a.worker_id, a.station_id, per.idx, per.year, per.year_start,
                   least(per.as_of, make_date(per.year, 12, 31)) AS last,
                   greatest(a.start_on, per.year_start) AS s,
                   least(COALESCE(a.end_on, per.as_of), per.as_of, make_date(per.year, 12, 31)) AS e
            FROM workforce_assignment a
            JOIN {periods} per ON a.start_on <= least(per.as_of, make_date(per.year, 12, 31))
                 AND (a.end_on IS NULL OR a.end_on >= per.year_start)
            WHERE a.role = 'stationed'{only}),
        sup2_wy AS (
            SELECT worker_id, idx, min(year) AS year, min(year_start) AS first, min(last) AS last,
                   (array_agg(station_id ORDER BY s DESC, id DESC))[1] AS station_id,
                   range_agg(daterange(s, e, '[]')) AS stationed
            FROM sup2_span GROUP BY 1, 2),
        sup2_days AS (
            SELECT wy.worker_id, wy.idx, wy.year, wy.first, wy.last, wy.station_id,
                   (SELECT sum(upper(r) - lower(r)) FROM unnest(wy.stationed) r) AS days
            FROM sup2_wy wy)
        SELECT d.worker_id, d.idx, d.station_id, d.days,
               round(CAST(%s AS numeric) * d.days / (make_date(d.year + 1, 1, 1) - make_date(d.year, 1, 1)), 1)
                   AS required,
               COALESCE(h.hours, 0) AS hours
        FROM sup2_days d
        LEFT JOIN LATERAL (SELECT sum(t.hours) AS hours FROM supervision_attendance t
                           WHERE t.worker_id = d.worker_id AND t.attended_on >= d.first
                                 AND t.attended_on <= d.last) h ON TRUE"""
    return sql, [sup2_annual_hours()]

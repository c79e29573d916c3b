"""SUP-1, computed here and only here: the hours of a session, whether a station's month met the rule, the
seniority of a supervisor, and the supervision item of the TGT-STD standard check.

**How SUP-1 is counted.** A station meets SUP-1 in a month when it received at least
``SUP-1.visits_per_month`` (1) supervision sessions of at least ``SUP-1.hours_per_visit`` (16) hours each that the
station has confirmed. Hours are never added up across sessions: two sessions of 8 hours are two short sessions,
not one of 16. A session over several consecutive days (the usual way to reach 16 hours: two days of 8) is one log
with its first day, the number of days and the daily start and end times; its hours are days × (end − start), and
it counts, whole, for the month of its **first** day — a session on the last day of a month counts for that month
even when its second day falls in the next one.

A station is **due** in a month when it is established or operating (``stations.choices.COUNTED_STATUSES``) on the
month's first day. The heat map: green met; amber partial (a session recorded in the month, but none that counts
yet — short, or not yet confirmed); red none (a due month that has ended with no session); grey not yet due (a
station not due that month, a month still running without a session, a month to come).

Each rule has a Python form (pages, API, the standard item, the alert) and an SQL form (the indicator, the standard
item's SQL, the station list); ``tests/supervision/test_supervision_rules.py`` keeps the two identical.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.rule_settings import PLAN_FIRST_YEAR, rule_int, rule_value
from stations.rules import StandardItemSpec, standard_item_register

from .choices_supervision import LogStatus, MonthState

LOG_TABLE = "supervision_supervisionlog"
MAX_HOURS_PER_DAY = Decimal(24)  # one person's day, a fact rather than a setting
SUPERVISION_ITEM = "supervision"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return month_start(day) + relativedelta(months=1) - datetime.timedelta(days=1)


def last_completed_month(on: datetime.date) -> datetime.date:
    """The first day of the month before the date's month (the last month that has ended by the date)."""
    return month_start(on) - relativedelta(months=1)


def sup1_session_hours(*, start_time: datetime.time, end_time: datetime.time, days: int = 1) -> Decimal:
    """SUP-1: a session's hours — days × (end time − start time), to the hundredth of an hour."""
    minutes = (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)
    return (Decimal(minutes * days) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Session:
    hours: Decimal
    confirmed: bool


@dataclass(frozen=True)
class Numbers:
    """The SUP-1 numbers in force, read once for a page or a list (``sup1_numbers()``)."""

    hours: Decimal
    visits: int


def sup1_numbers() -> Numbers:
    return Numbers(rule_value("SUP-1.hours_per_visit"), rule_int("SUP-1.visits_per_month"))


def sup1_session_counts(session: Session, numbers: Numbers | None = None) -> bool:
    """SUP-1: a session counts when the station has confirmed it and it lasted at least the hours per visit."""
    numbers = numbers or sup1_numbers()
    return session.confirmed and Decimal(session.hours) >= numbers.hours


def sup1_month_met(sessions: Iterable[Session], numbers: Numbers | None = None) -> bool:
    """SUP-1: a station's month is met by at least ``SUP-1.visits_per_month`` sessions that count."""
    numbers = numbers or sup1_numbers()
    return sum(1 for s in sessions if sup1_session_counts(s, numbers)) >= numbers.visits


def sup1_month_state(
    *,
    sessions: Iterable[Session],
    due: bool,
    month: datetime.date,
    today: datetime.date,
    numbers: Numbers | None = None,
) -> MonthState:
    """SUP-1 for one station-month as the heat map colours it (see the module's text)."""
    sessions = list(sessions)
    if sup1_month_met(sessions, numbers):
        return MonthState.MET
    if not due:
        return MonthState.NOT_DUE
    if sessions:
        return MonthState.PARTIAL
    if month_end(month) >= today:
        return MonthState.NOT_DUE
    return MonthState.NONE


def sup1_met_sql(*, station: str, month: str) -> str:
    """SUP-1 in SQL: a boolean, true when the station (SQL expression of its id) met SUP-1 in the month whose
    first day is the SQL date expression ``month``. Numbers from the rule settings in force."""
    hours = rule_value("SUP-1.hours_per_visit")
    visits = rule_int("SUP-1.visits_per_month")
    return (
        f"((SELECT count(*) FROM {LOG_TABLE} sl WHERE sl.station_id = {station} AND sl.held_on >= {month} "
        f"AND sl.held_on < ({month} + interval '1 month') AND sl.status = '{LogStatus.CONFIRMED.value}' "
        f"AND sl.hours >= {Decimal(hours)}) >= {visits})"
    )


def sup1_month_counts_sql(where: str = "TRUE") -> str:
    """SUP-1 in SQL, set-based: ``station_id, m, q, n`` — per station and month (first day) the sessions that count
    (``q``) and all sessions recorded (``n``). The indicator and the heat map read it."""
    hours = rule_value("SUP-1.hours_per_visit")
    return (
        f"SELECT station_id, date_trunc('month', held_on::timestamp)::date AS m, "
        f"count(*) FILTER (WHERE status = '{LogStatus.CONFIRMED.value}' AND hours >= {Decimal(hours)}) AS q, "
        f"count(*) AS n FROM {LOG_TABLE} WHERE {where} GROUP BY 1, 2"
    )


# --- Seniority: supervisors are senior workers of the provider ------------------------------------------------


def sup1_senior(*, grade: int | None, first_assignment: datetime.date | None, on: datetime.date) -> bool:
    """SUP-1: a supervisor is senior (机构内资深社工) on a date when they hold a valid qualification of at least
    ``SUP-1.senior_min_grade`` (2: social worker) on it, or their first station assignment (any role) began at least
    ``SUP-1.senior_min_years`` (5) years before it."""
    if grade is not None and grade >= rule_int("SUP-1.senior_min_grade"):
        return True
    years = rule_int("SUP-1.senior_min_years")
    return first_assignment is not None and first_assignment <= on - relativedelta(years=years)


def sup1_senior_text() -> str:
    return _("grade %(g)s or above, or %(y)s years since the first station assignment") % {
        "g": rule_int("SUP-1.senior_min_grade"),
        "y": rule_int("SUP-1.senior_min_years"),
    }


def sup1_rule_text() -> str:
    """The rule as every page states it, with the numbers in force."""
    return _(
        "SUP-1: a station meets the rule in a month when it received at least %(v)s supervision session(s) of at "
        "least %(h)s hours each, confirmed by the station. Hours are not added up across sessions. A session over "
        "several consecutive days is one log: its hours are days × (end − start), and it counts, whole, for the "
        "month of its first day (a session on the last day of a month counts for that month). A station is due "
        "from the first month it is established or operating on the 1st. One supervisor covers %(a)s–%(b)s "
        "stations; supervisors are senior: %(senior)s."
    ) % {
        "v": rule_int("SUP-1.visits_per_month"),
        "h": _hours(rule_value("SUP-1.hours_per_visit")),
        "a": rule_int("SUP-1.stations_per_supervisor_min"),
        "b": rule_int("SUP-1.stations_per_supervisor_max"),
        "senior": sup1_senior_text(),
    }


def _hours(value) -> str:
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"


# --- The supervision item of the standard check (TGT-STD) -----------------------------------------------------
#
# A station meets it on a date when its last completed month (the month before the date's month) met SUP-1.
# Before the plan (a last completed month before January 2021) supervision was not yet required: the item passes.


def _before_plan(month: datetime.date) -> bool:
    return month < datetime.date(PLAN_FIRST_YEAR, 1, 1)


def sup1_station_month_sessions(station_id: int, month: datetime.date) -> list[Session]:
    from .models import SupervisionLog

    return [
        Session(h, s == LogStatus.CONFIRMED)
        for h, s in SupervisionLog.objects.filter(
            station_id=station_id, held_on__gte=month, held_on__lte=month_end(month)
        ).values_list("hours", "status")
    ]


def _item_check(station, on, memo):
    month = last_completed_month(on)
    if _before_plan(month):
        return True, _("not required before %(y)s") % {"y": PLAN_FIRST_YEAR}
    sessions = sup1_station_month_sessions(station.pk, month)
    counted = sum(1 for s in sessions if sup1_session_counts(s))
    ok = counted >= rule_int("SUP-1.visits_per_month")
    return ok, _("%(m)s: %(n)s confirmed session(s) of at least %(h)s hours") % {
        "m": f"{month:%Y-%m}",
        "n": counted,
        "h": _hours(rule_value("SUP-1.hours_per_visit")),
    }


def _item_sql(station: str, on: str) -> str:
    month = f"(date_trunc('month', ({on})::timestamp) - interval '1 month')::date"
    return f"({month} < DATE '{PLAN_FIRST_YEAR}-01-01' OR {sup1_met_sql(station=station, month=month)})"


standard_item_register(
    StandardItemSpec(
        code=SUPERVISION_ITEM,
        label=gettext_lazy("Supervision last month"),
        rule="SUP-1",
        order=90,
        check=_item_check,
        sql=_item_sql,
    )
)

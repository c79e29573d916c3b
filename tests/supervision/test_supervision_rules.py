"""SUP-1 per month, one rule everywhere: 16 h passes, 15.5 h fails, none fails, a session on a month's last day
counts for that month; the SQL form agrees with the Python form; seniority; the 2–8 load."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection

from stations.rules import sql_date, tgt_std_check
from supervision import rules_supervision as rules
from supervision import selectors_supervision as selectors
from supervision.choices_supervision import MonthState
from tests.supervision.helpers import supervision_log

D = datetime.date
S = rules.Session
pytestmark = pytest.mark.django_db


def test_a_month_is_met_by_one_confirmed_session_of_16_hours():
    assert rules.sup1_month_met([S(Decimal(16), True)])
    assert not rules.sup1_month_met([S(Decimal("15.5"), True)])
    assert not rules.sup1_month_met([])
    assert not rules.sup1_month_met([S(Decimal(16), False)])  # not yet confirmed by the station
    assert not rules.sup1_month_met([S(Decimal(8), True), S(Decimal(8), True)])  # hours are not added up


def test_hours_are_days_times_the_daily_hours():
    assert rules.sup1_session_hours(start_time=datetime.time(9), end_time=datetime.time(17), days=2) == 16
    assert rules.sup1_session_hours(start_time=datetime.time(8, 30), end_time=datetime.time(16, 15), days=2) == Decimal(
        "15.50"
    )


def test_month_states():
    today = D(2023, 6, 15)
    state = rules.sup1_month_state
    assert state(sessions=[S(16, True)], due=True, month=D(2023, 5, 1), today=today) == MonthState.MET
    assert state(sessions=[S(15, True)], due=True, month=D(2023, 5, 1), today=today) == MonthState.PARTIAL
    assert state(sessions=[], due=True, month=D(2023, 5, 1), today=today) == MonthState.NONE
    assert state(sessions=[], due=True, month=D(2023, 6, 1), today=today) == MonthState.NOT_DUE  # still running
    assert state(sessions=[], due=False, month=D(2023, 4, 1), today=today) == MonthState.NOT_DUE


def _met_sql(station, month):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {rules.sup1_met_sql(station=str(station.pk), month=sql_date(month))}")
        return cursor.fetchone()[0]


def test_a_session_on_the_last_day_of_a_month_counts_for_that_month(network):
    station = network["station_a1"]
    supervision_log(station, D(2023, 1, 31), hours=16, days=2)  # 31 Jan and 1 Feb
    sessions = selectors.month_sessions([station.pk], D(2023, 1, 1), D(2023, 2, 28))
    assert rules.sup1_month_met(sessions[(station.pk, D(2023, 1, 1))])
    assert (station.pk, D(2023, 2, 1)) not in sessions
    assert _met_sql(station, D(2023, 1, 1)) is True and _met_sql(station, D(2023, 2, 1)) is False
    # The standard item on a day of February looks at January, on a day of March at February.
    item = {i.item: i for i in tgt_std_check(station=station, on=D(2023, 2, 10)).items}["supervision"]
    assert item.ok and item.rule == "SUP-1"
    assert not {i.item: i for i in tgt_std_check(station=station, on=D(2023, 3, 10)).items}["supervision"].ok


def test_16_hours_pass_and_15_and_a_half_fail_in_sql_too(network):
    a1, a2 = network["station_a1"], network["station_a2"]
    supervision_log(a1, D(2023, 5, 10), hours=16, days=2)
    supervision_log(a2, D(2023, 5, 10), hours=Decimal("15.5"), days=1)
    assert _met_sql(a1, D(2023, 5, 1)) is True
    assert _met_sql(a2, D(2023, 5, 1)) is False
    assert _met_sql(a1, D(2023, 6, 1)) is False  # none in June


def test_python_and_sql_forms_agree_on_generated_logs(network):
    rng = random.Random(12)
    stations = [network[k] for k in ("station_a1", "station_a2", "station_b1", "station_b2")]
    for station in stations:
        for _i in range(40):
            day = D(2021, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
            supervision_log(
                station,
                day,
                hours=rng.choice([Decimal(8), Decimal("15.5"), Decimal(16), Decimal(18)]),
                days=rng.choice([1, 2]),
                confirmed=rng.random() < 0.7,
            )
    sessions = selectors.month_sessions([s.pk for s in stations], D(2021, 1, 1), D(2021, 12, 31))
    outcomes = set()
    for station in stations:
        for m in range(1, 13):
            month = D(2021, m, 1)
            python = rules.sup1_month_met(sessions.get((station.pk, month), []))
            assert _met_sql(station, month) is python, (station.pk, month)
            outcomes.add(python)
    assert outcomes == {True, False}
    # The set-based form used by the indicator agrees too.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT station_id, m, q FROM ({rules.sup1_month_counts_sql()}) x")
        for station_id, month, q in cursor.fetchall():
            python = rules.sup1_month_met(sessions.get((station_id, month), []))
            assert (q >= 1) is python


def test_seniority_by_grade_or_years():
    on = D(2023, 6, 1)
    assert rules.sup1_senior(grade=2, first_assignment=None, on=on)
    assert rules.sup1_senior(grade=3, first_assignment=None, on=on)
    assert not rules.sup1_senior(grade=1, first_assignment=D(2020, 1, 1), on=on)
    assert rules.sup1_senior(grade=None, first_assignment=D(2018, 6, 1), on=on)  # five years
    assert not rules.sup1_senior(grade=None, first_assignment=D(2018, 6, 2), on=on)


def test_the_item_is_not_required_before_the_plan(network):
    station = network["station_a1"]
    item = {i.item: i for i in tgt_std_check(station=station, on=D(2020, 12, 31)).items}["supervision"]
    assert item.ok
    assert not {i.item: i for i in tgt_std_check(station=station, on=D(2021, 2, 1)).items}["supervision"].ok

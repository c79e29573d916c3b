"""SUP-2 as a rule: 48 hours a year, pro rata for a worker stationed part of the year, each day counted once, the
open year on its pro-rata path; and the SQL form the indicators use gives the same figures (parity)."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection

from network.models import RuleSetting
from network.rule_settings import forget_rule_settings
from supervision.models import Attendance, Course
from supervision.rules_training import (
    sup2_alert_from,
    sup2_required_hours,
    sup2_shortfall,
    sup2_standing,
    sup2_stationed_days,
    sup2_worker_year_sql,
)
from tests.factories import AssignmentFactory, WorkerFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_worker_stationed_all_year_owes_48_hours():
    days = sup2_stationed_days([(D(2019, 5, 1), None)], year=2023, as_of=D(2023, 12, 31))
    assert days == 365
    assert sup2_required_hours(stationed_days=days, year=2023) == Decimal("48.0")


def test_a_worker_stationed_from_1_july_owes_the_share_of_the_year():
    days = sup2_stationed_days([(D(2023, 7, 1), None)], year=2023, as_of=D(2023, 12, 31))
    assert days == 184
    assert sup2_required_hours(stationed_days=days, year=2023) == Decimal("24.2")  # 48 × 184 ÷ 365 = 24.197
    # A leap year has 366 days.
    assert sup2_required_hours(stationed_days=184, year=2024) == Decimal("24.1")


def test_overlapping_assignments_count_each_day_once_and_gaps_do_not_count():
    spans = [(D(2023, 1, 1), D(2023, 3, 31)), (D(2023, 3, 1), D(2023, 4, 30)), (D(2023, 10, 1), None)]
    # 1 Jan – 30 Apr (120 days) and 1 Oct – 31 Dec (92 days)
    assert sup2_stationed_days(spans, year=2023, as_of=D(2023, 12, 31)) == 212


def test_the_open_year_follows_the_pro_rata_path():
    days = sup2_stationed_days([(D(2020, 1, 1), None)], year=2023, as_of=D(2023, 3, 31))
    assert days == 90
    assert sup2_required_hours(stationed_days=days, year=2023) == Decimal("11.8")  # 48 × 90 ÷ 365


def test_48_hours_meet_the_rule_and_47_5_fall_short_by_half_an_hour():
    assignments = [(1, 10, D(2020, 1, 1), None)]
    met = sup2_standing(worker_id=1, assignments=assignments, hours=Decimal(48), year=2023, as_of=D(2023, 12, 31))
    short = sup2_standing(worker_id=1, assignments=assignments, hours=Decimal("47.5"), year=2023, as_of=D(2023, 12, 31))
    assert met.meets and met.shortfall == 0
    assert not short.meets and short.shortfall == Decimal("0.5")
    assert sup2_shortfall(hours=Decimal(50), required=Decimal(48)) == 0


def test_a_worker_not_stationed_in_the_year_has_no_standing():
    assignments = [(1, 10, D(2020, 1, 1), D(2022, 12, 31))]
    assert sup2_standing(worker_id=1, assignments=assignments, hours=0, year=2023, as_of=D(2023, 12, 31)) is None


def test_the_worker_counts_at_the_station_of_the_last_assignment():
    assignments = [(1, 10, D(2020, 1, 1), D(2023, 5, 31)), (2, 11, D(2023, 6, 1), None)]
    s = sup2_standing(worker_id=1, assignments=assignments, hours=0, year=2023, as_of=D(2023, 12, 31))
    assert s.station_id == 11 and s.stationed_days == 365 and not s.part_year


def test_the_rule_numbers_are_settings():
    RuleSetting.objects.create(key="SUP-2.training_hours_per_year", value=Decimal(40))
    RuleSetting.objects.create(key="SUP-2.alert_from_month", value=Decimal(9))
    forget_rule_settings()
    try:
        assert sup2_required_hours(stationed_days=365, year=2023) == Decimal("40.0")
        assert sup2_alert_from(2023) == D(2023, 9, 1)
    finally:
        RuleSetting.objects.all().delete()
        forget_rule_settings()


def test_the_sql_form_gives_the_same_standing_as_the_rule(network):
    """Parity: random assignments and attendance, each worker's days, required hours and hours from the SQL form
    equal the Python rule's, for closed years and an open year's date."""
    rnd = random.Random(12)
    stations = [network[k] for k in ("station_a1", "station_a2", "station_b1", "station_b2")]
    course = Course.objects.create(
        title="政策",
        kind="basic_policy",
        mode="online",
        organiser_level="city",
        place=network["city"],
        start_on=D(2021, 1, 1),
        end_on=D(2023, 12, 31),
        hours=Decimal(900),
    )
    workers = []
    for _i in range(25):
        w = WorkerFactory(place=network["township_a1"])
        spans = []
        for _ in range(rnd.randint(1, 3)):
            start = D(2021, 1, 1) + datetime.timedelta(days=rnd.randint(-200, 1000))
            end = None if rnd.random() < 0.4 else start + datetime.timedelta(days=rnd.randint(0, 400))
            a = AssignmentFactory(worker=w, station=rnd.choice(stations), start_on=start, end_on=end)
            spans.append((a.pk, a.station_id, start, end))
        days = rnd.sample(range(1095), 8)
        for d in days:
            Attendance.objects.create(
                course=course,
                worker=w,
                attended_on=D(2021, 1, 1) + datetime.timedelta(days=d),
                hours=Decimal(rnd.choice(["1.5", "3", "4", "7.5", "8"])),
            )
        workers.append((w, spans))
    periods = [(0, 2021, D(2021, 12, 31)), (1, 2022, D(2022, 12, 31)), (2, 2023, D(2023, 8, 17))]
    values = " UNION ALL ".join(
        f"SELECT {i} AS idx, {y} AS year, DATE '{y}-01-01' AS year_start, DATE '{d.isoformat()}' AS as_of"
        for i, y, d in periods
    )
    sql, params = sup2_worker_year_sql(periods=f"({values})")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        got = {(r[0], r[1]): (r[2], int(r[3]), Decimal(r[4]), Decimal(r[5])) for r in cursor.fetchall()}
    expected = {}
    for w, spans in workers:
        for idx, year, as_of in periods:
            hours = sum(
                (a.hours for a in Attendance.objects.filter(worker=w, attended_on__year=year, attended_on__lte=as_of)),
                Decimal(0),
            )
            s = sup2_standing(worker_id=w.pk, assignments=spans, hours=hours, year=year, as_of=as_of)
            if s is not None:
                expected[(w.pk, idx)] = (s.station_id, s.stationed_days, s.required, s.hours)
    assert expected and got == expected

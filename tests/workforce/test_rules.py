"""Workforce rules (workforce/rules.py): hand-built cases, and the Python and SQL forms kept identical."""

import datetime
import random

import pytest
from django.db import connection

from network.models import RuleSetting
from network.rule_settings import forget_rule_settings
from tests.factories import AssignmentFactory, OrganisationFactory, QualificationFactory, WorkerFactory
from workforce import rules, selectors
from workforce.models import Assignment

D = datetime.date
pytestmark = pytest.mark.django_db


# --- PRC-2: the qualification deadline --------------------------------------------------------------------------


def test_the_deadline_is_24_calendar_months_after_the_clock_start():
    assert rules.prc2_deadline(D(2019, 1, 1)) == D(2021, 1, 1)
    assert rules.prc2_deadline(D(2020, 2, 29)) == D(2022, 2, 28)
    assert rules.prc2_deadline(D(2020, 8, 31)) == D(2022, 8, 31)


def test_overdue_from_the_day_after_the_deadline_until_qualified():
    start = D(2019, 1, 1)  # deadline 1 Jan 2021

    def overdue(on, certified=False):
        return rules.prc2_overdue(clock_start=start, stationed=True, certified=certified, on=on)

    assert not overdue(D(2020, 12, 31)) and not overdue(D(2021, 1, 1))  # the deadline day itself is in time
    assert overdue(D(2021, 1, 2)) and overdue(D(2022, 6, 15))
    assert not overdue(D(2022, 6, 15), certified=True)  # qualified (late): no longer overdue
    assert not rules.prc2_overdue(clock_start=start, stationed=False, certified=False, on=D(2022, 6, 15))
    assert not rules.prc2_overdue(clock_start=None, stationed=True, certified=False, on=D(2022, 6, 15))


def test_the_deadline_follows_the_rule_setting():
    RuleSetting.objects.create(key="PRC-2.qualify_within_months", value=12)
    forget_rule_settings()
    assert rules.prc2_deadline(D(2019, 1, 1)) == D(2020, 1, 1)


@pytest.fixture
def cases(network):
    """Hand-built workers at stations A1 and A2:

    - in_time: stationed at A1 from 1 Jan 2019, qualified 1 Dec 2020 (within the months);
    - late: stationed at A1 from 1 Jan 2019, qualified 1 Mar 2022 (deadline 1 Jan 2021);
    - moved: stationed at A1 2019–2020, then at A2 from 1 Jan 2021, never qualified (the move keeps the clock);
    - revoked: stationed at A2 from 1 Jan 2019, qualified 2020, revoked 1 Jul 2022;
    - new: stationed at A2 from 1 Mar 2021, never qualified (deadline 1 Mar 2023).
    """
    a1, a2 = network["station_a1"], network["station_a2"]
    w = {name: WorkerFactory(place=network["township_a1"], name=name) for name in ("in_time", "late", "moved")}
    w |= {name: WorkerFactory(place=network["township_a2"], name=name) for name in ("revoked", "new")}
    AssignmentFactory(worker=w["in_time"], station=a1, start_on=D(2019, 1, 1))
    QualificationFactory(worker=w["in_time"], obtained_on=D(2020, 12, 1))
    AssignmentFactory(worker=w["late"], station=a1, start_on=D(2019, 1, 1))
    QualificationFactory(worker=w["late"], obtained_on=D(2022, 3, 1))
    AssignmentFactory(worker=w["moved"], station=a1, start_on=D(2019, 1, 1), end_on=D(2020, 12, 31))
    AssignmentFactory(worker=w["moved"], station=a2, start_on=D(2021, 1, 1))
    AssignmentFactory(worker=w["revoked"], station=a2, start_on=D(2019, 1, 1))
    QualificationFactory(worker=w["revoked"], obtained_on=D(2020, 6, 1), revoked_on=D(2022, 7, 1))
    AssignmentFactory(worker=w["new"], station=a2, start_on=D(2021, 3, 1))
    return w


def _overdue_names(on):
    return sorted(a.worker.name for a in rules.prc2_overdue_assignments(Assignment.objects.all(), on))


def test_overdue_workers_on_each_date(cases):
    assert _overdue_names(D(2020, 12, 31)) == []
    assert _overdue_names(D(2021, 12, 31)) == ["late", "moved"]  # moving to A2 did not restart the clock
    assert _overdue_names(D(2022, 6, 15)) == ["moved"]  # the late one qualified on 1 Mar 2022
    assert _overdue_names(D(2022, 8, 1)) == ["moved", "revoked"]  # revoked on 1 Jul 2022
    assert _overdue_names(D(2023, 3, 2)) == ["moved", "new", "revoked"]


def test_the_deadline_list_and_the_worker_page_use_the_same_clock(cases, client, personas):
    from django.urls import reverse

    rows = {d.worker.name: d for d in selectors.qualification_deadlines(Assignment.objects.all(), D(2021, 6, 30))}
    assert rows["moved"].clock_start == D(2019, 1, 1) and rows["moved"].deadline == D(2021, 1, 1)
    assert rows["moved"].state == rules.OVERDUE and rows["late"].state == rules.OVERDUE
    assert "in_time" not in rows and "revoked" not in rows
    client.force_login(personas["city_admin"])
    html = client.get(reverse("workforce:worker_detail", args=[cases["moved"].pk])).content.decode()
    assert "2019-01-01" in html and "2021-01-01" in html  # clock start and deadline, not 1 Jan 2023


def _sql_overdue(on) -> set[int]:
    condition, params = rules.prc2_overdue_sql(worker="a.worker_id", on="x.d")
    sql = (
        "SELECT DISTINCT a.worker_id FROM workforce_assignment a CROSS JOIN (SELECT %s::date AS d) x "
        f"WHERE a.role = 'stationed' AND a.start_on <= x.d AND (a.end_on IS NULL OR a.end_on >= x.d) AND {condition}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, *params])
        return {r[0] for r in cursor.fetchall()}


def _python_overdue(workers, on) -> set[int]:
    out = set()
    for pk, (stints, certs) in workers.items():
        stationed = any(s <= on and (e is None or e >= on) for s, e in stints)
        certified = any(o <= on and (r is None or r > on) for o, r in certs)
        if rules.prc2_overdue(
            clock_start=rules.prc2_clock_start(s for s, _e in stints), stationed=stationed, certified=certified, on=on
        ):
            out.add(pk)
    return out


def test_prc2_overdue_python_and_sql_agree_on_generated_workers(network):
    rng = random.Random(20260601)
    stations = [network[k] for k in ("station_a1", "station_a2", "station_b1", "station_b2")]
    workers = {}
    for i in range(80):
        worker = WorkerFactory(place=network["township_a1"], name=f"随机{i}")
        stints, day = [], D(2018, 1, 1) + datetime.timedelta(days=rng.randrange(0, 900))
        for _n in range(rng.choice([1, 1, 2, 3])):
            end = day + datetime.timedelta(days=rng.randrange(60, 900)) if rng.random() < 0.6 else None
            AssignmentFactory(worker=worker, station=rng.choice(stations), start_on=day, end_on=end)
            stints.append((day, end))
            if end is None:
                break
            day = end + datetime.timedelta(days=rng.randrange(1, 200))
        certs = []
        if rng.random() < 0.6:
            obtained = D(2018, 6, 1) + datetime.timedelta(days=rng.randrange(0, 1800))
            revoked = obtained + datetime.timedelta(days=rng.randrange(30, 700)) if rng.random() < 0.25 else None
            QualificationFactory(worker=worker, obtained_on=obtained, revoked_on=revoked)
            certs.append((obtained, revoked))
        workers[worker.pk] = (stints, certs)
    dates = [D(2019, 12, 31), D(2020, 12, 31), D(2021, 12, 31), D(2022, 12, 31), D(2023, 6, 30), D(2024, 2, 29)]
    total = 0
    for on in dates:
        expected = _python_overdue(workers, on)
        assert _sql_overdue(on) == expected, on
        assert {a.worker_id for a in rules.prc2_overdue_assignments(Assignment.objects.all(), on)} == expected, on
        total += len(expected)
    assert total > 20  # the data exercises the rule


# --- TGT-ORG ---------------------------------------------------------------------------------------------------


def test_tgt_org_counts_the_plan_years_up_to_the_year_and_only_social_work_scope():
    assert rules.tgt_org_years(2022) == (2021, 2022) and rules.tgt_org_years(2026) == (2021, 2023)
    assert rules.tgt_org_counts(incubated_year=2021, scope_includes_social_work=True, as_of_year=2021)
    assert not rules.tgt_org_counts(incubated_year=2022, scope_includes_social_work=True, as_of_year=2021)
    assert not rules.tgt_org_counts(incubated_year=2024, scope_includes_social_work=True, as_of_year=2026)
    assert not rules.tgt_org_counts(incubated_year=2020, scope_includes_social_work=True, as_of_year=2023)
    assert not rules.tgt_org_counts(incubated_year=2022, scope_includes_social_work=False, as_of_year=2023)


def test_tgt_org_python_and_sql_agree_on_generated_organisations(network):
    rng = random.Random(7)
    counties = [network["county_a"], network["county_b"]]
    orgs = []
    for _i in range(60):
        org = OrganisationFactory(
            county=rng.choice(counties),
            incubated_year=rng.choice([None, 2019, 2020, 2021, 2022, 2023, 2024, 2025]),
            scope_includes_social_work=rng.random() < 0.7,
        )
        orgs.append(org)
    for year in range(2020, 2027):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT o.county_id, count(*) FROM workforce_organisation o "
                f"CROSS JOIN (SELECT %s::int AS year) per WHERE {rules.tgt_org_sql(org='o', year='per.year')} "
                "GROUP BY 1",
                [year],
            )
            sql_counts = dict(cursor.fetchall())
        python = {}
        for o in orgs:
            if rules.tgt_org_counts(
                incubated_year=o.incubated_year,
                scope_includes_social_work=o.scope_includes_social_work,
                as_of_year=year,
            ):
                python[o.county_id] = python.get(o.county_id, 0) + 1
        orm = {
            c.code: rules.tgt_org_organisations(as_of_year=year, within=c.prefix).count()
            for c in counties
            if rules.tgt_org_organisations(as_of_year=year, within=c.prefix).exists()
        }
        assert sql_counts == python == orm, year

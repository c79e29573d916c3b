"""One meaning per rule: the stored indicator, the pages and the explanation records agree (PRC-2, TGT-ORG)."""

import datetime

import pytest
from django.urls import reverse

from reporting.models import IndicatorValue
from reporting.services import indicators_recompute
from tests.factories import AssignmentFactory, OrganisationFactory, QualificationFactory, WorkerFactory
from workforce import selectors
from workforce.models import Assignment

D = datetime.date
A, A1, A2 = "450222000000", "450222101000", "450222102000"
pytestmark = pytest.mark.django_db


def value(indicator, place, period):
    return IndicatorValue.objects.get(indicator=indicator, place_id=place, period=period).numerator


@pytest.fixture
def late_and_moved(network):
    late = WorkerFactory(place=network["township_a1"], name="迟取证")
    AssignmentFactory(worker=late, station=network["station_a1"], start_on=D(2019, 1, 1))
    QualificationFactory(worker=late, obtained_on=D(2022, 3, 1))  # deadline 1 Jan 2021: qualified late
    moved = WorkerFactory(place=network["township_a2"], name="调站")
    AssignmentFactory(worker=moved, station=network["station_a1"], start_on=D(2019, 1, 1), end_on=D(2020, 12, 31))
    AssignmentFactory(worker=moved, station=network["station_a2"], start_on=D(2021, 1, 1))
    return {"late": late, "moved": moved}


def test_a_late_qualifier_is_overdue_until_qualified_on_the_dashboard_and_the_deadline_page(late_and_moved):
    indicators_recompute(today=D(2022, 6, 15))
    # 31 Dec 2021: past the deadline, not yet qualified — both the indicator and the deadline page say so.
    assert value("PRC-2-OVERDUE", A1, "2021") == 1
    listed = {d.worker.name for d in selectors.qualification_deadlines(Assignment.objects.all(), D(2021, 12, 31))}
    assert "迟取证" in listed
    # 15 Jun 2022: qualified on 1 Mar 2022 — neither counts the worker any more.
    assert value("PRC-2-OVERDUE", A1, "2022-06") == 0
    listed = {d.worker.name for d in selectors.qualification_deadlines(Assignment.objects.all(), D(2022, 6, 15))}
    assert "迟取证" not in listed


def test_moving_to_another_station_does_not_restart_the_clock(late_and_moved):
    indicators_recompute(today=D(2022, 6, 15))
    assert value("PRC-2-OVERDUE", A2, "2021") == 1  # counted where stationed on the date
    assert value("PRC-2-OVERDUE", A2, "2022-06") == 1
    rows = {d.worker.name: d for d in selectors.qualification_deadlines(Assignment.objects.all(), D(2022, 6, 15))}
    assert rows["调站"].deadline == D(2021, 1, 1) and rows["调站"].state == "overdue"


def test_the_overdue_explanation_lists_exactly_the_counted_workers(late_and_moved, client, personas):
    indicators_recompute(today=D(2022, 6, 15))
    client.force_login(personas["city_admin"])
    url = reverse("reporting:explanation", args=[A, "PRC-2-OVERDUE"])
    html_2021 = client.get(url + "?period=2021").content.decode()
    html_now = client.get(url + "?period=2022-06").content.decode()
    assert "迟取证" in html_2021 and "调站" in html_2021
    assert "迟取证" not in html_now and "调站" in html_now
    assert value("PRC-2-OVERDUE", A, "2021") == 2 and value("PRC-2-OVERDUE", A, "2022-06") == 1


def test_the_county_page_and_the_dashboard_count_the_same_organisations(network, client, personas):
    """TGT-ORG: only organisations whose business scope includes social work, incubated 2021–2023."""
    a = network["county_a"]
    OrganisationFactory(county=a, incubated_year=2021, name="阳光社工服务中心")
    OrganisationFactory(county=a, incubated_year=2022, name="范围不含社工", scope_includes_social_work=False)
    OrganisationFactory(county=a, incubated_year=2024, name="计划期后孵化")
    OrganisationFactory(county=a, incubated_year=2023, name="计划期内孵化")
    today = D(2025, 3, 1)
    indicators_recompute(today=today)
    assert value("TGT-ORG", A, "2024") == 2 and value("TGT-ORG", A, "2025-03") == 2
    assert value("TGT-ORG", A, "2022") == 1
    page = selectors.county_workforce(county=a, today=today)
    assert sorted(o.name for o in page["incubated"]) == ["计划期内孵化", "阳光社工服务中心"]
    city = selectors.city_workforce(counties=[a, network["county_b"]], today=today)
    assert {r["county"].code: r["incubated"] for r in city["rows"]}[A] == 2
    client.force_login(personas["city_admin"])
    html = client.get(reverse("reporting:explanation", args=[A, "TGT-ORG"]) + "?period=2024").content.decode()
    assert "计划期内孵化" in html and "范围不含社工" not in html and "计划期后孵化" not in html


def test_the_county_page_counts_specialised_workers_as_the_indicator_does(computed, client, personas):
    """TGT-SPEC: ``workforce.selectors.specialisation_counts`` (shown on the county page) equals the stored value."""
    from workforce.services import specialisation_categories_ensure

    specialisation_categories_ensure()  # the plan's four (a transactional test elsewhere may have flushed them)
    on = D(2022, 6, 15)
    page = selectors.county_workforce(county=computed["county_a"], today=on)
    rows = {r["category"].code: r for r in page["specialisations"]}
    stored = IndicatorValue.objects.get(indicator="TGT-SPEC-MINORS", place_id=A, period="2022-06")
    assert rows["minors_protection"]["n"] == stored.numerator == 1
    assert rows["minors_protection"]["share"] == float(stored.value) == 50.0
    assert rows["elderly_services"]["n"] == 0
    client.force_login(personas["officer_a"])
    html = client.get(reverse("workforce:county_workforce", args=[A])).content.decode()
    assert 'data-testid="specialisations"' in html and "未成年人保护" in html

"""PLAN-1 indicator: counties with a filed plan in force, county and city, year-ends and the current month; its SQL
form against the Python rule (parity); figures following a filing; the explanation page's scoped list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.catalogue import BY_CODE, rule_text
from reporting.models import IndicatorValue, PendingChange
from reporting.services import indicators_recompute, indicators_recompute_pending
from supervision import services_plans as services
from supervision.models import CountyPlan, PlanVersion
from supervision.rules_plans import plan1_in_force
from tests.permkit import client_for
from tests.supervision import plans_kit
from tests.supervision.plans_kit import filed, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
media = plans_kit.media
D = datetime.date
A, B, CITY = "450222000000", "450223000000", "450200000000"


def _values(place):
    return {
        v.as_of: (v.numerator, v.denominator) for v in IndicatorValue.objects.filter(indicator="PLAN-1", place_id=place)
    }


def _backdate(version, day):
    PlanVersion.objects.filter(pk=version.pk).update(filed_on=day)


def test_counties_with_a_filed_plan_in_force_by_year_end_and_month(network, personas):
    v = filed(personas["officer_a"], personas["city_admin"], network["county_a"])  # plan 2021–2023
    _backdate(v, D(2021, 3, 1))
    submitted(personas["officer_b"], network["county_b"])  # submitted, never filed: not counted
    indicators_recompute(codes=["PLAN-1"])
    a, b, city = _values(A), _values(B), _values(CITY)
    assert a[D(2020, 12, 31)] == (0, 1)  # filed after that date
    assert a[D(2021, 12, 31)] == (1, 1) and a[D(2023, 12, 31)] == (1, 1)
    assert a[D(2024, 12, 31)] == (0, 1)  # the plan's period ended in 2023
    assert b[D(2021, 12, 31)] == (0, 1)
    assert city[D(2021, 12, 31)] == (1, 2)  # the city is the sum of its counties
    today = timezone.localdate()
    assert max(a) == today or max(a).month == today.month  # the current month is computed too


def test_the_sql_form_agrees_with_the_python_rule(network, personas):
    officer, city = personas["officer_a"], personas["city_admin"]
    cases = [(2018, 2020, D(2018, 5, 1)), (2021, 2023, D(2021, 12, 31)), (2024, 2026, D(2025, 1, 2))]
    for first, last, day in cases:
        _backdate(filed(officer, city, network["county_a"], first_year=first, last_year=last), day)
    indicators_recompute(codes=["PLAN-1"])
    stored = _values(A)
    plans = list(CountyPlan.objects.filter(county_id=A))
    for as_of, (num, den) in stored.items():
        expected = any(
            plan1_in_force(filed_on=v.filed_on, last_year=p.last_year, on=as_of)
            for p in plans
            for v in p.versions.all()
        )
        assert (num, den) == (int(expected), 1), as_of


def test_a_filing_leaves_a_pending_change_and_the_figure_follows(network, personas):
    indicators_recompute(codes=["PLAN-1"])
    today = timezone.localdate()
    current = lambda: _values(A)[max(_values(A))]  # noqa: E731
    assert current() == (0, 1)
    PendingChange.objects.all().delete()
    version = submitted(personas["officer_a"], network["county_a"], first_year=today.year, last_year=today.year + 2)
    services.plan_version_file(user=personas["city_admin"], version=version)
    assert PendingChange.objects.filter(place_code=A).exists()
    indicators_recompute_pending()
    assert current() == (1, 1)
    assert _values(CITY)[max(_values(CITY))] == (1, 2)


def test_the_explanation_page_lists_the_counties_in_scope(client, network, personas):
    today = timezone.localdate()
    filed(
        personas["officer_a"], personas["city_admin"], network["county_a"], first_year=today.year, last_year=today.year
    )
    indicators_recompute(codes=["PLAN-1"])
    assert "PLAN-1" in rule_text("PLAN-1") or rule_text("PLAN-1")
    assert BY_CODE["PLAN-1"].levels == ("city", "county")
    page = client_for(client, personas, "city_admin").get(reverse("reporting:explanation", args=[CITY, "PLAN-1"]))
    html = page.content.decode()
    assert page.status_code == 200 and "柳城县" in html and "鹿寨县" in html and "v1" in html
    page = client_for(client, personas, "officer_b").get(reverse("reporting:explanation", args=[B, "PLAN-1"]))
    html = page.content.decode()
    assert page.status_code == 200 and "鹿寨县" in html and "柳城县" not in html

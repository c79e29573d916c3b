"""SUP-1 indicators: station-months meeting SUP-1 and supervisors within 2–8 stations, for counties and the city, at
year-ends and this month; the explanation lists the same records the value counts (the same rule function)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from reporting.models import IndicatorValue
from reporting.services import indicators_recompute
from reporting.sup1 import station_months, supervisor_load_rows
from tests.factories import AssignmentFactory, QualificationFactory, WorkerFactory
from tests.supervision.helpers import supervised_monthly, supervision_log
from tests.supervision.sup_fixtures import sup  # noqa: F401

D = datetime.date
A = "450222000000"
pytestmark = pytest.mark.django_db


def _value(code, place, period):
    v = IndicatorValue.objects.get(indicator=code, place_id=place, period=period)
    return v.numerator, v.denominator


def test_station_months_meeting_sup1_per_year_and_this_month(network, personas, sup):  # noqa: F811
    a1, a2 = network["station_a1"], network["station_a2"]
    supervised_monthly(a1, since=D(2023, 1, 1))
    supervision_log(a2, D(2023, 3, 31), hours=16, days=2)  # the last day of March: counts for March
    supervision_log(a2, D(2023, 4, 10), hours=15.5, days=1)  # short
    today = timezone.localdate()
    indicators_recompute(today=today)
    assert _value("SUP-1-MONTHS", A, "2023") == (13, 24)
    assert _value("SUP-1-MONTHS", "450200000000", "2023") == (13, 48)  # county B: 24 due, none met
    assert _value("SUP-1-MONTHS", A, "2022") == (0, 24)
    assert IndicatorValue.objects.filter(indicator="SUP-1-MONTHS", period="2020").get(place_id=A).denominator == 0
    done = today.month - 1  # months of this year that have ended
    assert _value("SUP-1-MONTHS", A, f"{today:%Y-%m}") == (done, 2 * done)
    # The explanation page lists the same station-months with the same verdicts.
    _headers, rows = station_months(personas["officer_a"], network["county_a"], D(2023, 12, 31))
    assert len(rows) == 24 and sum(r[-1] == "是" or r[-1] == "Yes" for r in rows) == 13
    client_rows = station_months(personas["officer_b"], network["county_a"], D(2023, 12, 31))[1]
    assert client_rows == []  # scoped


def test_supervisors_within_two_to_eight_stations(network, personas, sup):  # noqa: F811
    lone = WorkerFactory(name="单站督导", place=network["township_a2"], organisation=sup["org"])
    QualificationFactory(worker=lone, grade=2, certificate_no="L-1", obtained_on=D(2015, 1, 1))
    AssignmentFactory(
        worker=lone, station=network["station_a2"], role="supervisor", organisation=sup["org"], start_on=D(2023, 1, 1)
    )
    indicators_recompute(today=timezone.localdate())
    assert _value("SUP-1-LOAD", A, "2023") == (1, 2)
    assert _value("SUP-1-LOAD", A, "2022") == (1, 1)
    rows = supervisor_load_rows(personas["city_admin"], network["county_a"], D(2023, 12, 31))[1]
    assert sorted((r[0], r[2]) for r in rows) == [("单站督导", 1), ("督导甲", 2)]


def test_explanation_pages_answer(client, network, personas, sup):  # noqa: F811
    indicators_recompute(today=timezone.localdate())
    client.force_login(personas["officer_a"])
    for code in ("SUP-1-MONTHS", "SUP-1-LOAD"):
        response = client.get(reverse("reporting:explanation", args=[A, code]) + "?period=2023")
        assert response.status_code == 200
        html = response.content.decode()
        assert "SUP-1" in html and "16" in html


def test_an_edit_reaches_the_indicator_without_a_full_run(network, personas, sup):  # noqa: F811
    from reporting.models import PendingChange
    from reporting.services import indicators_recompute_pending
    from supervision import services_supervision as services

    indicators_recompute(today=timezone.localdate())
    last = timezone.localdate().replace(day=1) - relativedelta(months=1)
    before = _value("SUP-1-MONTHS", A, f"{timezone.localdate():%Y-%m}")
    services.supervision_log_confirm(user=personas["station_worker"], log=sup["log"])
    assert PendingChange.objects.exists()
    indicators_recompute_pending()
    after = _value("SUP-1-MONTHS", A, f"{timezone.localdate():%Y-%m}")
    if last.year == timezone.localdate().year:
        assert after[0] == before[0] + 1

"""The training indicators (SUP-2): stored values for townships, counties and the city at a year-end, the average
hours, the explanation page (rule text from the settings, the scoped list), and figures following an edit and an
import through the pending changes."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import IndicatorValue, PendingChange
from reporting.services import indicators_recompute, indicators_recompute_pending
from supervision.models import Attendance
from supervision.services_training import attendance_save
from tests.permkit import client_for

from .training_fixtures import trn  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trn")]
CODES = ["SUP-2-MET", "SUP-2-AVG"]


def _value(code, place, period="2023"):
    return IndicatorValue.objects.filter(indicator=code, place=place, period=period).first()


def test_the_year_end_values_for_township_county_and_city(network):
    indicators_recompute(codes=CODES)
    a1, a, city = network["township_a1"], network["county_a"], network["city"]
    # 甲 40 of 48 h (short), 乙 24.5 of 24.2 h pro rata (met); 丙 48 of 48 h in county B (met).
    v = _value("SUP-2-MET", a1)
    assert (v.numerator, v.denominator, v.value) == (1, 2, 50)
    assert (_value("SUP-2-MET", a).numerator, _value("SUP-2-MET", a).denominator) == (1, 2)
    c = _value("SUP-2-MET", city)
    assert (c.numerator, c.denominator) == (2, 3) and c.target == 100
    avg = _value("SUP-2-AVG", a)
    assert (avg.numerator, avg.denominator, avg.value) == (Decimal("64.5"), 2, Decimal("32.25"))
    assert _value("SUP-2-AVG", city).value == Decimal("37.5")  # (40 + 24.5 + 48) ÷ 3
    assert _value("SUP-2-MET", a, "2022").denominator == 1  # only 甲 was stationed in 2022


def test_the_explanation_page_quotes_the_setting_and_lists_the_scoped_workers(client, personas, network):
    indicators_recompute(codes=CODES)
    c = client_for(client, personas, "city_admin")
    client.post(reverse("network:rule_settings"), {"key": "SUP-2.training_hours_per_year", "value": "40"})
    html = c.get(reverse("reporting:explanation", args=[network["city"].code, "SUP-2-MET"])).content.decode()
    rule = html.split('data-testid="rule-text">')[1].split("</p>")[0]
    assert "40" in rule and "48" not in rule
    officer_b = client_for(client, personas, "officer_b")
    html = officer_b.get(
        reverse("reporting:explanation", args=[network["county_b"].code, "SUP-2-MET"])
    ).content.decode()
    assert "驻站丙" in html and "驻站甲" not in html


def test_an_edit_and_its_deletion_move_the_figures(personas, network):
    t = network["trn"]
    indicators_recompute(codes=CODES)
    PendingChange.objects.all().delete()
    a = attendance_save(
        user=personas["officer_a"],
        data={
            "course": t["online"],
            "worker": t["jia"],
            "attended_on": datetime.date(2023, 11, 2),
            "hours": Decimal(8),
        },
    )
    assert PendingChange.objects.filter(place_code=network["township_a1"].code).exists()
    indicators_recompute_pending()
    assert _value("SUP-2-MET", network["county_a"]).numerator == 2
    Attendance.objects.get(pk=a.pk).delete()
    indicators_recompute_pending()
    assert _value("SUP-2-MET", network["county_a"]).numerator == 1

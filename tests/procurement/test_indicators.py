"""The procurement indicators: stored values at county and city for the current month, the SQL forms they embed
against the Python rules (parity), the pay-floor shortfall counted on the county dashboard, figures following an
edit."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.models import PayLine
from procurement.selectors import pay_check, pay_lines_with_floor
from reporting.models import IndicatorValue
from reporting.services import indicators_recompute
from tests.factories import QualificationFactory
from tests.permkit import client_for
from workforce.services import certified_spans_refresh

from .conftest import pay

pytestmark = pytest.mark.django_db
CODES = ["PRC-5-CLAUSES", "PRC-COVER", "PRC-2-CONTRACT-STAFF", "PRC-3-PAY", "PRC-3-FEE", "FUND-1", "PRC-4-ONTIME"]


def _value(code, place, period):
    return IndicatorValue.objects.filter(indicator=code, place=place, period=period).first()


def test_the_county_and_city_values_of_the_current_month(prc_full, network):
    pay(prc_full, "w0", Decimal(3200))  # exactly 160 % of 2,000: meets its floor
    indicators_recompute(codes=CODES)
    period = f"{prc_full['today']:%Y-%m}"
    a, city = network["county_a"], network["city"]
    v = _value("PRC-3-PAY", a, period)
    assert (v.numerator, v.denominator, v.value) == (1, 2, 50)  # 3,900 < 4,000 for the assistant social worker
    assert _value("PRC-3-PAY", city, period).denominator == 2
    assert (_value("PRC-5-CLAUSES", a, period).numerator, _value("PRC-5-CLAUSES", a, period).denominator) == (0, 1)
    assert _value("PRC-COVER", a, period).value == 100
    staff = _value("PRC-2-CONTRACT-STAFF", a, period)  # A1 has three, A2 one
    assert (staff.numerator, staff.denominator) == (1, 2)
    assert _value("PRC-3-FEE", a, period).value == 100
    fund = _value("FUND-1", a, period)  # 20,000 of 1,000,000: exactly 2 %, met
    assert (fund.numerator, fund.denominator, fund.value, fund.status) == (20000, 1000000, 2, "met")
    cover_city = _value("PRC-COVER", city, period)
    assert (cover_city.numerator, cover_city.denominator) == (3, 4)  # B2 has no contract


def test_final_evaluations_on_time(prc_full, network, personas):
    from procurement.choices import EVALUATION_FIELDS
    from procurement.models import Contract
    from procurement.services import evaluation_record

    today = prc_full["today"]
    Contract.objects.filter(pk=prc_full["contract"].pk).update(end_on=today)  # due a month ago, not done
    indicators_recompute(codes=["PRC-4-ONTIME"])
    v = _value("PRC-4-ONTIME", network["county_a"], f"{today:%Y-%m}")
    assert (v.numerator, v.denominator) == (0, 1)
    evaluation_record(
        user=personas["officer_a"],
        contract=prc_full["contract"],
        data={
            "team": prc_full["team"],
            "kind": "final",
            "evaluated_on": today - datetime.timedelta(days=40),
            **dict.fromkeys(EVALUATION_FIELDS.values(), 80),
        },
    )
    indicators_recompute(codes=["PRC-4-ONTIME"])
    v = _value("PRC-4-ONTIME", network["county_a"], f"{today:%Y-%m}")
    assert (v.numerator, v.denominator) == (1, 1)


def test_pay_floor_sql_and_python_agree_across_grades_and_months(prc_full):
    today = prc_full["today"]
    months = [(today.replace(day=1) - datetime.timedelta(days=31 * k)).replace(day=1) for k in range(1, 5)]
    # w0 qualifies as an assistant on the 15th of a month: the floor rises from the next month on.
    QualificationFactory(worker=prc_full["workers"]["w0"], grade=1, obtained_on=months[2] + datetime.timedelta(days=14))
    certified_spans_refresh()
    for m in months:
        for key, amount in (("w0", 3200), ("w0", 4000), ("w1", 3999), ("w2", 4600), ("w3", 3199)):
            PayLine.objects.filter(worker=prc_full["workers"][key], month=m).delete()
            pay(prc_full, key, Decimal(amount), on=m)
    checks = pay_check(pay_lines_with_floor(PayLine.objects.select_related("worker")))
    assert checks and all(c.line.meets_floor == c.ok for c in checks)
    assert {c.ok for c in checks} == {True, False}
    w0 = {c.line.month: c.grade for c in checks if c.line.worker == prc_full["workers"]["w0"]}
    assert w0[months[2]] == 0 and w0[months[1]] == 1
    # The indicator's set-based form counts the same lines as the Python rule, year by year.
    indicators_recompute(codes=["PRC-3-PAY"])
    for year in {c.line.month.year for c in checks}:
        period = str(year) if year < today.year else f"{today:%Y-%m}"
        v = _value("PRC-3-PAY", prc_full["contract"].project.county, period)
        in_year = [c for c in checks if c.line.month.year == year]
        assert (v.numerator, v.denominator) == (sum(c.ok for c in in_year), len(in_year)), year


def test_the_pay_shortfall_is_counted_on_the_county_dashboard(client, personas, prc_full, network):
    indicators_recompute()
    page = client_for(client, personas, "officer_a").get(
        reverse("reporting:place_dashboard", args=[network["county_a"].code])
    )
    html = page.content.decode()
    card = html.split('data-testid="card-PRC-3-PAY"')[1].split("</div></div>")[0]
    assert 'data-testid="value-PRC-3-PAY"' in card and "0 / 1" in card
    explanation = client_for(client, personas, "officer_a").get(
        reverse("reporting:explanation", args=[network["county_a"].code, "PRC-3-PAY"])
    )
    assert "PRC-3" in explanation.content.decode() and "3,900.00" in explanation.content.decode()

"""Rule texts, definitions and chart lines quote the rule settings in force: a city administrator's edit on the
rule settings page shows on the explanation page, in the API and in the dashboard's chart data."""

import json
import re

import pytest
from django.urls import reverse

from reporting.catalogue import INDICATORS, RULE_TEXT, rule_numbers, rule_text

CITY = "450200000000"
pytestmark = pytest.mark.django_db


def _edit(client, key, value):
    response = client.post(reverse("network:rule_settings"), {"key": key, "value": str(value)})
    assert response.status_code == 302, response.content[:300]


def _rule_paragraph(html: str) -> str:
    return html.split('data-testid="rule-text">')[1].split("</p>")[0]


def _definition(html: str) -> str:
    return html.split('data-testid="definition">')[1].split("</p>")[0]


def test_every_rule_text_and_definition_formats_with_the_numbers_in_force():
    numbers = rule_numbers()
    for rule in RULE_TEXT:
        assert "%(" not in rule_text(rule), rule
    for ind in INDICATORS:
        assert "%(" not in ind.definition_text, ind.code
    assert numbers["cov_2021"] == "70" and numbers["workers"] == "2" and numbers["path"] == "1.95"


def test_an_edited_setting_shows_on_the_explanation_page_and_in_the_chart_data(client, personas):
    client.force_login(personas["city_admin"])
    _edit(client, "TGT-SPEC.min_share", 15)
    _edit(client, "PRC-2.workers_per_station", 3)
    _edit(client, "PRC-2.qualify_within_months", 18)
    _edit(client, "TGT-COV.target_2021", 80)

    html = client.get(reverse("reporting:explanation", args=[CITY, "TGT-SPEC-MINORS"])).content.decode()
    rule, definition = _rule_paragraph(html), _definition(html)
    assert "15" in rule and "10" not in rule
    assert "15" in definition and "10" not in definition

    html = client.get(reverse("reporting:explanation", args=[CITY, "PRC-2-OVERDUE"])).content.decode()
    rule = _rule_paragraph(html)
    assert re.search(r"\b3\b", rule) and "18" in rule and "24" not in rule and "2 " not in rule
    assert "18" in _definition(html)

    html = client.get(reverse("reporting:explanation", args=[CITY, "PRC-2-STAFF"])).content.decode()
    assert re.search(r"\b3\b", _definition(html))

    html = client.get(reverse("reporting:explanation", args=[CITY, "TGT-COV"])).content.decode()
    assert "80" in _rule_paragraph(html) and "70" not in _rule_paragraph(html)

    dashboard = client.get(reverse("reporting:place_dashboard", args=[CITY])).content.decode()
    data = json.loads(dashboard.split('id="reporting-data" type="application/json">')[1].split("</script>")[0])
    assert data["spec_line"] == 15
    assert "15" in dashboard.split('id="spec-chart"')[0].rsplit("<h2", 1)[1]  # the chart's heading

    api = client.get("/api/reporting/indicators/TGT-SPEC-MINORS/").json()
    assert "15" in api["definition"] and "15" in api["rule_text"]


def test_the_station_form_and_the_qualification_form_quote_the_settings(client, personas, network):
    client.force_login(personas["city_admin"])
    _edit(client, "NET-2.demonstration_max", 4)
    _edit(client, "QUAL.registration_valid_years", 5)
    html = client.get(reverse("stations:station_edit", args=[network["station_a1"].pk])).content.decode()
    assert re.search(r"1\s*[–—-]\s*4", html)
    from tests.factories import WorkerFactory

    worker = WorkerFactory(place=network["township_a1"])
    html = client.get(reverse("workforce:qualification_create", args=[worker.pk])).content.decode()
    assert re.search(r"5\s*年", html)

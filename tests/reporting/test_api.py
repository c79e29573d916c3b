"""Indicator API: permissions, scope (a county client sees only its county), filters, CSV, conditional GET,
token authentication, constant query count, OpenAPI."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from reporting.services import indicators_recompute
from tests.permkit import PERSONAS, READ_A1, READ_COUNTY_A, Case, ScopeCase, list_scope_test, permission_matrix_test

API_READ = dict.fromkeys(PERSONAS, 200) | {"anonymous": "login"}
CITY, A, B, A1 = "450200000000", "450222000000", "450223000000", "450222101000"


@pytest.fixture(autouse=True)
def _values(request):
    """Every test here starts from computed values on the shared small network."""
    if "network" in request.fixturenames:
        request.getfixturevalue("network")
        indicators_recompute(today=datetime.date(2022, 6, 15))


def _value_pk(place):
    from reporting.models import IndicatorValue

    return IndicatorValue.objects.get(indicator="TGT-COV", place_id=place, period="2021").pk


PERMISSION_MATRIX = [
    Case("reporting-indicator-list", API_READ, api=True),
    Case("reporting-indicator-detail", API_READ, api=True, args=lambda n: ["TGT-COV"]),
    Case("reporting-value-list", API_READ, api=True),
    Case("reporting-value-detail", READ_A1, api=True, args=lambda n: [_value_pk(A1)]),
    Case("reporting-value-detail", READ_COUNTY_A, api=True, args=lambda n: [_value_pk(A)]),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


def _visible(n):
    """Places whose coverage values each persona may read (codes)."""
    city, a, b = n["city"].code, n["county_a"].code, n["county_b"].code
    a1, a2, b1, b2 = (n[k].code for k in ("township_a1", "township_a2", "township_b1", "township_b2"))
    everything = {city, a, b, a1, a2, b1, b2}
    return {
        "city_admin": everything,
        "city_viewer": everything,
        "officer_a": {a, a1, a2},
        "officer_b": {b, b1, b2},
        "station_worker": {a1},
        "provider": {a1, a2},
        "evaluator": {a2},
        "api_client": {a, a1, a2},
    }


SCOPE_CASES = [
    ScopeCase("reporting-value-list", _visible, mode="api", api_label="place", query="indicator=TGT-COV&period=2021"),
]
test_list_scope = list_scope_test(SCOPE_CASES)

pytestmark = pytest.mark.django_db


def _token_client(client, user):
    token, _ = Token.objects.get_or_create(user=user)
    client.logout()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_county_client_with_token_sees_only_its_county(client, personas, network):
    c = _token_client(client, personas["api_client"])
    data = c.get(reverse("reporting-value-list") + "?page_size=1000").json()
    places = {r["place"] for r in data["results"]}
    assert places == {A, "450222101000", "450222102000"}
    row = next(r for r in data["results"] if r["indicator"] == "TGT-COV" and r["place"] == A and r["period"] == "2021")
    assert row["rule"] == "TGT-COV" and row["numerator"] == "2.0000" and row["denominator"] == "2.0000"
    assert row["target"] == "70.0000" and row["status"] == "met" and row["computed_at"]
    # Asking for the other county or the city directly gives nothing.
    assert c.get(reverse("reporting-value-list") + f"?place={B}").json()["count"] == 0
    assert c.get(reverse("reporting-value-list") + f"?place={CITY}").json()["count"] == 0


def test_filters_place_with_descendants_level_and_period(client, personas, network):
    client.force_login(personas["city_viewer"])
    url = reverse("reporting-value-list")
    rows = client.get(url + f"?indicator=TGT-COV&period=2021&place={A}&descendants=true").json()["results"]
    assert {r["place"] for r in rows} == {A, "450222101000", "450222102000"}
    rows = client.get(url + f"?indicator=TGT-COV&period=2021&place={A}").json()["results"]
    assert [r["place"] for r in rows] == [A]
    rows = client.get(url + "?indicator=TGT-COV,TGT-CERT&period=2021&level=county").json()["results"]
    assert {(r["indicator"], r["place"]) for r in rows} == {
        ("TGT-COV", A),
        ("TGT-COV", B),
        ("TGT-CERT", A),
        ("TGT-CERT", B),
    }


def test_pagination_and_csv(client, personas, network):
    client.force_login(personas["city_admin"])
    url = reverse("reporting-value-list")
    page = client.get(url + "?page_size=5").json()
    assert len(page["results"]) == 5 and page["next"] and page["count"] > 5
    response = client.get(url + "?format=csv&indicator=TGT-COV&period=2021&level=county")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("indicator,rule,place,place_name") and len(lines) == 3


def test_conditional_get_answers_304_until_a_recompute(client, personas, network):
    c = _token_client(client, personas["api_client"])
    url = reverse("reporting-value-list") + "?indicator=TGT-COV"
    first = c.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = c.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    assert c.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert c.get(url + "&period=2021", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    indicators_recompute(today=datetime.date(2022, 6, 15))
    assert c.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_etag_differs_between_scopes(client, personas, network):
    url = reverse("reporting-value-list")
    client.force_login(personas["officer_a"])
    tag_a = client.get(url)["ETag"]
    client.force_login(personas["officer_b"])
    assert client.get(url, HTTP_IF_NONE_MATCH=tag_a).status_code == 200


def test_value_list_query_count_is_constant(client, personas, network, django_assert_num_queries):
    c = _token_client(client, personas["api_client"])
    url = reverse("reporting-value-list") + "?page_size=50"
    # token+user, scope, last computation, count, page
    with django_assert_num_queries(5):
        assert c.get(url).status_code == 200
    # The count is kept until the next recompute: token+user, scope, last computation, page
    with django_assert_num_queries(4):
        assert c.get(url + "&page=2").status_code == 200
    etag = c.get(url)["ETag"]
    with django_assert_num_queries(3):  # token+user, scope, last computation
        assert c.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_catalogue_lists_every_indicator_with_targets(client, personas, network):
    from reporting.catalogue import INDICATORS

    client.force_login(personas["city_viewer"])
    data = client.get(reverse("reporting-indicator-list")).json()
    assert [d["code"] for d in data] == [i.code for i in INDICATORS]
    cov = next(d for d in data if d["code"] == "TGT-COV")
    assert cov["name_zh"] == "乡镇（街道）社工站覆盖率" and cov["targets"]["2021"] == 70.0
    assert client.get(reverse("reporting-indicator-detail", args=["NOPE"])).status_code == 404
    # The schema says targets are numbers: every value is one (or null); how it scales is its own field.
    for d in data:
        assert all(t is None or isinstance(t, float) for t in d["targets"].values()), d["code"]
        assert d["target_scale"] in (None, "baseline", "counties")
    assert {d["target_scale"] for d in data} >= {None, "baseline"}


def test_schema_documents_the_indicator_api(client, personas, network):
    client.force_login(personas["city_viewer"])
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/reporting/values/" in schema and "/api/reporting/indicators/" in schema
    assert "descendants" in schema

"""Procurement API: permission matrix, scope of every list, bids only after the award, pay lines written through the
service (bad input answers 400 with the rule), pinned query counts, the OpenAPI schema."""

import pytest
from django.urls import reverse

from procurement.models import PayLine, Project
from tests.permkit import (
    CREATED,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    READ_A1,
    READ_CITY_WIDE,
    Case,
    ScopeCase,
    client_for,
    list_scope_test,
    permission_matrix_test,
)

pytestmark = pytest.mark.usefixtures("prc_full")


def P(n):
    return n["prc"]


READ_PROJECT = READ_A1 | {"evaluator": OK}
READ_RECORD = READ_A1 | {"station_worker": NOT_FOUND, "provider": OK, "evaluator": OK}


def _pay_data(n):
    return {
        "contract": P(n)["contract"].pk,
        "worker": P(n)["workers"]["w2"].pk,
        "month": P(n)["today"].replace(day=1).isoformat(),
        "amount": "4600.00",
    }


PAY_CREATE = {
    "city_admin": CREATED,
    "city_viewer": FORBIDDEN,
    "officer_a": CREATED,
    "officer_b": 400,
    "station_worker": 400,
    "provider": CREATED,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}
PAY_PATCH = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": NOT_FOUND,
    "provider": OK,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}

API_PERMISSION_MATRIX = [
    Case("procurement-api:api-root", READ_CITY_WIDE, api=True),
    Case("procurement-api:project-list", READ_CITY_WIDE, api=True),
    Case("procurement-api:project-detail", READ_PROJECT, args=lambda n: [P(n)["project"].pk], api=True),
    Case("procurement-api:project-ocds", READ_PROJECT, args=lambda n: [P(n)["project"].pk], api=True),
    Case("procurement-api:bid-list", READ_CITY_WIDE, api=True),
    # A bid of a project still receiving bids is not published.
    Case(
        "procurement-api:bid-detail",
        dict.fromkeys(READ_CITY_WIDE, NOT_FOUND) | {"anonymous": LOGIN},
        args=lambda n: [P(n)["bid"].pk],
        api=True,
    ),
    Case("procurement-api:contract-list", READ_CITY_WIDE, api=True),
    Case("procurement-api:contract-detail", READ_PROJECT, args=lambda n: [P(n)["contract"].pk], api=True),
    Case("procurement-api:payline-list", READ_CITY_WIDE, api=True),
    Case("procurement-api:payline-list", PAY_CREATE, method="post", data=_pay_data, api=True),
    Case("procurement-api:payline-detail", READ_RECORD, args=lambda n: [P(n)["line"].pk], api=True),
    Case(
        "procurement-api:payline-detail",
        PAY_PATCH,
        args=lambda n: [P(n)["line"].pk],
        method="patch",
        data=lambda n: {"amount": "4000.00"},
        api=True,
    ),
    Case("procurement-api:evaluation-list", READ_CITY_WIDE, api=True),
    Case("procurement-api:evaluation-detail", READ_RECORD, args=lambda n: [P(n)["evaluation"].pk], api=True),
]
test_api_permission_matrix = permission_matrix_test(API_PERMISSION_MATRIX)

ALL = ["city_admin", "city_viewer", "officer_a", "officer_b", "station_worker", "provider", "evaluator", "api_client"]


def _ids(key, personas_):
    def visible(n):
        return {p: ({str(P(n)[key].pk)} if p in personas_ else set()) for p in ALL}

    return visible


COUNTY_A = {"city_admin", "city_viewer", "officer_a", "api_client"}
SCOPE_CASES = [
    ScopeCase(
        "procurement-api:project-list",
        _ids("project", COUNTY_A | {"station_worker", "provider", "evaluator"}),
        mode="api",
    ),
    ScopeCase(
        "procurement-api:project-list", _ids("project_b", {"city_admin", "city_viewer", "officer_b"}), mode="api"
    ),
    ScopeCase(
        "procurement-api:contract-list",
        _ids("contract", COUNTY_A | {"station_worker", "provider", "evaluator"}),
        mode="api",
    ),
    ScopeCase(
        "procurement-api:contract-list", _ids("contract_b", {"city_admin", "city_viewer", "officer_b"}), mode="api"
    ),
    ScopeCase("procurement-api:payline-list", _ids("line", COUNTY_A | {"provider", "evaluator"}), mode="api"),
    ScopeCase("procurement-api:evaluation-list", _ids("evaluation", COUNTY_A | {"provider", "evaluator"}), mode="api"),
]
test_api_list_scope = list_scope_test(SCOPE_CASES)


@pytest.mark.django_db
def test_bids_are_published_after_the_award(client, personas, prc_full):
    c = client_for(client, personas, "officer_a")
    assert c.get(reverse("procurement-api:bid-list")).json()["count"] == 0
    Project.objects.filter(pk=prc_full["open_project"].pk).update(status="awarded")
    data = c.get(reverse("procurement-api:bid-list")).json()
    assert [b["id"] for b in data["results"]] == [prc_full["bid"].pk]


@pytest.mark.django_db
def test_a_pay_line_posted_through_the_api_is_checked_by_the_service(client, personas, prc_full):
    from tests.factories import WorkerFactory

    c = client_for(client, personas, "officer_a")
    url = reverse("procurement-api:payline-list")
    data = _pay_data({"prc": prc_full})
    response = c.post(url, data | {"amount": "4599.00"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["meets_floor"] is False and body["floor"] == "4600.00" and body["grade"] == 2
    outsider = WorkerFactory(place=prc_full["contract"].stations.first().place)
    bad = c.post(url, data | {"worker": outsider.pk, "month": "2026-01-01"}, content_type="application/json")
    assert bad.status_code == 400 and "PRC-3" in str(bad.json())
    negative = c.post(
        url, data | {"worker": prc_full["workers"]["w0"].pk, "amount": "-1"}, content_type="application/json"
    )
    assert negative.status_code == 400
    assert PayLine.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["project-list", "contract-list", "payline-list", "evaluation-list"])
def test_api_list_query_counts_are_pinned(client, personas, prc_full, name, django_assert_max_num_queries):
    c = client_for(client, personas, "officer_a")
    with django_assert_max_num_queries(12):
        assert c.get(reverse(f"procurement-api:{name}")).status_code == 200


@pytest.mark.django_db
def test_the_endpoints_are_in_the_openapi_schema(client, personas):
    schema = client_for(client, personas, "officer_a").get("/api/schema/?format=json").json()
    for path in ("/api/procurement/projects/", "/api/procurement/pay-lines/", "/api/procurement/projects/{id}/ocds/"):
        assert path in schema["paths"], path

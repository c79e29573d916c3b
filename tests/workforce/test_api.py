"""Workforce API: permission matrix, scope of lists, masking, writes through the services, pinned queries,
OpenAPI schema."""

import datetime

import pytest
from django.urls import reverse

from tests.permkit import (
    CREATED,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    READ_A1,
    READ_CITY_WIDE,
    READ_COUNTY_A,
    Case,
    ScopeCase,
    list_scope_test,
    permission_matrix_test,
)
from workforce.choices import Grade
from workforce.identifiers import make_credit_code, make_id_number
from workforce.models import Organisation, Qualification, Worker

from .conftest import make_worker

pytestmark = pytest.mark.usefixtures("wf")

API_READ = dict(READ_CITY_WIDE.items())
API_A1 = READ_A1
API_COUNTY_A = READ_COUNTY_A
# Creating inside township A1 / county A: read-only roles 403; out-of-scope choices are refused (400).
CREATE_IN_A1 = {
    "city_admin": CREATED,
    "city_viewer": FORBIDDEN,
    "officer_a": CREATED,
    "officer_b": 400,
    "station_worker": CREATED,
    "provider": CREATED,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}
CREATE_IN_COUNTY_A = CREATE_IN_A1 | {"station_worker": 400, "provider": 400}
PATCH_A1 = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": OK,
    "provider": OK,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}


def _new_worker(n):
    return {
        "name": "新人",
        "id_number": make_id_number("450222", datetime.date(1998, 1, 2), 9, True),
        "place": n["township_a1"].code,
    }


PERMISSION_MATRIX = [
    Case("workforce-api:api-root", READ_CITY_WIDE, api=True),
    Case("workforce-api:worker-list", API_READ, api=True),
    Case("workforce-api:worker-detail", API_A1, args=lambda n: [n["zhang"].pk], api=True),
    Case("workforce-api:worker-list", CREATE_IN_A1, method="post", data=_new_worker, api=True),
    Case(
        "workforce-api:worker-detail",
        PATCH_A1,
        args=lambda n: [n["zhang"].pk],
        method="patch",
        data=lambda n: {"phone": "13907720003"},
        api=True,
    ),
    Case("workforce-api:qualification-list", API_READ, api=True),
    Case("workforce-api:qualification-detail", API_A1, args=lambda n: [n["q_zhang"].pk], api=True),
    Case(
        "workforce-api:qualification-list",
        CREATE_IN_A1,
        method="post",
        api=True,
        data=lambda n: {"worker": n["zhang"].pk, "grade": 2, "certificate_no": "API-1", "obtained_on": "2023-03-01"},
    ),
    Case("workforce-api:organisation-list", API_READ, api=True),
    Case(
        "workforce-api:organisation-detail",
        API_COUNTY_A | {"station_worker": OK, "provider": OK, "evaluator": OK},
        args=lambda n: [n["org_a"].pk],
        api=True,
    ),
    Case(
        "workforce-api:organisation-list",
        CREATE_IN_COUNTY_A,
        method="post",
        api=True,
        data=lambda n: {
            "name": "新机构",
            "credit_code": make_credit_code("450222", 77),
            "county": n["county_a"].code,
            "scope_includes_social_work": True,
        },
    ),
    Case("workforce-api:assignment-list", API_READ, api=True),
    Case("workforce-api:assignment-detail", API_A1, args=lambda n: [n["a_zhang"].pk], api=True),
    Case(
        "workforce-api:assignment-detail",
        PATCH_A1,
        args=lambda n: [n["a_zhang"].pk],
        method="patch",
        data=lambda n: {"end_on": "2024-06-30"},
        api=True,
    ),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


def _ids(key_names):
    def visible(n):
        a1, a2, b1 = (str(n[k].pk) for k in key_names)
        return {
            "city_admin": {a1, a2, b1},
            "city_viewer": {a1, a2, b1},
            "officer_a": {a1, a2},
            "officer_b": {b1},
            "station_worker": {a1},
            "provider": {a1, a2},
            "evaluator": {a2},
            "api_client": {a1, a2},
        }

    return visible


def _orgs(n):
    a, b = str(n["org_a"].pk), str(n["org_b"].pk)
    return {
        "city_admin": {a, b},
        "city_viewer": {a, b},
        "officer_a": {a},
        "officer_b": {b},
        "api_client": {a},
        "station_worker": {a},
        "provider": {a},
        "evaluator": {a},
    }


SCOPE_CASES = [
    ScopeCase("workforce-api:worker-list", _ids(["zhang", "li", "wang"]), mode="api"),
    ScopeCase("workforce-api:organisation-list", _orgs, mode="api"),
    ScopeCase(
        "workforce-api:qualification-list",
        lambda n: (
            {p: {str(n["q_zhang"].pk), str(n["q_wang"].pk)} for p in ("city_admin", "city_viewer")}
            | {p: {str(n["q_zhang"].pk)} for p in ("officer_a", "station_worker", "provider", "api_client")}
            | {"officer_b": {str(n["q_wang"].pk)}}
        ),
        mode="api",
    ),
    ScopeCase(
        "workforce-api:assignment-list",
        lambda n: (
            {
                p: {str(n["a_zhang"].pk), str(n["a_li"].pk)}
                for p in ("city_admin", "city_viewer", "officer_a", "provider", "api_client")
            }
            | {"station_worker": {str(n["a_zhang"].pk)}, "evaluator": {str(n["a_li"].pk)}}
        ),
        mode="api",
    ),
]
test_list_scope = list_scope_test(SCOPE_CASES)


@pytest.mark.django_db
def test_api_masks_id_numbers_for_api_client(client, personas, network):
    client.force_login(personas["api_client"])
    data = client.get(reverse("workforce-api:worker-detail", args=[network["zhang"].pk])).json()
    assert data["id_number"] != network["zhang"].id_number and data["id_number"].endswith(
        network["zhang"].id_number[-4:]
    )
    assert data["highest_grade"] == Grade.ASSISTANT
    client.force_login(personas["officer_a"])
    data = client.get(reverse("workforce-api:worker-detail", args=[network["zhang"].pk])).json()
    assert data["id_number"] == network["zhang"].id_number


@pytest.mark.django_db
def test_api_bad_input_one_error_shape_nothing_written(client, personas, network):
    client.force_login(personas["officer_a"])
    url = reverse("workforce-api:qualification-list")
    response = client.post(
        url,
        {"worker": network["zhang"].pk, "grade": 1, "certificate_no": "ZS2021002", "obtained_on": "2023-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "certificate_no" in response.json()["errors"]
    response = client.post(
        url,
        {"worker": network["zhang"].pk, "grade": 1, "certificate_no": "X-1", "obtained_on": "2001-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "obtained_on" in response.json()["errors"]
    assert not Qualification.objects.filter(certificate_no__in=["X-1"]).exists()
    response = client.post(
        reverse("workforce-api:organisation-list"),
        {
            "name": "错码机构",
            "credit_code": make_credit_code("450222", 5)[:17] + "0",
            "county": network["county_a"].code,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and not Organisation.objects.filter(name="错码机构").exists()
    response = client.post(
        reverse("workforce-api:assignment-list"),
        {"worker": network["zhang"].pk, "station": network["station_a2"].pk, "start_on": "2023-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "PRC-2" in response.json()["detail"]


@pytest.mark.django_db
def test_api_known_id_number_updates(client, personas, network):
    client.force_login(personas["officer_a"])
    zhang = network["zhang"]
    response = client.post(
        reverse("workforce-api:worker-list"),
        {"name": "张晓明", "id_number": zhang.id_number, "place": network["township_a1"].code, "phone": "13607720000"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["id"] == zhang.pk
    assert Worker.objects.filter(id_number=zhang.id_number).count() == 1


@pytest.mark.django_db
def test_api_list_query_count_is_fixed(client, personas, network, django_assert_num_queries):
    client.force_login(personas["city_admin"])
    url = reverse("workforce-api:worker-list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(20):
        w = make_worker(f"接口{i}", network["township_b2"], 200 + i)
        Qualification.objects.create(
            worker=w, grade=Grade.SENIOR, certificate_no=f"API{i}", obtained_on=datetime.date(2020, 1, 1)
        )
    with django_assert_num_queries(len(before.captured_queries)):
        assert len(client.get(url + "?page_size=1000").json()["results"]) == 23


@pytest.mark.django_db
def test_openapi_schema_lists_workforce_endpoints(client, personas):
    client.force_login(personas["city_admin"])
    text = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/workforce/workers/",
        "/api/workforce/qualifications/",
        "/api/workforce/organisations/",
        "/api/workforce/assignments/",
    ):
        assert path in text

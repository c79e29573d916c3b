"""Network API: places and centres, scoped like the pages; token authentication for API clients."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from network.choices import CentreLevel
from network.models import Centre
from tests.network.test_views import _centre_a
from tests.permkit import (CREATED, FORBIDDEN, LOGIN, NOT_FOUND, OK, PERSONAS, READ_A1, READ_CITY_WIDE,
                           READ_COUNTY_A, Case, ScopeCase, list_scope_test, permission_matrix_test)

READ_CITY = {p: NOT_FOUND for p in PERSONAS} | {"city_admin": OK, "city_viewer": OK, "anonymous": LOGIN}
WRITE_COUNTY_A = {"city_admin": CREATED, "city_viewer": FORBIDDEN, "officer_a": CREATED, "officer_b": 400,
                  "station_worker": 400, "provider": 400, "evaluator": FORBIDDEN, "api_client": FORBIDDEN,
                  "anonymous": LOGIN}


PATCH_COUNTY_A = {"city_admin": OK, "city_viewer": FORBIDDEN, "officer_a": OK, "officer_b": NOT_FOUND,
                  "station_worker": NOT_FOUND, "provider": NOT_FOUND, "evaluator": FORBIDDEN,
                  "api_client": FORBIDDEN, "anonymous": LOGIN}


def _centre_data(n):
    return {"level": CentreLevel.COUNTY, "place": n["county_a"].code, "name": "柳城县社会工作服务站指导中心"}


PERMISSION_MATRIX = [
    Case("api-root", READ_CITY_WIDE, api=True),
    Case("place-list", READ_CITY_WIDE, api=True),
    Case("place-detail", READ_CITY, args=lambda n: [n["city"].code], api=True),
    Case("place-detail", READ_COUNTY_A, args=lambda n: [n["county_a"].code], api=True),
    Case("place-detail", READ_A1, args=lambda n: [n["village_a11"].code], api=True),
    Case("centre-list", READ_CITY_WIDE, api=True),
    Case("centre-list", WRITE_COUNTY_A, method="post", data=_centre_data, api=True),
    Case("centre-detail", READ_COUNTY_A, args=_centre_a, api=True),
    Case("centre-detail", PATCH_COUNTY_A, args=_centre_a, method="patch", data=lambda n: {"address": "新址"},
         api=True),
    Case("api-schema", READ_CITY_WIDE, api=True),
    Case("api-docs", READ_CITY_WIDE, api=True),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


def _visible(n):
    a1, a2, b1, b2 = (n[k].code for k in ("township_a1", "township_a2", "township_b1", "township_b2"))
    return {"city_admin": {a1, a2, b1, b2}, "city_viewer": {a1, a2, b1, b2}, "officer_a": {a1, a2},
            "officer_b": {b1, b2}, "station_worker": {a1}, "provider": {a1, a2}, "evaluator": {a2},
            "api_client": {a1, a2}}


SCOPE_CASES = [ScopeCase("place-list", _visible, mode="api", api_label="code", query="level=township")]
test_list_scope = list_scope_test(SCOPE_CASES)


@pytest.mark.django_db
def test_token_client_reads_only_its_county(client, personas, network):
    token = Token.objects.create(user=personas["api_client"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    response = client.get(reverse("place-list") + "?level=county", **auth)
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == [network["county_a"].code]
    assert client.get(reverse("place-detail", args=[network["county_b"].code]), **auth).status_code == 404
    response = client.post(reverse("centre-list"), _centre_data(network), content_type="application/json", **auth)
    assert response.status_code == 403
    assert client.get(reverse("place-list"), HTTP_AUTHORIZATION="Token wrong").status_code == 401


@pytest.mark.django_db
def test_officer_cannot_create_in_other_county(client, personas, network):
    client.force_login(personas["officer_b"])
    response = client.post(reverse("centre-list"), _centre_data(network), content_type="application/json")
    assert response.status_code == 400
    assert "place" in response.json()["errors"]
    assert not Centre.objects.exists()


@pytest.mark.django_db
def test_api_error_shape(client, personas):
    client.force_login(personas["officer_a"])
    response = client.post(reverse("centre-list"), {"level": "county"}, content_type="application/json")
    body = response.json()
    assert response.status_code == 400 and set(body) == {"detail", "errors"}
    assert "place" in body["errors"] and "name" in body["errors"]

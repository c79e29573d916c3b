"""Network API: places and centres, scoped like the pages; token authentication for API clients."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from network.api.throttling import PortalUserThrottle
from network.choices import CentreLevel
from network.models import Centre
from tests.network.test_views import _centre_a
from tests.permkit import (
    CREATED,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    READ_A1,
    READ_CITY_WIDE,
    READ_COUNTY_A,
    UNAUTHORISED,
    Case,
    ScopeCase,
    list_scope_test,
    permission_matrix_test,
)

READ_CITY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"city_admin": OK, "city_viewer": OK, "anonymous": LOGIN}
# NET-1/NET-2: only the city administrator registers a centre.
CREATE_CENTRE = dict.fromkeys(PERSONAS, FORBIDDEN) | {"city_admin": CREATED, "anonymous": LOGIN}


PATCH_COUNTY_A = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": NOT_FOUND,
    "provider": NOT_FOUND,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}


def _centre_data(n):
    return {"level": CentreLevel.COUNTY, "place": n["county_a"].code, "name": "柳城县社会工作服务站指导中心"}


PERMISSION_MATRIX = [
    Case("api-root", READ_CITY_WIDE, api=True),
    Case("place-list", READ_CITY_WIDE, api=True),
    Case("place-detail", READ_CITY, args=lambda n: [n["city"].code], api=True),
    Case("place-detail", READ_COUNTY_A, args=lambda n: [n["county_a"].code], api=True),
    Case("place-detail", READ_A1, args=lambda n: [n["village_a11"].code], api=True),
    Case("centre-list", READ_CITY_WIDE, api=True),
    Case("centre-list", CREATE_CENTRE, method="post", data=_centre_data, api=True),
    Case("centre-detail", READ_COUNTY_A, args=_centre_a, api=True),
    Case("centre-detail", PATCH_COUNTY_A, args=_centre_a, method="patch", data=lambda n: {"address": "新址"}, api=True),
    Case("api-schema", READ_CITY_WIDE, api=True),
    Case("api-docs", READ_CITY_WIDE, api=True),
    # Every account rotates its own token (read-only roles too); anonymous callers have none.
    Case("token-rotate", dict.fromkeys(PERSONAS, OK) | {"anonymous": UNAUTHORISED}, method="post", api=True),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


def _visible(n):
    a1, a2, b1, b2 = (n[k].code for k in ("township_a1", "township_a2", "township_b1", "township_b2"))
    return {
        "city_admin": {a1, a2, b1, b2},
        "city_viewer": {a1, a2, b1, b2},
        "officer_a": {a1, a2},
        "officer_b": {b1, b2},
        "station_worker": {a1},
        "provider": {a1, a2},
        "evaluator": {a2},
        "api_client": {a1, a2},
    }


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
def test_officers_do_not_register_centres(client, personas, network):
    for persona in ("officer_a", "officer_b"):
        client.force_login(personas[persona])
        response = client.post(reverse("centre-list"), _centre_data(network), content_type="application/json")
        assert response.status_code == 403 and "NET-1/NET-2" in response.json()["detail"]
    assert not Centre.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "level, place",
    [("city", "village_a11"), ("city", "county_a"), ("county", "city"), ("county", "township_a1")],
)
def test_a_centre_sits_at_a_place_of_its_level(client, personas, network, level, place):
    client.force_login(personas["city_admin"])
    data = {"level": level, "place": network[place].code, "name": "某中心"}
    response = client.post(reverse("centre-list"), data, content_type="application/json")
    assert response.status_code == 400 and "NET-1/NET-2" in response.json()["errors"]["place"][0]
    assert not Centre.objects.exists()


@pytest.mark.django_db
def test_one_centre_per_place_and_level_and_place_never_change(client, personas, network):
    client.force_login(personas["city_admin"])
    assert (
        client.post(reverse("centre-list"), _centre_data(network), content_type="application/json").status_code == 201
    )
    again = client.post(reverse("centre-list"), _centre_data(network), content_type="application/json")
    assert again.status_code == 400 and "NET-1/NET-2" in again.json()["errors"]["place"][0]
    centre = Centre.objects.get()
    client.force_login(personas["officer_a"])  # the county edits its centre's details, not where it is
    moved = client.patch(
        reverse("centre-detail", args=[centre.pk]), {"place": network["county_b"].code}, content_type="application/json"
    )
    assert moved.status_code in (400, 404)
    ok = client.patch(reverse("centre-detail", args=[centre.pk]), {"address": "新址"}, content_type="application/json")
    assert ok.status_code == 200 and Centre.objects.get().address == "新址"


@pytest.mark.django_db
def test_the_database_refuses_a_centre_at_the_wrong_level(network):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Centre.objects.create(level="city", place=network["village_a11"], name="村里的市级中心")
    Centre.objects.create(level="county", place=network["county_a"], name="柳城县指导中心")  # the right level


@pytest.mark.django_db
def test_api_error_shape(client, personas):
    client.force_login(personas["city_admin"])
    response = client.post(reverse("centre-list"), {"level": "county"}, content_type="application/json")
    body = response.json()
    assert response.status_code == 400 and set(body) == {"detail", "errors"}
    assert "place" in body["errors"] and "name" in body["errors"]


@pytest.mark.django_db
def test_token_expires_and_rotation_replaces_it(client, personas, settings):
    token = Token.objects.create(user=personas["api_client"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(reverse("place-list"), **auth).status_code == 200
    # An expired token is refused with a message that says when and whom to ask.
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=settings.API_TOKEN_DAYS))
    response = client.get(reverse("place-list"), **auth)
    assert response.status_code == 401
    assert "市级管理员" in response.json()["detail"]
    # Rotation (with a token still valid) issues a new key and retires the old one.
    Token.objects.filter(pk=token.pk).update(created=timezone.now())
    response = client.post(reverse("token-rotate"), **auth)
    assert response.status_code == 200
    new_key = response.json()["token"]
    assert new_key != token.key and response.json()["expires_at"]
    assert client.get(reverse("place-list"), **auth).status_code == 401
    assert client.get(reverse("place-list"), HTTP_AUTHORIZATION=f"Token {new_key}").status_code == 200


@pytest.mark.django_db
def test_api_rate_limit_answers_429_with_a_wait(client, personas, monkeypatch):
    # DRF reads the rates once, into the throttle class: set a low rate there.
    monkeypatch.setattr(PortalUserThrottle, "THROTTLE_RATES", {"user": "3/min"})
    token = Token.objects.create(user=personas["api_client"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    codes = [client.get(reverse("place-list"), **auth).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert int(client.get(reverse("place-list"), **auth).headers["Retry-After"]) > 0


@pytest.mark.usefixtures("every_persona")
def test_api_token_command_prints_and_rotates(personas, db):
    out = io.StringIO()
    call_command("api_token", "api_client", stdout=out)
    first = out.getvalue().split()[0]
    assert Token.objects.get(user=personas["api_client"]).key == first
    out = io.StringIO()
    call_command("api_token", "api_client", "--rotate", stdout=out)
    assert out.getvalue().split()[0] != first
    assert Token.objects.filter(user=personas["api_client"]).count() == 1

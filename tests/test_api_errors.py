"""The API never answers 500 for bad input: one error shape, rules shared with the pages."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.authtoken.models import Token

from network.api.errors import exception_handler
from network.choices import CentreLevel
from network.models import Centre
from stations.models import Room
from tests.factories import RoomFactory


def _officer(client, personas):
    client.force_login(personas["officer_a"])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_room_cannot_move_onto_a_village_with_a_room_or_to_another_village(client, personas, network, method):
    room = RoomFactory(place=network["village_a11"])
    other = RoomFactory(place=network["village_a12"])
    c = _officer(client, personas)
    url = reverse("stations-api:room-detail", args=[room.pk])
    for village in ("village_a12", "village_a21"):  # one that has a room, one that has none
        response = getattr(c, method)(url, {"place": network[village].code}, content_type="application/json")
        assert response.status_code == 400, response.content
        assert "NET-4" in response.json()["errors"]["place"][0]
    assert Room.objects.get(pk=room.pk).place_id == network["village_a11"].code
    assert Room.objects.get(pk=other.pk).place_id == network["village_a12"].code
    # Editing the room's details in place still works, through the same service.
    response = c.patch(url, {"staffing_note": "两名村干部兼任"}, content_type="application/json")
    assert response.status_code == 200 and Room.objects.get(pk=room.pk).staffing_note == "两名村干部兼任"


@pytest.mark.django_db
def test_nested_errors_are_flat_lists_of_strings(client, personas, network):
    c = _officer(client, personas)
    response = c.post(
        reverse("stations-api:recipient-list"),
        {"village": network["village_a11"].code, "name": "某", "target_groups": ["dibao", "AAA"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)
    assert errors["target_groups"][0].startswith("第 2 项")


@pytest.mark.django_db
def test_an_address_no_route_matches_answers_in_the_api_error_shape(client, personas):
    token = Token.objects.create(user=personas["api_client"])
    response = client.get("/api/network/centres/-2.2e-309/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and "detail" in response.json()
    assert "<html" in client.get("/stations/no-such-page/").content.decode()  # pages keep the portal's page


@pytest.mark.django_db
def test_an_integrity_error_answers_409(network, rf):
    Centre.objects.create(level=CentreLevel.COUNTY, place=network["county_a"], name="中心")
    try:
        with transaction.atomic():
            Centre.objects.create(level=CentreLevel.COUNTY, place=network["county_a"], name="又一个")
    except IntegrityError as exc:
        response = exception_handler(exc, {"request": rf.get("/api/network/centres/")})
    assert response.status_code == 409 and "冲突" in response.data["detail"]


@pytest.mark.django_db
def test_errors_are_json_even_when_csv_was_asked_for(client, personas):
    client.force_login(personas["city_viewer"])
    response = client.get("/api/reporting/values/", {"format": "csv", "page": "0"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json()["detail"]

"""Stations API: the same scope and rules as the pages, masked personal data, pinned query counts, schema."""

import pytest
from django.urls import reverse

from stations.models import Recipient, ServiceRecord
from tests.factories import RecipientFactory, valid_id_number
from tests.permkit import (
    CREATED,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    READ_A1,
    Case,
    ScopeCase,
    list_scope_test,
    permission_matrix_test,
)

API_LIST = dict.fromkeys(PERSONAS, OK) | {"anonymous": LOGIN}
API_CREATE_A1 = {
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
API_PATCH_A1 = {
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


def _room(n):
    from stations.models import Room

    return Room.objects.get_or_create(place=n["village_a11"])[0].pk


def _new_recipient(n):
    return {
        "name": "接口新增",
        "id_number": valid_id_number(444),
        "village": n["village_a12"].code,
        "target_groups": ["orphan"],
        "registered_on": "2022-02-02",
    }


def _new_record(n):
    return {
        "station": n["station_a1"].pk,
        "kind": "home_visit",
        "served_on": "2023-01-05",
        "duration_hours": "1.5",
        "recipients": [n["recipient_a11"].pk],
    }


PERMISSION_MATRIX = [
    Case("stations-api:station-list", API_LIST, api=True),
    Case("stations-api:station-detail", READ_A1, args=lambda n: [n["station_a1"].pk], api=True),
    Case("stations-api:room-list", API_LIST, api=True),
    Case("stations-api:room-detail", READ_A1, args=lambda n: [_room(n)], api=True),
    Case("stations-api:api-root", API_LIST, api=True),
    Case("stations-api:recipient-list", API_LIST, api=True),
    Case("stations-api:recipient-detail", READ_A1, args=lambda n: [n["recipient_a11"].pk], api=True),
    Case("stations-api:recipient-list", API_CREATE_A1, method="post", data=_new_recipient, api=True),
    Case(
        "stations-api:recipient-detail",
        API_PATCH_A1,
        args=lambda n: [n["recipient_a11"].pk],
        method="patch",
        data=lambda n: {"household_notes": "更新"},
        api=True,
    ),
    Case("stations-api:record-list", API_LIST, api=True),
    Case("stations-api:record-detail", READ_A1, args=lambda n: [n["record_a1"].pk], api=True),
    Case("stations-api:record-list", API_CREATE_A1, method="post", data=_new_record, api=True),
    Case(
        "stations-api:record-detail",
        API_PATCH_A1,
        args=lambda n: [n["record_a1"].pk],
        method="patch",
        data=lambda n: {"summary": "补记"},
        api=True,
    ),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


def _all(a1, a2, b1, b2):
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


SCOPE_CASES = [
    ScopeCase(
        "stations-api:recipient-list",
        lambda n: _all("Rcp-a11", "Rcp-a21", "Rcp-b11", "Rcp-b21"),
        mode="api",
        api_label="name",
    ),
    ScopeCase(
        "stations-api:record-list",
        lambda n: _all("Svc-a1", "Svc-a2", "Svc-b1", "Svc-b2"),
        mode="api",
        api_label="summary",
    ),
    ScopeCase(
        "stations-api:station-list",
        lambda n: _all(*(n[f"township_{k}"].code for k in ("a1", "a2", "b1", "b2"))),
        mode="api",
        api_label="place",
    ),
]
test_list_scope = list_scope_test(SCOPE_CASES)


@pytest.mark.django_db
def test_api_masks_personal_data(client, personas, network):
    r = network["recipient_a11"]
    client.force_login(personas["api_client"])
    data = client.get(reverse("stations-api:recipient-detail", args=[r.pk])).json()
    assert data["id_number"] != r.id_number and data["id_number"].startswith(r.id_number[:6])
    assert "*" in data["phone"]
    client.force_login(personas["officer_a"])
    assert client.get(reverse("stations-api:recipient-detail", args=[r.pk])).json()["id_number"] == r.id_number


@pytest.mark.django_db
def test_api_create_uses_the_same_rules(client, personas, network):
    client.force_login(personas["station_worker"])
    url = reverse("stations-api:recipient-list")
    body = _new_recipient(network) | {"village": network["village_a21"].code}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "village" in response.json()["errors"]
    body = _new_recipient(network) | {"id_number": valid_id_number(444)[:-1] + "Y"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "id_number" in response.json()["errors"]
    body = _new_recipient(network) | {"registered_on": "2019-01-01"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and "registered_on" in response.json()["errors"]
    assert not Recipient.objects.filter(name="接口新增").exists()
    body = _new_record(network) | {"recipients": [network["recipient_a11"].pk], "served_on": "2019-01-01"}
    response = client.post(reverse("stations-api:record-list"), body, content_type="application/json")
    assert response.status_code == 400 and "served_on" in response.json()["errors"]
    assert ServiceRecord.objects.count() == 4


@pytest.mark.django_db
def test_api_filters(client, personas, network):
    RecipientFactory(name="Orphan-api", village=network["village_a11"], target_groups=["orphan"])
    client.force_login(personas["officer_a"])
    rows = client.get(reverse("stations-api:recipient-list") + "?target_group=orphan").json()["results"]
    assert [r["name"] for r in rows] == ["Orphan-api"]
    rows = client.get(reverse("stations-api:recipient-list") + f"?township={network['township_a2'].code}").json()
    assert [r["name"] for r in rows["results"]] == ["Rcp-a21"]
    rows = client.get(reverse("stations-api:record-list") + "?kind=group").json()["results"]
    assert rows == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,queries",
    # The recipient list records the officer's unmasked read (one insert, network.personal_data).
    [("stations-api:recipient-list", 9), ("stations-api:record-list", 10), ("stations-api:station-list", 8)],
)
def test_api_lists_run_a_fixed_number_of_queries(client, personas, network, django_assert_num_queries, name, queries):
    client.force_login(personas["city_admin"])
    url = reverse(name)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for _i in range(20):
        r = RecipientFactory(village=network["village_a12"])
        network["record_a1"].recipients.add(r)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_schema_documents_the_endpoints(client, personas):
    client.force_login(personas["city_viewer"])
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/stations/recipients/",
        "/api/stations/records/",
        "/api/stations/stations/",
        "/api/stations/rooms/",
    ):
        assert path in schema
    assert client.get(reverse("api-docs")).status_code == 200

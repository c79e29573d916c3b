"""PIPL Art. 51: unmasked reads are recorded, exports ask a reason, pages say no-store; and an ID number
registered in another county reveals nothing (no existence oracle for vulnerable people)."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from network.choices import PersonalDataAction
from network.models import PersonalDataEvent
from stations.models import Recipient
from tests.factories import RecipientFactory, WorkerFactory, valid_id_number
from tests.permkit import CITY_ADMIN_ONLY, Case, client_for, permission_matrix_test

PERMISSION_MATRIX = [Case("network:personal_data_log", CITY_ADMIN_ONLY)]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


@pytest.mark.django_db
def test_unmasked_reads_are_recorded_and_never_cached(client, personas, network):
    recipient = RecipientFactory(village=network["village_a11"])
    c = client_for(client, personas, "officer_a")
    response = c.get(reverse("stations:recipient_detail", args=[recipient.pk]))
    assert recipient.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    c.get(reverse("stations:recipient_list"))
    events = list(PersonalDataEvent.objects.order_by("at"))
    assert [(e.action, e.user.username) for e in events] == [("view", "officer_a")] * 2
    assert events[0].object_ids == [recipient.pk] and recipient.pk in events[1].object_ids


@pytest.mark.django_db
def test_masked_roles_leave_no_record_but_are_not_cached_either(client, personas, network):
    """A masked page still shows a vulnerable person's name and circumstances: no cache keeps it."""
    recipient = RecipientFactory(village=network["village_a11"])
    response = client_for(client, personas, "provider").get(reverse("stations:recipient_detail", args=[recipient.pk]))
    assert recipient.id_number not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not PersonalDataEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,persona",
    [
        ("stations:recipient_list", "provider"),
        ("stations:follow_up_list", "officer_a"),
        ("workforce:worker_list", "city_viewer"),
        ("workforce:assignment_list", "evaluator"),
        ("stations:record_list", "station_worker"),
    ],
)
def test_every_page_to_a_signed_in_user_says_no_store(client, personas, network, url, persona):
    response = client_for(client, personas, persona).get(reverse(url))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = Token.objects.create(user=personas["api_client"])
    client.logout()
    api = client.get(reverse("workforce-api:worker-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["stations:recipient_list", "workforce:worker_list", "workforce:roster_export"], ids=str
)
def test_an_unmasked_export_asks_a_reason_and_records_it(client, personas, network, url):
    RecipientFactory(village=network["village_a11"])
    WorkerFactory(place=network["township_a1"])
    c = client_for(client, personas, "officer_a")
    query = {} if url == "workforce:roster_export" else {"export": "xlsx"}
    page = c.get(reverse(url), query)
    assert page["Content-Type"].startswith("text/html") and 'name="reason"' in page.content.decode()
    assert not PersonalDataEvent.objects.filter(action=PersonalDataAction.EXPORT).exists()
    response = c.get(reverse(url), query | {"reason": "与县民政局核对低保名单"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    event = PersonalDataEvent.objects.get(action=PersonalDataAction.EXPORT)
    assert event.reason == "与县民政局核对低保名单" and event.count >= 1 and event.user == personas["officer_a"]


@pytest.mark.django_db
def test_api_reads_of_unmasked_data_are_recorded(client, personas, network):
    recipient = RecipientFactory(village=network["village_a11"])
    client.force_login(personas["officer_a"])
    response = client.get(reverse("stations-api:recipient-list"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert PersonalDataEvent.objects.get(action=PersonalDataAction.API).object_ids == [recipient.pk]
    token = Token.objects.create(user=personas["api_client"])  # masked: nothing to record
    client.logout()
    client.get(reverse("stations-api:recipient-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert PersonalDataEvent.objects.filter(action=PersonalDataAction.API).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["page", "api"])
def test_an_id_number_from_another_county_reveals_nothing(client, personas, network, via):
    elsewhere = RecipientFactory(village=network["village_b11"], name="黄某", id_number=valid_id_number(4242))
    c = client_for(client, personas, "officer_a")
    data = {
        "village": network["village_a11"].code,
        "name": "某甲",
        "gender": "female",
        "id_number": elsewhere.id_number,
        "target_groups": ["dibao"],
        "registered_on": "2022-03-01",
    }
    if via == "page":
        response = c.post(reverse("stations:recipient_create"), data)
        text = " ".join(str(e) for e in response.context["form"].errors["id_number"])
    else:
        response = c.post(reverse("stations-api:recipient-list"), data, content_type="application/json")
        assert response.status_code == 400
        text = " ".join(response.json()["errors"]["id_number"])
    assert "无法在此使用" in text and "已登记" not in text and "黄某" not in text
    assert Recipient.objects.filter(id_number=elsewhere.id_number).count() == 1
    event = PersonalDataEvent.objects.get(action=PersonalDataAction.REFUSED_ID)
    assert event.user == personas["officer_a"] and event.object_ids == [elsewhere.pk]


@pytest.mark.django_db
def test_an_id_number_in_ones_own_places_says_where_it_is(client, personas, network):
    mine = RecipientFactory(village=network["village_a12"], name="黄某", id_number=valid_id_number(4343))
    c = client_for(client, personas, "officer_a")
    response = c.post(
        reverse("stations:recipient_create"),
        {
            "village": network["village_a11"].code,
            "name": "某乙",
            "gender": "female",
            "id_number": mine.id_number,
            "target_groups": ["dibao"],
            "registered_on": "2022-03-01",
        },
    )
    assert "已登记" in " ".join(response.context["form"].errors["id_number"])
    assert not PersonalDataEvent.objects.filter(action=PersonalDataAction.REFUSED_ID).exists()


@pytest.mark.django_db
def test_the_city_administrator_reads_the_log(client, personas, network):
    recipient = RecipientFactory(village=network["village_a11"])
    client_for(client, personas, "officer_a").get(reverse("stations:recipient_detail", args=[recipient.pk]))
    page = client_for(client, personas, "city_admin").get(reverse("network:personal_data_log"), {"user": "officer_a"})
    assert page.status_code == 200 and "officer_a" in page.content.decode()

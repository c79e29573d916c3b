"""No 500 from one byte: text is normalised (NFC) and checked (no control character) where it enters — a form, the
API, every import — with a Chinese message naming the field; imports refuse what is too long instead of cutting
it; long text and negative hours or charity values are refused; a conflict with a stored record is never a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from network.models import Job, Place
from stations.models import Recipient, ServiceRecord, Station
from tests.factories import WorkerFactory, valid_id_number
from tests.permkit import client_for
from workforce.models import Worker

NFD = "Zoe\u0308"  # "Zoë" with a combining diaeresis: the same name as NFC "Zo\u00eb"
NFC = "Zo\u00eb"


def _recipient_data(network, **over):
    return {
        "name": "覃某",
        "gender": "female",
        "id_number": valid_id_number(731, birth="19700505"),
        "phone": "13912345678",
        "village": network["village_a11"].pk,
        "target_groups": ["dibao"],
        "registered_on": "2023-04-01",
        "household_notes": "",
    } | over


@pytest.mark.django_db
@pytest.mark.parametrize("char", ["\x0b", "\x00", "\x1b", "\u2028", "\x85"], ids=repr)
def test_a_form_refuses_a_control_character_naming_the_field(client, personas, network, char):
    c = client_for(client, personas, "officer_a")
    response = c.post(reverse("stations:recipient_create"), _recipient_data(network, name=f"覃{char}某"))
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["name"])
    assert "控制字符" in message and "姓名" in message, message
    assert not Recipient.objects.exists()


@pytest.mark.django_db
def test_a_form_stores_text_in_one_unicode_form_and_keeps_line_breaks_where_text_has_lines(client, personas, network):
    c = client_for(client, personas, "officer_a")
    data = _recipient_data(network, name=NFD, household_notes="独居\r\n子女在外\t务工")
    assert c.post(reverse("stations:recipient_create"), data).status_code == 302
    stored = Recipient.objects.get()
    assert stored.name == NFC and "子女在外" in stored.household_notes and "\n" in stored.household_notes


@pytest.mark.django_db
def test_the_api_refuses_a_control_character_naming_the_field(client, personas, network):
    worker = WorkerFactory(place=network["township_a1"], name="韦某", id_number=valid_id_number(88, birth="19900101"))
    client.force_login(personas["officer_a"])
    url = reverse("workforce-api:worker-detail", args=[worker.pk])
    response = client.patch(url, {"name": "韦\x0b某"}, content_type="application/json")
    assert response.status_code == 400
    assert "控制字符" in response.json()["errors"]["name"][0]
    response = client.post(
        reverse("stations-api:recipient-list"),
        _recipient_data(network, name="覃某", household_notes="a\x07b", village=network["village_a11"].code),
        content_type="application/json",
    )
    assert response.status_code == 400 and "控制字符" in response.json()["errors"]["household_notes"][0]
    assert client.patch(url, {"name": NFD}, content_type="application/json").status_code == 200
    assert Worker.objects.get(pk=worker.pk).name == NFC
    assert not Recipient.objects.exists()


DIVISION_HEADER = "code,name,level,kind,parent_code\n"


@pytest.mark.django_db
def test_the_division_import_refuses_a_control_character_in_a_name(client, personas, network):
    c = client_for(client, personas, "city_admin")
    text = DIVISION_HEADER + "450222103000,新\x0b镇,township,town,450222000000\n"
    response = c.post(
        reverse("network:division_import"), {"file": SimpleUploadedFile("d.csv", text.encode())}, follow=True
    )
    job = Job.objects.get(kind="division_import")
    [error] = job.result["errors"]
    assert error["column"] == "name" and "控制字符" in error["message"], error
    assert not Place.objects.filter(code="450222103000").exists()
    assert response.status_code == 200


def _recipient_workbook(rows):
    from stations.imports import RecipientImport

    from .stations.conftest import workbook_upload

    sheet = RecipientImport.sheets[0]
    return workbook_upload([c.title() for c in sheet.columns], rows, sheet=sheet.name())


def _recipient_row(network, **over):
    village = network["village_a11"]
    values = {
        "name": "新对象",
        "id": valid_id_number(611, birth="19700505"),
        "gender": "女",
        "phone": "13912345678",
        "village": f"{village.code} {village.name}",
        "groups": "低保对象",
        "date": "2023-04-01",
        "notes": "",
    } | over
    return list(values.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cells,column,needle",
    [
        ({"name": "长" * 51}, "姓名", "50"),  # cut to 50 characters before
        ({"notes": "长" * 2001}, "家庭情况", "2000"),
    ],
    ids=["name over 50", "notes over 2000"],
)
def test_an_import_refuses_text_that_is_too_long_instead_of_cutting_it(
    client, personas, network, cells, column, needle
):
    c = client_for(client, personas, "officer_a")
    response = c.post(
        reverse("stations:import_upload", args=["recipients"]),
        {"file": _recipient_workbook([_recipient_row(network, **cells)])},
    )
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    [error] = job.result["errors"]
    assert error["column"] == column and needle in error["message"], error
    assert not Recipient.objects.exists()


@pytest.mark.django_db
def test_a_station_import_refuses_an_address_over_200_characters(client, personas, network):
    from stations.imports import StationImport

    from .stations.conftest import workbook_upload

    sheet = StationImport.sheets[0]
    headers = [c.title() for c in sheet.columns]
    values = {c.key: "" for c in sheet.columns}
    township = network["township_a1"]
    values |= {"township": f"{township.code} {township.name}", "status": "运营", "status_on": "2023-01-01"}
    values["address"] = "路" * 201
    f = workbook_upload(headers, [[values[c.key] for c in sheet.columns]], sheet=sheet.name(), name="s.xlsx")
    response = client_for(client, personas, "officer_a").post(
        reverse("stations:import_upload", args=["stations"]), {"file": f}
    )
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    messages = [(e["column"], e["message"]) for e in job.result["errors"]]
    assert any(col == "地址" and "200" in msg for col, msg in messages), messages
    assert Station.objects.get(place=township).address != "路" * 201


def _record_data(network, **over):
    return {
        "station": network["station_a1"].pk,
        "kind": "home_visit",
        "served_on": "2023-03-01",
        "duration_hours": "1.5",
        "participant_count": "1",
        "volunteer_count": "0",
        "volunteer_names": "",
        "charity_resources": "",
        "charity_value": "",
        "summary": "",
    } | over


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [("duration_hours", "-2"), ("charity_value", "-100"), ("summary", "长" * 4001), ("volunteer_names", "名" * 1001)],
)
def test_negative_hours_or_charity_and_overlong_text_are_refused_by_form_and_api(
    client, personas, network, field, value
):
    c = client_for(client, personas, "officer_a")
    response = c.post(reverse("stations:record_create"), _record_data(network, **{field: value}))
    assert response.status_code == 200 and field in response.context["form"].errors
    response = c.post(
        reverse("stations-api:record-list"), _record_data(network, **{field: value}), content_type="application/json"
    )
    assert response.status_code == 400 and field in response.json()["errors"], response.content
    assert not ServiceRecord.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_negative_hours_and_charity_values_too(network):
    station = network["station_a1"]
    for values in ({"duration_hours": -1}, {"duration_hours": 1, "charity_value": -5}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceRecord.objects.create(station=station, kind="home_visit", served_on="2023-03-01", **values)


@pytest.mark.django_db(transaction=True)  # as in production: no transaction around the request
@pytest.mark.usefixtures("every_persona")
def test_an_integrity_error_in_any_view_is_a_409_page_not_a_500(client, personas, network, monkeypatch):
    """The central handling (network.middleware.DatabaseConflictMiddleware): a save racing another, simulated by a
    service that meets a row written meanwhile, answers a page saying the record conflicts. (The scoped forms and
    the API say it in their own shape: tests/test_api_errors.py.)"""
    from network import services

    def racing(**kwargs):
        with connection.cursor() as cursor:  # the same username, committed by another request meanwhile
            cursor.execute(
                "INSERT INTO network_user (password, is_superuser, username, first_name, last_name, email, is_staff,"
                " is_active, date_joined, role, display_name, organisation)"
                " VALUES ('', false, 'officer_a', '', '', '', false, true, now(), 'city_viewer', '', '')"
            )

    monkeypatch.setattr(services, "user_create", racing)
    data = {
        "username": "new_user",
        "role": "city_viewer",
        "places": [network["city"].pk],
        "password1": "Another-pass-2026!",
        "password2": "Another-pass-2026!",
    }
    response = client_for(client, personas, "city_admin").post(reverse("network:user_create"), data)
    assert response.status_code == 409 and "冲突" in response.content.decode()


@pytest.mark.django_db
def test_every_export_survives_a_stored_control_character(client, personas, network):
    """Text stored before these checks (or by SQL) still exports."""
    worker = WorkerFactory(place=network["township_a1"], name="韦\x0b某")
    c = client_for(client, personas, "officer_a")
    response = c.get(reverse("workforce:worker_list"), {"export": "xlsx", "reason": "核对"})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    text = "".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "韦\ufffd某" in text and worker.pk

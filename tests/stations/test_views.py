"""Stations pages: the permission matrix, what each persona's lists and exports show, pinned query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import FollowUpPlan, Recipient, Station
from tests.factories import RecipientFactory, StationFactory
from tests.permkit import (
    CREATE_FORM,
    FORBIDDEN,
    FOUND,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    READ_A1,
    READ_A2,
    READ_CITY_WIDE,
    WRITE_A1,
    Case,
    ScopeCase,
    list_scope_test,
    permission_matrix_test,
)
from tests.supervision.helpers import supervised_monthly

# The edit form of an A1 record: writers who reach A1 see it; read-only roles 403; outsiders 404.
EDIT_A1 = {
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
# NET-3: the station registry is kept by the county and the stationed worker, not by a provider's staff.
KEEP_FORM = CREATE_FORM | {"provider": FORBIDDEN}
KEEP_EDIT_A1 = EDIT_A1 | {"provider": FORBIDDEN}
# TGT-STD confirmation: county officers (and the city administrator) only.
CONFIRM_A1 = dict.fromkeys(PERSONAS, FORBIDDEN) | {
    "city_admin": OK,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "anonymous": LOGIN,
}


def _pk(key):
    return lambda n: [n[key].pk]


def _follow_up(n):
    plan = FollowUpPlan.objects.create(recipient=n["recipient_a11"], due_on=datetime.date(2023, 1, 1), action="回访")
    return [plan.pk]


def _catalogue_item(n):
    from stations.models import CatalogueItem

    return [CatalogueItem.objects.create(station=n["station_a1"], field="livelihood", title="走访").pk]


def _room(n):
    from stations.models import Room

    return [Room.objects.get_or_create(place=n["village_a11"])[0].pk]


def _import_job(n):
    """A checked upload of officer A (on the one job page): only its uploader may open or confirm it."""
    from django.core.files.base import ContentFile

    from network.models import Job

    job = Job.objects.create(
        kind="stations.import.recipients",
        params={"step": "preview"},
        status="done",
        created_by=n["personas"]["officer_a"],
        result={"step": "preview", "total": 0, "sheets": [], "preview": [], "errors": [], "error_count": 0},
    )
    job.upload.save("recipients.xlsx", ContentFile(b"PK"), save=True)
    return [job.pk]


def _evidence(n):
    from django.core.files.base import ContentFile

    from stations.models import StandardCheck

    check = StandardCheck(station=n["station_a1"], confirmed_on=datetime.date(2023, 1, 1), evidence_note="核查")
    check.evidence_file.save("site.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    return [check.pk]


OWNER_ONLY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"officer_a": OK, "anonymous": LOGIN}

PERMISSION_MATRIX = [
    Case("stations:station_list", READ_CITY_WIDE),
    Case("stations:station_create", KEEP_FORM),
    Case("stations:station_detail", READ_A1, args=_pk("station_a1")),
    Case("stations:station_detail", READ_A2, args=_pk("station_a2")),
    Case("stations:station_edit", KEEP_EDIT_A1, args=_pk("station_a1")),
    Case(
        "stations:station_status",
        WRITE_A1 | {"provider": FORBIDDEN},
        args=_pk("station_a1"),
        method="post",
        data=lambda n: {"status": "suspended", "effective_on": "2023-01-02", "note": "整改"},
    ),
    Case("stations:station_standard", CONFIRM_A1, args=_pk("station_a1")),
    Case("stations:catalogue_create", CREATE_FORM),
    Case("stations:catalogue_edit", EDIT_A1, args=_catalogue_item),
    Case("stations:room_list", READ_CITY_WIDE),
    Case("stations:room_create", CREATE_FORM),
    Case("stations:room_detail", READ_A1, args=_room),
    Case("stations:room_edit", EDIT_A1, args=_room),
    Case("network:job_detail", OWNER_ONLY, args=_import_job),
    Case("network:job_confirm", OWNER_ONLY | {"officer_a": FOUND}, args=_import_job, method="post"),
    Case("stations:standard_evidence", READ_A1, args=_evidence),
    Case("stations:recipient_list", READ_CITY_WIDE),
    Case("stations:recipient_list", READ_CITY_WIDE, query="export=xlsx"),
    Case("stations:recipient_create", CREATE_FORM),
    Case("stations:recipient_detail", READ_A1, args=_pk("recipient_a11")),
    Case("stations:recipient_detail", READ_A2, args=_pk("recipient_a21")),
    Case("stations:recipient_edit", EDIT_A1, args=_pk("recipient_a11")),
    Case(
        "stations:assessment_create",
        WRITE_A1,
        args=_pk("recipient_a11"),
        method="post",
        data=lambda n: {"assessed_on": "2023-02-01", "material": "high", "psychological": "low", "social": "medium"},
    ),
    Case(
        "stations:follow_up_create",
        WRITE_A1,
        args=_pk("recipient_a11"),
        method="post",
        data=lambda n: {"due_on": "2023-03-01", "action": "电话回访"},
    ),
    Case("stations:follow_up_done", EDIT_A1, args=_follow_up),
    Case("stations:follow_up_list", READ_CITY_WIDE),
    Case("stations:follow_up_list", READ_CITY_WIDE, query="overdue=true&export=xlsx"),
    Case("stations:record_list", READ_CITY_WIDE),
    Case("stations:record_create", CREATE_FORM),
    Case("stations:record_detail", READ_A1, args=_pk("record_a1")),
    Case("stations:record_edit", EDIT_A1, args=_pk("record_a1")),
    Case("stations:import_template", READ_CITY_WIDE, args=lambda n: ["recipients"]),
    Case("stations:import_template", READ_CITY_WIDE, args=lambda n: ["stations"]),
    Case("stations:import_template", READ_CITY_WIDE, args=lambda n: ["rooms"]),
    Case("stations:import_upload", CREATE_FORM, args=lambda n: ["recipients"]),
    Case("stations:import_upload", KEEP_FORM, args=lambda n: ["stations"]),
    Case("stations:import_upload", CREATE_FORM, args=lambda n: ["rooms"]),
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


def _recipients(n):
    return _all("Rcp-a11", "Rcp-a21", "Rcp-b11", "Rcp-b21")


def _station_codes(n):
    return _all(*(n[f"township_{k}"].code for k in ("a1", "a2", "b1", "b2")))


def _record_townships(n):
    return _all(*(n[f"township_{k}"].name for k in ("a1", "a2", "b1", "b2")))


SCOPE_CASES = [
    ScopeCase("stations:station_list", _station_codes),
    ScopeCase("stations:station_list", _station_codes, mode="export"),
    ScopeCase("stations:recipient_list", _recipients),
    ScopeCase("stations:recipient_list", _recipients, mode="export"),
    ScopeCase("stations:follow_up_list", _recipients),
    ScopeCase("stations:record_list", _record_townships, mode="export"),
]
test_list_scope = list_scope_test(SCOPE_CASES)


@pytest.mark.django_db
def test_follow_up_scope_lists_overdue(client, personas, network):
    client.force_login(personas["station_worker"])
    html = client.get(reverse("stations:follow_up_list") + "?overdue=true").content.decode()
    assert "Rcp-a11" in html and "Rcp-a21" not in html and "Rcp-b11" not in html
    client.force_login(personas["officer_b"])
    html = client.get(reverse("stations:follow_up_list") + "?overdue=true").content.decode()
    assert "Rcp-b11" in html and "Rcp-b21" in html and "Rcp-a11" not in html
    FollowUpPlan.objects.filter(recipient=network["recipient_b11"]).update(done_on=datetime.date(2023, 1, 2))
    html = client.get(reverse("stations:follow_up_list") + "?overdue=true").content.decode()
    assert "Rcp-b11" not in html and "Rcp-b21" in html


def _more_recipients(network, count):
    for i in range(count):
        RecipientFactory(village=network["village_a12" if i % 2 else "village_b12"], target_groups=["orphan", "dibao"])


@pytest.mark.django_db
def test_recipient_list_runs_a_fixed_number_of_queries(client, personas, network, django_assert_num_queries):
    client.force_login(personas["officer_a"])
    url = reverse("stations:recipient_list")
    client.get(url)  # warm the session and rule caches
    # 10 reads, the record of the officer's unmasked read (network.personal_data) and the bell's unread count.
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200
    _more_recipients(network, 40)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("<tr>") > 20


@pytest.mark.django_db
def test_station_list_runs_a_fixed_number_of_queries(client, personas, network, django_assert_num_queries):
    from tests.conftest import _place

    client.force_login(personas["city_admin"])
    url = reverse("stations:station_list")
    client.get(url)
    with django_assert_num_queries(11):  # with the bell's unread count
        assert client.get(url).status_code == 200
    for i in range(15):
        StationFactory(
            place=_place(
                f"45022230{i:01d}000" if i < 10 else f"4502223{i:02d}000",
                f"新镇{i}",
                "township",
                "town",
                network["county_a"],
            )
        )
    with django_assert_num_queries(11):
        response = client.get(url)
    assert "新镇14" in response.content.decode()


@pytest.mark.django_db
def test_station_list_filters_and_net2_warning(client, personas, network):
    from stations.models import CatalogueItem
    from tests.factories import AssignmentFactory, WorkerFactory

    a1 = network["station_a1"]
    Station.objects.filter(pk=a1.pk).update(is_demonstration=True)
    # A1 meets the standard (every item passes today); A2 lacks a catalogue and stationed workers.
    CatalogueItem.objects.create(station=a1, field="livelihood", title="走访", published_on="2021-01-01")
    for _i in range(2):
        AssignmentFactory(worker=WorkerFactory(place=a1.place), station=a1, start_on="2021-01-01")
    supervised_monthly(a1, since=timezone.localdate() - datetime.timedelta(days=62))  # SUP-1, the supervision item
    client.force_login(personas["city_admin"])
    html = client.get(reverse("stations:station_list")).content.decode()
    assert 'data-testid="net2-warning"' in html and "鹿寨县" in html  # county B has no demonstration station
    warnings = html.split('data-testid="net2-warning"')
    assert not any("柳城县现有" in w or "柳城县 has" in w for w in warnings[1:])
    html = client.get(reverse("stations:station_list") + "?standardised=true").content.decode()
    assert network["township_a1"].code in html and network["township_a2"].code not in html
    html = client.get(reverse("stations:station_list") + "?standardised=false").content.decode()
    assert network["township_a1"].code not in html and network["township_a2"].code in html
    html = client.get(reverse("stations:station_list") + "?q=鹿寨县2").content.decode()
    assert network["township_b2"].code in html and network["township_b1"].code not in html


@pytest.mark.django_db
def test_recipient_page_masks_personal_data_for_other_roles(client, personas, network):
    r = network["recipient_a11"]
    url = reverse("stations:recipient_detail", args=[r.pk])
    client.force_login(personas["provider"])
    html = client.get(url).content.decode()
    assert r.id_number not in html and r.id_number[:6] in html and "13800138000" not in html
    html = client.get(reverse("stations:recipient_list")).content.decode()
    assert r.id_number not in html
    client.force_login(personas["station_worker"])
    assert r.id_number in client.get(url).content.decode()


@pytest.mark.django_db
def test_recipient_create_page(client, personas, network):
    from tests.factories import valid_id_number

    client.force_login(personas["station_worker"])
    data = {
        "name": "韦某",
        "gender": "male",
        "id_number": valid_id_number(901).lower().replace("x", "x"),
        "phone": "13900001111",
        "village": network["village_a12"].code,
        "target_groups": ["tekun", "disability"],
        "registered_on": "2022-01-10",
        "household_notes": "独居老人",
    }
    response = client.post(reverse("stations:recipient_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Recipient.objects.get(name="韦某")
    assert person.target_groups == ["tekun", "disability"]
    # A village of another station: refused, nothing written.
    data |= {"name": "外站", "id_number": valid_id_number(902), "village": network["village_a21"].code}
    response = client.post(reverse("stations:recipient_create"), data)
    assert response.status_code == 200 and not Recipient.objects.filter(name="外站").exists()
    # A wrong check character: refused with the GB 11643 message.
    bad = valid_id_number(903)
    bad = bad[:-1] + ("1" if bad[-1] != "1" else "2")
    data |= {"name": "错号", "id_number": bad, "village": network["village_a11"].code}
    response = client.post(reverse("stations:recipient_create"), data)
    assert response.status_code == 200 and "GB 11643" in response.content.decode()
    assert not Recipient.objects.filter(name="错号").exists()


@pytest.mark.django_db
def test_station_page_shows_standard_state(client, personas, network):
    station = network["station_a1"]
    client.force_login(personas["officer_a"])
    html = client.get(reverse("stations:station_detail", args=[station.pk])).content.decode()
    assert 'data-testid="standard-items"' in html and "PRC-2" in html and "NET-2" in html
    assert "尚未达标" in html and "已公布服务目录" in html
    assert 'data-testid="confirm-form"' not in html  # items missing: nothing to confirm

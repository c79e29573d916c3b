"""Page workflows: station create and edit, catalogue, service records, follow-ups done, assessments."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import CatalogueItem, FollowUpPlan, NeedsAssessment, ServiceRecord, Station, StationStatusChange
from tests.conftest import _place


@pytest.mark.django_db
def test_officer_creates_station_with_dated_status(client, personas, network):
    township = _place("450222106000", "东泉镇", "township", "town", network["county_a"])
    client.force_login(personas["officer_a"])
    response = client.post(
        reverse("stations:station_create"),
        {
            "place": township.code,
            "has_venue": "on",
            "shared_venues": ["womens_home", "elderly_care"],
            "status": "established",
            "effective_on": "2021-05-04",
            "address": "镇政府院内",
            "phone": "0772-6123456",
        },
    )
    assert response.status_code == 302
    station = Station.objects.get(place=township)
    assert station.status == "established" and station.shared_venues == ["womens_home", "elderly_care"]
    assert StationStatusChange.objects.filter(station=station, effective_on=datetime.date(2021, 5, 4)).exists()
    html = client.get(response["Location"]).content.decode()
    assert "柳城县东泉镇社会工作服务站" in html and "妇女之家" in html
    # County B's officer cannot create a station in county A: the township is not offered.
    other = _place("450222107000", "西泉镇", "township", "town", network["county_a"])
    client.force_login(personas["officer_b"])
    response = client.post(
        reverse("stations:station_create"), {"place": other.code, "status": "established", "effective_on": "2021-05-04"}
    )
    assert response.status_code == 200 and not Station.objects.filter(place=other).exists()


@pytest.mark.django_db
def test_edit_station_keeps_status_history(client, personas, network):
    station = network["station_a1"]
    client.force_login(personas["officer_a"])
    response = client.post(
        reverse("stations:station_edit", args=[station.pk]),
        {
            "has_venue": "on",
            "has_equipment": "on",
            "has_personnel": "on",
            "has_service_functions": "on",
            "has_workflow": "on",
            "address": "新址",
        },
    )
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.address == "新址" and not station.has_rules
    assert station.status_changes.count() == 2
    # The six haves changed today: appended to their dated history, the earlier entry kept (TGT-STD).
    assert [c.has_rules for c in station.six_haves_changes.order_by("effective_on", "id")] == [True, False]
    response = client.post(
        reverse("stations:station_status", args=[station.pk]), {"status": "suspended", "effective_on": "2019-01-01"}
    )
    assert response.status_code == 200 and station.status_changes.count() == 2  # earlier than the history: refused


@pytest.mark.django_db
def test_catalogue_item_and_service_record_pages(client, personas, network):
    station = network["station_a1"]
    client.force_login(personas["station_worker"])
    response = client.post(
        reverse("stations:catalogue_create"),
        {"station": station.pk, "field": "social_services", "title": "四点半课堂", "published_on": "2022-09-01"},
    )
    assert response.status_code == 302
    item = CatalogueItem.objects.get(station=station, title="四点半课堂")
    assert item.published_on == datetime.date(2022, 9, 1) and item.published
    response = client.post(
        reverse("stations:catalogue_edit", args=[item.pk]),
        {"field": "social_services", "title": "四点半课堂", "published_on": "2022-09-01", "withdrawn_on": "2022-08-01"},
    )
    assert response.status_code == 200  # withdrawn before it was published: refused by the service
    item.refresh_from_db()
    assert item.withdrawn_on is None
    response = client.post(
        reverse("stations:catalogue_create"),
        {
            "station": network["station_a2"].pk,
            "field": "social_services",
            "title": "越界",
            "published_on": "2022-09-01",
        },
    )
    assert response.status_code == 200 and not CatalogueItem.objects.filter(title="越界").exists()

    r = network["recipient_a11"]
    response = client.post(
        reverse("stations:record_create"),
        {
            "station": station.pk,
            "kind": "casework",
            "served_on": "2023-04-04",
            "duration_hours": "1.5",
            "recipients": [r.pk],
            "volunteer_count": "2",
            "volunteer_names": "志愿者甲、乙",
            "charity_resources": "爱心超市物资",
            "charity_value": "300",
            "summary": "Casework-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ServiceRecord.objects.get(summary="Casework-1")
    assert record.participant_count == 1 and list(record.recipients.all()) == [r]
    html = client.get(record.get_absolute_url()).content.decode()
    assert "SRV-4" in html and "爱心超市物资" in html
    response = client.post(
        reverse("stations:record_create"),
        {
            "station": station.pk,
            "kind": "casework",
            "served_on": "2019-04-04",
            "duration_hours": "1",
            "volunteer_count": "0",
            "summary": "Too-early",
        },
    )
    assert response.status_code == 200 and not ServiceRecord.objects.filter(summary="Too-early").exists()


@pytest.mark.django_db
def test_assessment_and_follow_up_done(client, personas, network):
    r = network["recipient_a11"]
    client.force_login(personas["station_worker"])
    response = client.post(
        reverse("stations:assessment_create", args=[r.pk]),
        {
            "assessed_on": "2023-02-01",
            "material": "high",
            "psychological": "low",
            "social": "medium",
            "material_notes": "住房破旧",
        },
    )
    assert response.status_code == 302
    assert NeedsAssessment.objects.get(recipient=r).material_notes == "住房破旧"
    plan = network["follow_up_a1"]
    response = client.post(
        reverse("stations:follow_up_done", args=[plan.pk]), {"done_on": "2023-01-03", "outcome": "已回访"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.done_on == datetime.date(2023, 1, 3)
    html = client.get(reverse("stations:station_detail", args=[network["station_a1"].pk])).content.decode()
    assert 'data-testid="overdue-count"' in html
    assert (
        FollowUpPlan.objects.filter(
            recipient__village__parent=network["township_a1"], done_on__isnull=True, due_on__lt=timezone.localdate()
        ).count()
        == 0
    )


@pytest.mark.django_db
def test_service_record_links_are_in_its_history(client, personas, network):
    """Who changed a record's recipients (personal data) and when shows in its change history."""
    station, r = network["station_a1"], network["recipient_a11"]
    client.force_login(personas["station_worker"])
    fields = {
        "station": station.pk,
        "kind": "home_visit",
        "served_on": "2023-05-05",
        "duration_hours": "1",
        "volunteer_count": "0",
        "summary": "Links-1",
    }
    assert client.post(reverse("stations:record_create"), {**fields, "recipients": [r.pk]}).status_code == 302
    record = ServiceRecord.objects.get(summary="Links-1")
    response = client.post(reverse("stations:record_edit", args=[record.pk]), {**fields, "participant_count": "3"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not record.recipients.exists()
    latest = record.history.order_by("-history_id").first()
    assert latest.history_user == personas["station_worker"]
    assert "recipients" in {c.field for c in latest.diff_against(latest.prev_record).changes}
    assert [h.recipient_id for h in latest.prev_record.recipients.all()] == [r.pk]
    html = client.get(record.get_absolute_url()).content.decode()
    history = html.split('data-testid="history"', 1)[1].split("</table>", 1)[0]
    assert "服务对象" in history  # the verbose name of the recipients field, 服务对象 …

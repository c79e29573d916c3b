"""What provider staff, the API client and read-only roles may not do (README, "Roles"): each refused where the
user acts — the page, the API, the import, the login form."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from stations.choices import StationStatus
from stations.models import Station, StationStatusChange
from tests.conftest import PASSWORD
from tests.permkit import client_for


@pytest.mark.django_db
def test_provider_staff_may_not_suspend_a_station_by_page_or_api(client, personas, network):
    station = network["station_a1"]
    before = StationStatusChange.objects.filter(station=station).count()
    c = client_for(client, personas, "provider")
    page = c.post(
        reverse("stations:station_status", args=[station.pk]), {"status": "suspended", "effective_on": "2023-01-02"}
    )
    assert page.status_code == 403 and "NET-3" in page.content.decode()
    token = Token.objects.create(user=personas["provider"])
    api = client.patch(
        reverse("stations-api:station-detail", args=[station.pk]),
        {"has_venue": False},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert api.status_code == 403 and "NET-3" in api.json()["detail"]
    station.refresh_from_db()
    assert station.status == StationStatus.OPERATING and station.has_venue
    assert StationStatusChange.objects.filter(station=station).count() == before
    # The detail page offers neither the edit button nor the status form to provider staff; the officer has both.
    html = c.get(reverse("stations:station_detail", args=[station.pk])).content.decode()
    assert reverse("stations:station_edit", args=[station.pk]) not in html
    assert reverse("stations:station_status", args=[station.pk]) not in html
    html = client_for(client, personas, "officer_a").get(reverse("stations:station_detail", args=[station.pk]))
    assert reverse("stations:station_status", args=[station.pk]) in html.content.decode()


@pytest.mark.django_db
def test_provider_staff_still_record_services_and_recipients(client, personas, network):
    c = client_for(client, personas, "provider")
    assert c.get(reverse("stations:recipient_create")).status_code == 200
    assert c.get(reverse("stations:record_create")).status_code == 200
    assert c.get(reverse("stations:import_upload", args=["stations"])).status_code == 403
    assert c.get(reverse("stations:import_upload", args=["recipients"])).status_code == 200
    assert Station.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_the_api_client_cannot_sign_in_to_the_pages(client, personas):
    response = client.post(reverse("login"), {"username": "api_client", "password": PASSWORD})
    assert response.status_code == 200 and "令牌" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # A session it held before is ended on the next page; the API still answers its token.
    client.force_login(personas["api_client"])
    response = client.get(reverse("stations:station_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
    token = Token.objects.create(user=personas["api_client"])
    api = client.get(reverse("stations-api:station-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 200
    # Every other role signs in through the same form.
    assert client.post(reverse("login"), {"username": "city_viewer", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["city_viewer", "evaluator"])
def test_read_only_roles_may_not_start_a_report_workbook(client, personas, network, persona):
    from network.models import Job

    place = network["city"] if persona == "city_viewer" else network["county_a"]
    response = client_for(client, personas, persona).post(reverse("reporting:report_start", args=[place.code]))
    assert response.status_code == 403
    assert not Job.objects.exists()

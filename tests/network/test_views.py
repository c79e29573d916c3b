"""Network pages: the permission matrix, scope of lists and exports, home pages per level."""

import pytest
from django.urls import reverse

from tests.permkit import (
    CITY_ADMIN_ONLY,
    FORBIDDEN,
    FOUND,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    READ_A1,
    READ_CITY_WIDE,
    READ_COUNTY_A,
    Case,
    ScopeCase,
    list_scope_test,
    permission_matrix_test,
)

READ_CITY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"city_admin": OK, "city_viewer": OK, "anonymous": LOGIN}
RULES_READ = dict.fromkeys(PERSONAS, FORBIDDEN) | {"city_admin": OK, "city_viewer": OK, "anonymous": LOGIN}

OWNER_ONLY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"city_admin": OK, "anonymous": LOGIN}
# Read-only roles are refused (403) before any lookup, so no record's existence is revealed.
EDIT_COUNTY_A = {
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


def _centre_a(n):
    from network.models import Centre

    centre, _ = Centre.objects.get_or_create(
        place=n["county_a"], defaults={"level": "county", "name": "柳城县社会工作服务站指导中心"}
    )
    return [centre.pk]


def _officer_b_pk(n):
    return n["personas"]["officer_b"].pk


def _admin_job(n):
    from network.models import Job

    return [Job.objects.create(kind="division_import", created_by=n["personas"]["city_admin"]).pk]


PERMISSION_MATRIX = [
    Case("home", READ_CITY_WIDE),
    Case("password_change", READ_CITY_WIDE),
    Case("network:place_list", READ_CITY_WIDE),
    Case("network:place_detail", READ_CITY, args=lambda n: [n["city"].code]),
    Case("network:place_detail", READ_COUNTY_A, args=lambda n: [n["county_a"].code]),
    Case("network:place_detail", READ_A1, args=lambda n: [n["village_a11"].code]),
    Case("network:centre_list", READ_CITY_WIDE),
    Case("network:centre_create", CITY_ADMIN_ONLY),  # NET-1/NET-2: the city registers centres
    Case("network:centre_detail", READ_COUNTY_A, args=_centre_a),
    Case("network:centre_edit", EDIT_COUNTY_A, args=_centre_a),
    Case("network:job_detail", OWNER_ONLY, args=_admin_job),
    Case("network:job_status", OWNER_ONLY, args=_admin_job),
    Case("network:job_confirm", OWNER_ONLY | {"city_admin": FOUND}, args=_admin_job, method="post"),
    Case("network:user_list", CITY_ADMIN_ONLY),
    Case("network:user_create", CITY_ADMIN_ONLY),
    Case("network:user_edit", CITY_ADMIN_ONLY, args=lambda n: [_officer_b_pk(n)]),
    Case("network:rule_settings", RULES_READ),
    Case("network:division_import", CITY_ADMIN_ONLY),
    Case("network:division_template", CITY_ADMIN_ONLY),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


def _visible_places(n):
    """Township codes each persona must see (codes, since names nest: 柳城县1镇 contains 柳城县)."""
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


SCOPE_CASES = [
    ScopeCase("network:place_list", _visible_places, query="level=township"),
    ScopeCase("network:place_list", _visible_places, mode="export", query="level=township"),
]
test_list_scope = list_scope_test(SCOPE_CASES)


@pytest.mark.django_db
def test_home_shows_each_level(client, personas, network):
    client.force_login(personas["city_admin"])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-city"' in html and "柳城县" in html and "鹿寨县" in html
    client.force_login(personas["officer_a"])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-county"' in html
    assert network["station_a1"].sign_text in html and network["station_b1"].sign_text not in html
    client.force_login(personas["station_worker"])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="station-home"' in html and network["station_a1"].sign_text in html
    assert network["station_a2"].sign_text not in html


@pytest.mark.django_db
def test_place_page_links_to_the_place_above_only_for_those_who_may_open_it(client, personas, network):
    city_url, county_url = (reverse("network:place_detail", args=[network[k].code]) for k in ("city", "county_a"))
    client.force_login(personas["officer_a"])
    html = client.get(county_url).content.decode()
    assert f'href="{city_url}"' not in html and "隶属于 柳州市" in html
    client.force_login(personas["station_worker"])
    html = client.get(reverse("network:place_detail", args=[network["township_a1"].code])).content.decode()
    assert f'href="{county_url}"' not in html and "隶属于 柳城县" in html
    client.force_login(personas["city_admin"])
    assert f'href="{city_url}"' in client.get(county_url).content.decode()


@pytest.mark.django_db
def test_rule_settings_edit_by_city_admin_only(client, personas):
    from network.rule_settings import rule_value

    url = reverse("network:rule_settings")
    client.force_login(personas["city_viewer"])
    assert client.post(url, {"key": "PRC-2.workers_per_station", "value": "3"}).status_code == 403
    assert rule_value("PRC-2.workers_per_station") == 2
    client.force_login(personas["city_admin"])
    assert client.post(url, {"key": "PRC-2.workers_per_station", "value": "3"}).status_code == 302
    assert rule_value("PRC-2.workers_per_station") == 3
    response = client.post(url, {"key": "TGT-COV.target_2021", "value": "150"})
    assert response.status_code == 200 and "TGT-COV" in response.content.decode()
    assert rule_value("TGT-COV.target_2021") == 70


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_user_create_rejects_duplicate_username(client, personas, network):
    client.force_login(personas["city_admin"])
    response = client.post(
        reverse("network:user_create"),
        {
            "username": "OFFICER_A",
            "role": "county_officer",
            "places": [network["county_a"].code],
            "password1": "Another-pass-2026",
            "password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 200
    assert "already taken" in response.content.decode() or "已被占用" in response.content.decode()


@pytest.mark.django_db
def test_user_create_checks_place_level(client, personas, network):
    from network.models import User

    client.force_login(personas["city_admin"])
    response = client.post(
        reverse("network:user_create"),
        {
            "username": "new_officer",
            "role": "county_officer",
            "places": [network["township_b1"].code],
            "password1": "Another-pass-2026",
            "password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="new_officer").exists()


@pytest.mark.django_db
def test_user_edit_changes_role_places_and_records_who(client, personas, network):
    from network.models import PlaceUserObjectPermission
    from network.scope import CHANGE, VIEW, scope_prefixes

    officer = personas["officer_b"]
    client.force_login(personas["city_admin"])
    response = client.post(
        reverse("network:user_edit", args=[officer.pk]),
        {"role": "city_viewer", "places": [network["city"].code], "display_name": "改任查看员", "is_active": "on"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == "city_viewer" and officer.display_name == "改任查看员"
    assert scope_prefixes(officer, VIEW) == ("4502",) and scope_prefixes(officer, CHANGE) == ()
    history = PlaceUserObjectPermission.history.filter(user_id=officer.pk)
    assert history.filter(history_type="-").count() == 2  # view and change on 鹿寨县 revoked
    assert history.filter(history_type="+", history_user=personas["city_admin"]).count() == 1
    html = client.get(reverse("network:user_edit", args=[officer.pk])).content.decode()
    assert 'data-testid="grant-history"' in html


@pytest.mark.django_db
def test_deactivated_account_sees_nothing(client, personas, network):
    officer = personas["officer_a"]
    client.force_login(personas["city_admin"])
    client.post(
        reverse("network:user_edit", args=[officer.pk]),
        {"role": "county_officer", "places": [network["county_a"].code]},
    )
    officer.refresh_from_db()
    assert not officer.is_active
    client.force_login(officer)  # a session made before the change no longer authenticates
    assert client.get(reverse("home")).status_code == 302

"""Security baseline: login throttling, session expiry, headers, CSRF, deploy check, audit history."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.permkit import OK, PERSONAS, Case, permission_matrix_test

BASE = Path(__file__).resolve().parent.parent

PERMISSION_MATRIX = [
    # The API client's session is ended there and the form shown (it has no web pages).
    Case("login", {p: (302 if p not in ("anonymous", "api_client") else OK) for p in PERSONAS}),
    Case("logout", dict.fromkeys(PERSONAS, 302), method="post"),
    Case("set_language", dict.fromkeys(PERSONAS, 302), method="post", data=lambda n: {"language": "en"}),
    Case("password_change_done", dict.fromkeys(PERSONAS, OK) | {"anonymous": "login"}),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_login_locks_out_after_repeated_failures(personas):
    client = Client()
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "officer_a", "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post(url, {"username": "officer_a", "password": "wrong-password"})
    assert response.status_code == 429
    # Locked now, even with the right password.
    response = client.post(url, {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "locked-out" in response.content.decode()
    # Another account from the same address is not locked.
    assert client.post(url, {"username": "officer_b", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_behind_the_proxy_the_lockout_is_per_username_and_client_address(personas, settings):
    """Five wrong passwords from one client lock that client out of the account, not everyone."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR plays the reverse proxy
    url = reverse("login")
    attacker, colleague = Client(HTTP_X_FORWARDED_FOR="10.8.0.66"), Client(HTTP_X_FORWARDED_FOR="10.8.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(url, {"username": "city_admin", "password": "wrong-password"})
    assert attacker.post(url, {"username": "city_admin", "password": PASSWORD}).status_code == 429
    assert colleague.post(url, {"username": "city_admin", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_forwarded_for_is_ignored_from_an_untrusted_address(personas, settings):
    """Without a trusted proxy the header is the caller's own claim: changing it does not escape a lock."""
    settings.TRUSTED_PROXIES = []
    url = reverse("login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(HTTP_X_FORWARDED_FOR=f"10.9.0.{n}").post(url, {"username": "officer_a", "password": "wrong"})
    fresh = Client(HTTP_X_FORWARDED_FOR="10.9.0.200")
    assert fresh.post(url, {"username": "officer_a", "password": PASSWORD}).status_code == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_login_lands_on_home(personas):
    client = Client()
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.django_db
def test_security_headers_and_csp_nonce(client, personas):
    client.force_login(personas["officer_a"])
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    html = response.content.decode()
    assert "<script>" not in html  # no inline scripts: every script is a vendored or portal static file
    assert "cdn" not in html.lower() and "https://" not in html


@pytest.mark.django_db
def test_csrf_is_enforced(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["city_admin"])
    response = client.post(reverse("network:rule_settings"), {"key": "PRC-2.workers_per_station", "value": "3"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_password_validation_rejects_weak_passwords(client, personas):
    client.force_login(personas["officer_a"])
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200  # refused, form shown again
    personas["officer_a"].refresh_from_db()
    assert personas["officer_a"].check_password(PASSWORD)


def test_deploy_check_is_clean_with_production_variables():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")} | {
        "DEBUG": "false",
        "SECRET_KEY": "x7$Kp2!vQm9#Lr4@Wn8^Zt6&Hy3*Bd5(Fg1)Jc0_Se7+Ua2-Xo9=Ri4",
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_COOKIES": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_PRELOAD": "true",
        "STATIC_MANIFEST": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_malformed_setting_fails_loudly():
    env = os.environ | {"DEBUG": "maybe"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.django_db
def test_changes_are_recorded_and_shown_on_the_record_page(client, personas, network):
    from stations.models import Station

    station = network["station_a1"]
    client.force_login(personas["officer_a"])
    response = client.post(
        reverse("stations:station_edit", args=[station.pk]),
        {"has_venue": "on", "address": "新地址 1 号", "shared_venues": ["womens_home"]},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    record = Station.history.filter(id=station.pk).latest("history_date")
    assert record.history_user == personas["officer_a"] and record.address == "新地址 1 号"
    client.force_login(personas["city_viewer"])
    html = client.get(reverse("stations:station_detail", args=[station.pk])).content.decode()
    assert 'data-testid="history"' in html and str(personas["officer_a"]) in html


@pytest.mark.django_db
def test_chinese_by_default_whatever_the_browser_says(client, personas):
    client.force_login(personas["officer_a"])
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作台" in html and 'lang="zh-hans"' in html
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert ">Workbench<" in html and 'lang="en"' in html


@pytest.mark.django_db
def test_a_refused_request_is_logged_in_one_line(client, personas, caplog):
    client.force_login(personas["city_viewer"])
    with caplog.at_level("WARNING", logger="django.request"):
        response = client.get(reverse("network:division_import"))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden") and record.exc_info is None
    assert "\n" not in caplog.text.strip()


def test_collectstatic_succeeds_with_the_production_settings(tmp_path):
    """The documented production step: hashed names (STATIC_MANIFEST=true) with DEBUG off."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"} | {
        "DEBUG": "false",
        "STATIC_MANIFEST": "true",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE, env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest and "css/portal.css" in manifest

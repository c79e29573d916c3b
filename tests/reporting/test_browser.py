"""A browser opens the city dashboard, drills into one county and one indicator explanation."""

import datetime

import pytest

from reporting.services import indicators_recompute
from tests.conftest import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("every_persona")
def test_city_dashboard_drill_down(live_server, personas, network):
    from playwright.sync_api import expect, sync_playwright

    indicators_recompute(today=datetime.date(2022, 6, 15))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/accounts/login/?next=/reporting/")
            page.fill("#id_username", "city_admin")
            page.fill("#id_password", PASSWORD)
            page.locator("form button[type=submit], form input[type=submit]").last.click()
            page.wait_for_url(f"{live_server.url}/reporting/")
            expect(page.get_by_test_id("dashboard-title")).to_contain_text("柳州市")
            expect(page.get_by_test_id("card-TGT-COV")).to_be_visible()
            # ECharts drew the coverage map (CSP allows the static script; data came from json_script).
            expect(page.locator("#coverage-map canvas")).to_have_count(1, timeout=15000)
            expect(page.locator("#trend-chart canvas")).to_have_count(1)

            page.get_by_test_id("child-450222000000").click()
            expect(page.get_by_test_id("dashboard-title")).to_contain_text("柳城县")
            expect(page.get_by_test_id("child-450222101000")).to_be_visible()

            page.get_by_test_id("card-TGT-COV").click()
            expect(page.get_by_test_id("explanation-title")).to_contain_text("柳城县")
            expect(page.get_by_test_id("rule-text")).to_contain_text("31")
            expect(page.get_by_test_id("explanation-figures")).to_be_visible()
            expect(page.get_by_test_id("records")).to_contain_text("柳城县1镇")
            assert not errors, errors
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("every_persona")
def test_county_officer_suspends_a_station_and_the_county_coverage_drops(live_server, personas, network):
    """Through the pages, with a real worker: the officer of 柳城县 suspends a station, and without anyone
    pressing 重新计算 the county dashboard's coverage falls from 100 % to 50 % within seconds."""
    import time

    from django.core.cache import cache
    from django.utils import timezone

    from liuzhou_social.celery import app
    from tests.browser import browser_page, login
    from tests.workerproc import celery_worker

    indicators_recompute()
    app.control.purge()
    cache.clear()
    station = network["station_a1"]
    dashboard = f"{live_server.url}/reporting/place/450222000000/"
    with celery_worker(), browser_page() as page:
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, live_server.url, "officer_a", PASSWORD)
        page.goto(dashboard)
        assert page.get_by_test_id("value-TGT-COV").inner_text().strip() == "100.0 %"
        page.goto(f"{live_server.url}/stations/{station.pk}/status/")
        page.select_option("#id_status", "suspended")
        page.fill("#id_effective_on", timezone.localdate().isoformat())
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(f"{live_server.url}/stations/{station.pk}/")
        saved = time.monotonic()
        shown = ""
        while time.monotonic() - saved < 30:  # poll the page as an officer would, bounded
            page.goto(dashboard)
            shown = page.get_by_test_id("value-TGT-COV").inner_text().strip()
            if shown != "100.0 %":
                break
            time.sleep(0.5)
        assert shown == "50.0 %", shown
        assert "已包含全部更改" in page.get_by_test_id("computed-at").inner_text()
        assert not errors, errors

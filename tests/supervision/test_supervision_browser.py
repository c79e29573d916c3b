"""In the browser: the provider's staff record a two-day supervision at station A1, the heat map shows the month
amber (awaiting the station), the worker stationed there confirms it, the cell turns green and the station's
standard item "supervision last month" passes."""

import pytest

from supervision.models import SupervisionLog
from tests.conftest import PASSWORD
from tests.supervision.sup_fixtures import sup  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_record_confirm_heat_map_green_and_standard_item_passes(live_server, personas, network, sup):  # noqa: F811
    from tests.browser import browser_page, login

    SupervisionLog.objects.all().delete()
    station = network["station_a1"]
    month = sup["last_month"]
    base = live_server.url
    cell = f'[data-testid="cell-{station.pk}-{month:%Y-%m}"]'
    heat = f"{base}/supervision/heat-map/?county={station.place.parent_id}&year={month.year}"
    with browser_page() as page:
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, base, "provider", PASSWORD)
        page.goto(f"{base}/supervision/logs/new/?station={station.pk}")
        page.select_option("#id_supervisor", str(sup["supervisor"].pk))
        page.fill("#id_held_on", month.replace(day=10).isoformat())
        page.fill("#id_days", "2")
        page.fill("#id_start_time", "09:00")
        page.fill("#id_end_time", "17:00")
        page.select_option("#id_method", "case_conference")
        page.fill("#id_content", "个案研讨：独居老人照护方案")
        for worker in sup["stationed"]:
            page.check(f'input[name="workers_present"][value="{worker.pk}"]')
        page.get_by_test_id("submit").click()
        page.wait_for_selector('[data-testid="log-hours"]')
        assert page.get_by_test_id("log-hours").inner_text().strip() == "16.00"
        page.goto(heat)
        assert page.locator(cell).get_attribute("data-state") == "partial"  # awaiting the station

        page.context.clear_cookies()
        login(page, base, "station_worker", PASSWORD)
        log = SupervisionLog.objects.get()
        page.goto(f"{base}/supervision/logs/{log.pk}/")
        page.get_by_test_id("confirm-link").click()
        page.get_by_test_id("confirm").click()
        page.wait_for_selector('[data-testid="log-status"]')
        page.goto(heat)
        assert page.locator(cell).get_attribute("data-state") == "met"
        assert "text-bg-success" in page.locator(cell).get_attribute("class")

        page.goto(f"{base}/stations/{station.pk}/")
        row = page.locator('[data-testid="standard-items"] tr', has_text="上月督导")
        assert "table-success" in row.get_attribute("class")
        assert page.locator(f'[data-testid="station-month-{month:%Y-%m}"]').get_attribute("data-state") == "met"
        assert not errors, errors

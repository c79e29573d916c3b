"""Searchable pickers (Tom Select, vendored): on the service-record form the workers' list is searched by typing,
offers only the workers stationed there that day with the detail that tells equal names apart, and what is picked
is what the form saves."""

import datetime

import pytest

from stations.models import ServiceRecord
from tests.browser import browser_page, login
from tests.conftest import PASSWORD
from tests.factories import valid_id_number
from workforce.models import Assignment, Worker


def _stationed(name, station, serial, start):
    worker = Worker.objects.create(
        name=name,
        gender="female",
        birth_date=datetime.date(1980 + serial, 1, 1),
        id_number=valid_id_number(800 + serial, birth=f"{1980 + serial}0101"),
        place=station.place,
    )
    Assignment.objects.create(worker=worker, station=station, role="stationed", start_on=start)
    return worker


@pytest.mark.browser
@pytest.mark.usefixtures("every_persona")
def test_a_worker_is_found_by_typing_and_saved(transactional_db, live_server, personas, network):
    station = network["station_a1"]
    day = datetime.date(2023, 3, 3)
    wanted = _stationed("蓝晓燕", station, 1, datetime.date(2022, 1, 1))
    namesake = _stationed("蓝晓燕", station, 2, datetime.date(2022, 1, 1))
    other = _stationed("覃海", network["station_a2"], 3, datetime.date(2022, 1, 1))
    with browser_page() as page:
        login(page, live_server.url, "officer_a", PASSWORD)
        page.goto(f"{live_server.url}/stations/records/new/?station={station.pk}&served_on={day.isoformat()}")
        picker = page.locator(".ts-wrapper:has(+ #id_workers), #id_workers + .ts-wrapper").first
        picker.click()
        page.keyboard.type("晓燕")
        options = page.locator(".ts-dropdown:visible .option")
        options.first.wait_for()
        texts = options.all_inner_texts()
        # Both namesakes are offered, told apart by birth year; the worker stationed elsewhere is not.
        assert any("1981年生" in t for t in texts) and any("1982年生" in t for t in texts), texts
        assert not any(other.name in t for t in texts), texts
        page.locator(".ts-dropdown:visible .option", has_text="1981年生").click()
        assert page.eval_on_selector("#id_workers", "s => [...s.selectedOptions].map(o => o.value)") == [str(wanted.pk)]
        page.keyboard.press("Escape")
        page.select_option("#id_kind", "home_visit")
        page.fill("#id_duration_hours", "1.5")
        page.fill("#id_participant_count", "1")
        page.locator("form:has(#id_workers) button[type=submit]").click()
        page.wait_for_load_state()
    record = ServiceRecord.objects.get(station=station, served_on=day)
    assert list(record.workers.all()) == [wanted] and namesake not in record.workers.all()

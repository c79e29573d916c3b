"""In the browser: a county officer imports a roster with errors, fixes it, imports it, and sees the county
workforce page change (TGT-CERT)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import PASSWORD
from workforce import roster
from workforce.identifiers import make_id_number

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def roster_bytes(obtained_on: str) -> bytes:
    new_id = make_id_number("450222", datetime.date(1994, 7, 1), 21, False)
    wb = Workbook()
    wb.active.title = roster.INSTRUCTIONS
    for name, headers, rows in (
        (
            roster.WORKERS,
            roster.WORKER_HEADERS,
            [["黄丽萍", new_id, "女", "", "13977201234", "本科", "450222102000", ""]],
        ),
        (
            roster.QUALIFICATIONS,
            roster.QUALIFICATION_HEADERS,
            [[new_id, "社会工作师", "GX2023BROWSER", obtained_on, "", ""]],
        ),
        (roster.ASSIGNMENTS, roster.ASSIGNMENT_HEADERS, []),
    ):
        ws = wb.create_sheet(name)
        ws.append(headers)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        pw.stop()


@pytest.mark.browser
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("every_persona")
def test_roster_import_with_errors_then_fixed_changes_county_page(
    transactional_db, live_server, personas, wf, browser, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.IMPORT_INLINE_BYTES = 0  # the check and the import go to the worker; the job page polls
    page = browser.new_page(locale="zh-CN")  # an intranet browser in Chinese
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "officer_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector('[data-testid="user-menu"]')

    county_url = live_server.url + reverse("workforce:county_workforce", args=["450222000000"])
    page.goto(county_url)
    assert page.inner_text('[data-testid="certified-now"]').strip() == "1"
    assert page.inner_text('[data-testid="townships-covered"]').strip() == "1 / 2"

    # The check and the import run as jobs on a real Celery worker; the one job page polls (static/js/job.js)
    # and reloads itself when the job is done.
    from tests.workerproc import celery_worker

    with celery_worker():
        # 1. A roster whose certificate is dated before the worker turned 18: rejected, nothing written.
        bad = tmp_path / "roster-bad.xlsx"
        bad.write_bytes(roster_bytes("2010-05-01"))
        page.goto(live_server.url + reverse("workforce:roster_import"))
        page.set_input_files("#id_file", str(bad))
        page.click('[data-testid="upload-button"]')
        page.wait_for_selector('[data-testid="import-errors"]', timeout=90_000)
        errors = page.inner_text('[data-testid="import-errors"]')
        assert "资格证书" in errors and "取得日期" in errors and "年满18周岁" in errors
        assert page.locator('[data-testid="confirm-import"]').count() == 0

        # 2. The fixed roster: checked, then imported.
        good = tmp_path / "roster-good.xlsx"
        good.write_bytes(roster_bytes("2023-03-18"))
        page.goto(live_server.url + reverse("workforce:roster_import"))
        page.set_input_files("#id_file", str(good))
        page.click('[data-testid="upload-button"]')
        page.wait_for_selector('[data-testid="import-preview"]', timeout=90_000)
        assert "社工" in page.inner_text('[data-testid="import-preview"]')
        page.click('[data-testid="confirm-import"]')
        page.wait_for_selector('[data-testid="import-done"]', timeout=90_000)
    page.click('[data-testid="to-list"]')
    page.wait_for_selector('[data-testid="list-table"]')
    assert "黄丽萍" in page.inner_text('[data-testid="list-table"]')

    # 3. The county workforce page now counts the new certified worker, and her township is covered.
    page.goto(county_url)
    assert page.inner_text('[data-testid="certified-now"]').strip() == "2"
    assert page.inner_text('[data-testid="townships-covered"]').strip() == "2 / 2"
    page.close()

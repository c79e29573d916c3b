"""In the browser: a county officer finds a worker short of the year's training hours, records an attendance on
the page, imports a sign-in sheet (a wrong row refused first, then the corrected sheet confirmed), and sees the
worker leave the shortfall list."""

import datetime

import pytest
from openpyxl import Workbook

from tests.conftest import PASSWORD

from .training_fixtures import trn  # noqa: F401

HEADERS = ["课程", "参训日期", "身份证号码", "姓名", "参训学时", "备注"]
ONLINE = "全国社会工作信息系统网络培训"


def _workbook(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "签到表"
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)


def _short_list(page, base):
    page.goto(f"{base}/supervision/training/?year=2023")
    page.wait_for_selector('[data-testid="hours-summary"]')
    table = page.query_selector('[data-testid="hours-table"]')
    return table.inner_text() if table else ""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_recording_and_importing_attendance_clears_the_shortfall(live_server, trn, tmp_path):  # noqa: F811
    from tests.browser import browser_page, login

    base = live_server.url
    jia = trn["jia"]
    with browser_page() as page:
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, base, "officer_a", PASSWORD)
        listed = _short_list(page, base)
        assert "驻站甲" in listed and "8.0" in listed  # 40 of 48 hours

        # Record 4 hours at the page: still short, by 4.
        page.goto(f"{base}/supervision/training/attendance/new/?course={trn['online'].pk}&worker={jia.pk}")
        page.fill("#id_attended_on", "2023-11-02")
        page.fill("#id_hours", "4")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/supervision/training/attendance/*/")
        listed = _short_list(page, base)
        assert "驻站甲" in listed and "4.0" in listed

        # A sign-in sheet with a wrong row: refused whole, the row and column named.
        path = tmp_path / "signin.xlsx"
        _workbook(
            path,
            [
                [ONLINE, datetime.date(2023, 11, 3), jia.id_number, "驻站甲", "4", ""],
                ["没有的课程", datetime.date(2023, 11, 3), jia.id_number, "驻站甲", "4", ""],
            ],
        )
        page.goto(f"{base}/supervision/training/attendance/")
        page.click('[data-testid="attendance-import"]')
        page.set_input_files("input[name=file]", str(path))
        page.click('[data-testid="upload-button"]')
        text = page.wait_for_selector('[data-testid="import-errors"]').inner_text()
        assert "课程" in text and "没有的课程" in text
        assert not page.query_selector('[data-testid="confirm-import"]')

        # Corrected: confirmed, imported, and the worker is no longer short.
        _workbook(path, [[ONLINE, datetime.date(2023, 11, 3), jia.id_number, "驻站甲", "4", ""]])
        page.click('[data-testid="upload-again"]')
        page.set_input_files("input[name=file]", str(path))
        page.click('[data-testid="upload-button"]')
        page.wait_for_selector('[data-testid="import-preview"]')
        page.click('[data-testid="confirm-import"]')
        page.wait_for_selector('[data-testid="import-done"]')
        listed = _short_list(page, base)
        assert "驻站甲" not in listed
        assert page.query_selector('[data-testid="empty-state"]')
        assert not errors, errors

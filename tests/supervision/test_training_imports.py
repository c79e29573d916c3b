"""The training sign-in sheet: template, check and preview, all-or-nothing import through the one job page, each
wrong row named by row and column (unknown worker, unknown course, a day outside the course, more than 24 hours in
a day for one person — also across rows of the file), and the figures following the import."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from network.models import Job
from reporting.models import PendingChange
from supervision.models import Attendance
from tests.permkit import client_for

from .training_fixtures import trn  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("trn")]
HEADERS = ["课程", "参训日期", "身份证号码", "姓名", "参训学时", "备注"]
ONLINE = "全国社会工作信息系统网络培训"


def _upload(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = "签到表"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("signin.xlsx", buf.getvalue())


def _post(client, personas, rows, persona="officer_a"):
    c = client_for(client, personas, persona)
    response = c.post(reverse("supervision:attendance_import"), {"file": _upload(rows)})
    assert response.status_code == 302, response.content.decode().split("<main")[-1][:3000]
    return c, Job.objects.latest("created_at")


def test_the_template_has_the_headers(client, personas):
    response = client_for(client, personas, "officer_a").get(reverse("supervision:attendance_template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in wb.worksheets[0][1]][:3] == ["课程*", "参训日期*", "身份证号码*"]


def test_a_correct_sheet_imports_every_row_and_the_worker_leaves_the_shortfall_list(client, personas, network):
    t = network["trn"]
    jia = t["jia"]
    rows = [
        [ONLINE, "2023-10-09", jia.id_number, "驻站甲", "4", ""],
        [ONLINE, "2023/10/10", jia.id_number, "驻站甲", "4.5", "线上"],
        ["柳城县个案工作实务", "2023-05-18", t["yi"].id_number, "驻站乙", "8", ""],
    ]
    PendingChange.objects.all().delete()
    c, job = _post(client, personas, rows)
    assert job.result["error_count"] == 0 and job.result["created"] == 3
    assert Attendance.objects.filter(source="import").count() == 0  # nothing before the confirmation
    c.post(reverse("network:job_confirm", args=[job.pk]))
    assert Attendance.objects.filter(source="import").count() == 3
    assert Attendance.objects.get(worker=jia, attended_on="2023-10-10").hours == Decimal("4.5")
    assert Attendance.objects.get(worker=jia, attended_on="2023-10-10").history.count() == 1
    assert PendingChange.objects.filter(place_code=network["township_a1"].code).exists()  # the figures follow
    page = c.get(reverse("supervision:training_hours"), {"year": 2023})
    assert "驻站甲" not in {r.worker.name for r, _v in page.context["rows"]}  # 48.5 h now


def test_one_bad_row_refuses_the_whole_file_naming_row_and_column(client, personas, network):
    t = network["trn"]
    jia, bing = t["jia"], t["bing"]
    before = Attendance.objects.count()
    rows = [
        [ONLINE, "2023-10-09", jia.id_number, "驻站甲", "4", ""],  # row 2: fine
        [ONLINE, "2023-10-09", "450222199912319999", "无名", "4", ""],  # row 3: unknown worker
        ["不存在的课程", "2023-10-09", jia.id_number, "驻站甲", "4", ""],  # row 4: unknown course
        ["柳城县个案工作实务", "2023-05-19", jia.id_number, "驻站甲", "4", ""],  # row 5: not a day of the course
        [ONLINE, "2023-05-18", jia.id_number, "驻站甲", "10", ""],  # row 6: 8 h recorded + 10 fine
        [ONLINE, "2023-10-11", jia.id_number, "驻站甲", "20", ""],  # row 7 fine alone …
        [
            "社会救助政策解读",
            "2023-03-01",
            jia.id_number,
            "驻站甲",
            "9",
            "",
        ],  # row 8: recorded 8 h, replaced by 9: fine
        [ONLINE, "2023-03-01", jia.id_number, "驻站甲", "16", ""],  # row 9: 9 (row 8) + 16 > 24
        [ONLINE, "2023-10-12", bing.id_number, "驻站丙", "4", ""],  # row 10: county B's worker, not officer A's
        [ONLINE, "2023-10-13", jia.id_number, "驻站乙", "4", ""],  # row 11: the name differs
        [ONLINE, "2023-10-14", jia.id_number, "驻站甲", "三", ""],  # row 12: not a number
    ]
    c, job = _post(client, personas, rows)
    errors = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert errors == {
        (3, "身份证号码"),
        (4, "课程"),
        (5, "参训日期"),
        (9, "参训学时"),
        (10, "身份证号码"),
        (11, "姓名"),
        (12, "参训学时"),
    }, job.result["errors"]
    messages = {e["row"]: e["message"] for e in job.result["errors"]}
    assert "24" in messages[9] and "SUP-2" in messages[5]
    assert job.status == "failed"
    assert c.post(reverse("network:job_confirm", args=[job.pk])).status_code in (302, 200)
    assert Attendance.objects.count() == before


def test_more_than_24_hours_across_rows_of_the_file_is_refused(client, personas, network):
    jia = network["trn"]["jia"]
    rows = [
        [ONLINE, "2023-10-20", jia.id_number, "驻站甲", "12", ""],
        ["社会救助政策解读", "2023-03-02", jia.id_number, "驻站甲", "8", ""],
        [ONLINE, "2023-10-20", jia.id_number, "驻站甲", "12.5", ""],
    ]
    _c, job = _post(client, personas, rows)
    assert [(e["row"], e["column"]) for e in job.result["errors"]] == [(4, "参训学时")]

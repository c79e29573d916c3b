"""The pay-line workbook: template, check and preview, all-or-nothing import through the one job page."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from procurement.models import PayLine
from tests.permkit import client_for

pytestmark = pytest.mark.django_db
HEADERS = ["合同编号", "身份证号码", "姓名", "月份", "月工资（元）", "备注"]


def _upload(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = "工资表"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("pay.xlsx", buf.getvalue())


def _rows(prc, amounts):
    month = prc["today"].replace(day=1).strftime("%Y-%m")
    return [
        ["450222-P-001-C001", prc["workers"][key].id_number, prc["workers"][key].name, month, str(amount), ""]
        for key, amount in amounts
    ]


def test_the_template_has_the_headers(client, personas, prc):
    response = client_for(client, personas, "officer_a").get(reverse("procurement:payline_template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers[:2] == ["合同编号*", "身份证号码*"]


def test_one_bad_row_refuses_the_whole_file_naming_row_and_rule(client, personas, prc):
    from network.models import Job

    c = client_for(client, personas, "officer_a")
    rows = _rows(prc, [("w0", 3200), ("w1", 4000)])
    rows.append(["450222-P-001-C001", prc["workers"]["w2"].id_number, prc["workers"]["w2"].name, "2031-01", "5000", ""])
    response = c.post(reverse("procurement:payline_import"), {"file": _upload(rows)})
    assert response.status_code == 302
    job = Job.objects.latest("created_at")
    # Row 4: a month outside the contract's term and with no minimum wage recorded — both said, on that row.
    assert job.result["error_count"] == 2
    assert {e["row"] for e in job.result["errors"]} == {4}
    assert all(e["message"].startswith("PRC-3") and e["column"] == "月份" for e in job.result["errors"])
    assert not PayLine.objects.exists()


def test_a_correct_file_imports_every_row_and_a_low_line_is_a_finding(client, personas, prc):
    from network.models import Job
    from procurement.selectors import contract_review

    c = client_for(client, personas, "provider")
    rows = _rows(prc, [("w0", 3200), ("w1", 3999), ("w2", 4600)])
    c.post(reverse("procurement:payline_import"), {"file": _upload(rows)})
    job = Job.objects.latest("created_at")
    assert job.result["error_count"] == 0 and job.result["created"] == 3
    c.post(reverse("network:job_confirm", args=[job.pk]))
    assert PayLine.objects.count() == 3
    findings = [f for f in contract_review(prc["contract"]).findings if f.kind == "pay"]
    assert len(findings) == 1 and "3,999.00" in findings[0].message
    assert PayLine.objects.get(worker=prc["workers"]["w1"]).amount == Decimal(3999)

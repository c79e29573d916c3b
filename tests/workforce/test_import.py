"""The roster import: every kind of bad input is reported with sheet, row, column and reason, and nothing is
written; a valid roster creates, updates (one person, one record) and is idempotent."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from workforce import roster
from workforce.identifiers import make_credit_code, make_id_number
from workforce.models import Assignment, Organisation, Qualification, Worker

pytestmark = pytest.mark.usefixtures("wf")
D = datetime.date


def workbook(workers=(), qualifications=(), assignments=()):
    wb = Workbook()
    wb.active.title = "填写说明"
    for name, headers, rows in (
        ("社工", roster.WORKER_HEADERS, workers),
        ("资格证书", roster.QUALIFICATION_HEADERS, qualifications),
        ("驻站", roster.ASSIGNMENT_HEADERS, assignments),
    ):
        ws = wb.create_sheet(name)
        ws.append(headers)
        for row in rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


NEW_ID = make_id_number("450222", D(1995, 3, 8), 7, True)
NEW_ID2 = make_id_number("450222", D(1996, 4, 9), 8, False)


def good_rows(n):
    org = n["org_a"].credit_code
    workers = [
        ["陈新", NEW_ID, "男", "1995-03-08", "13807721111", "本科", "450222101000 柳城县1镇", org],
        ["刘芳", NEW_ID2, "", "", "", "", "450222102000", ""],
    ]
    quals = [[NEW_ID, "助理社会工作师", "NEW-001", "2022-06-25", "2022-09-01", ""]]
    assigns = [
        [NEW_ID, "450222101000 柳城县1镇", "驻站社工", org, "2023-01-01", ""],
        [NEW_ID2, "450222102000", "", org, "2023-02-01", ""],
    ]
    return workers, quals, assigns


def counts():
    return Worker.objects.count(), Qualification.objects.count(), Assignment.objects.count()


@pytest.mark.django_db
def test_valid_roster_creates_then_is_idempotent(network, personas):
    user = personas["officer_a"]
    before = counts()
    result = roster.roster_import(user=user, upload=workbook(*good_rows(network)))
    assert result.ok, [e.as_text() for e in result.errors]
    assert result.sheets["社工"]["created"] == 2 and result.sheets["资格证书"]["created"] == 1
    assert counts() == (before[0] + 2, before[1] + 1, before[2] + 2)
    w = Worker.objects.get(id_number=NEW_ID)
    assert w.gender == "male" and w.birth_date == D(1995, 3, 8) and w.history.first().history_user == user
    again = roster.roster_import(user=user, upload=workbook(*good_rows(network)))
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == 5
    assert counts() == (before[0] + 2, before[1] + 1, before[2] + 2)


@pytest.mark.django_db
def test_known_id_number_updates_the_person(network, personas):
    zhang = network["zhang"]
    rows = [["张晓明", zhang.id_number, "男", "", "13907729999", "硕士研究生及以上", "450222101000", ""]]
    result = roster.roster_import(user=personas["officer_a"], upload=workbook(rows))
    assert result.ok and result.updated == 1
    zhang.refresh_from_db()
    assert zhang.phone == "13907729999" and Worker.objects.filter(id_number=zhang.id_number).count() == 1


def _one_error(result, sheet, column, needle):
    texts = [e.as_text() for e in result.errors]
    assert any(e.sheet == sheet and e.column == column and needle in e.message for e in result.errors), texts


BAD_CASES = {
    "id check character": (
        lambda n, w, q, a: w[0].__setitem__(1, NEW_ID[:17] + ("1" if NEW_ID[17] != "1" else "2")),
        "社工",
        "身份证号",
        "GB 11643",
    ),
    "qualification before 18": (lambda n, w, q, a: q[0].__setitem__(3, "2012-01-01"), "资格证书", "取得日期", "18"),
    "qualification in the future": (
        lambda n, w, q, a: q[0].__setitem__(3, (timezone.localdate() + datetime.timedelta(days=5)).isoformat()),
        "资格证书",
        "取得日期",
        "",
    ),
    "duplicate certificate number": (lambda n, w, q, a: q[0].__setitem__(2, "ZS2019001"), "资格证书", "证书编号", ""),
    "duplicate certificate in file": (
        lambda n, w, q, a: q.append([NEW_ID2, "社会工作师", "NEW-001", "2022-01-01", "", ""]),
        "资格证书",
        "证书编号",
        "",
    ),
    "overlap at a second station": (
        lambda n, w, q, a: a.append([NEW_ID, "450222102000", "驻站社工", n["org_a"].credit_code, "2023-06-01", ""]),
        "驻站",
        "开始日期",
        "PRC-2",
    ),
    "overlap with a recorded assignment": (
        lambda n, w, q, a: a.append([n["zhang"].id_number, "450222102000", "", "", "2024-01-01", ""]),
        "驻站",
        "开始日期",
        "PRC-2",
    ),
    "organisation outside the county": (
        lambda n, w, q, a: w[0].__setitem__(7, n["org_b"].credit_code),
        "社工",
        "工作单位统一社会信用代码",
        "",
    ),
    "credit code check character": (
        lambda n, w, q, a: a[0].__setitem__(
            3, n["org_a"].credit_code[:17] + ("1" if n["org_a"].credit_code[17] != "1" else "2")
        ),
        "驻站",
        "承接机构统一社会信用代码",
        "GB 32100",
    ),
    "place outside scope": (lambda n, w, q, a: w[1].__setitem__(6, "450223101000"), "社工", "所在地区代码", ""),
    "person of another county": (
        lambda n, w, q, a: w.append(["王建国", n["wang"].id_number, "", "", "", "", "450222101000", ""]),
        "社工",
        "身份证号",
        "",
    ),
    "gender contradicts the ID": (lambda n, w, q, a: w[0].__setitem__(2, "女"), "社工", "性别", "GB 11643"),
    "bad date": (lambda n, w, q, a: a[0].__setitem__(4, "明年"), "驻站", "开始日期", "2024-03-01"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_CASES), ids=str)
def test_bad_input_is_reported_and_nothing_is_written(network, personas, case):
    mutate, sheet, column, needle = BAD_CASES[case]
    w, q, a = good_rows(network)
    mutate(network, w, q, a)
    before = counts()
    result = roster.roster_import(user=personas["officer_a"], upload=workbook(w, q, a))
    assert not result.ok
    _one_error(result, sheet, column, needle)
    assert counts() == before
    assert not Worker.objects.filter(id_number=NEW_ID2).exists()


@pytest.mark.django_db
def test_messages_are_chinese_and_name_the_row(network, personas):
    from django.utils import translation

    w, q, a = good_rows(network)
    q[0][3] = "2012-01-01"
    with translation.override("zh-hans"):
        result = roster.roster_import(user=personas["officer_a"], upload=workbook(w, q, a))
        text = result.errors[0].as_text()
    assert "“资格证书”表第 2 行" in text and "“取得日期”列" in text
    assert "18" in text and "年满" in text


@pytest.mark.django_db
def test_read_only_role_cannot_import(network, personas):
    result = roster.roster_import(user=personas["city_viewer"], upload=workbook(*good_rows(network)))
    assert not result.ok and not Worker.objects.filter(id_number=NEW_ID).exists()


def _run_queued(job):
    """What the Celery worker does with the queued job (the tests do not run a worker)."""
    from network.tasks import import_job

    import_job(str(job.pk))
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_import_page_checks_in_a_job_then_confirm_imports(client, network, personas, settings):
    """A roster larger than IMPORT_INLINE_BYTES is checked, then imported, on the worker; the one job page
    shows the progress, then what would change with a confirm button, then the counts."""
    from network.choices import JobStatus
    from network.models import Job

    settings.IMPORT_INLINE_BYTES = 0
    client.force_login(personas["officer_a"])
    response = client.post(reverse("workforce:roster_import"), {"file": workbook(*good_rows(network))})
    job = Job.objects.get(kind="workforce.roster")
    assert response.status_code == 302 and response["Location"] == reverse("network:job_detail", args=[job.pk])
    assert job.created_by == personas["officer_a"] and job.params["step"] == "preview" and job.upload
    confirm = reverse("network:job_confirm", args=[job.pk])
    # Queued: the page shows progress and no outcome yet; nothing can be confirmed.
    html = client.get(response["Location"]).content.decode()
    assert 'id="job"' in html and "confirm-import" not in html
    assert client.post(confirm).status_code == 302 and not Worker.objects.filter(id_number=NEW_ID).exists()
    # Checked: the changes and a confirm button; nothing is written yet.
    job = _run_queued(job)
    assert job.status == JobStatus.DONE and not job.result["errors"] and not job.result["committed"]
    assert {s["title"]: s for s in job.result["sheets"]}["社工"]["created"] == 2
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-preview"' in html and 'data-testid="confirm-import"' in html
    assert not Worker.objects.filter(id_number=NEW_ID).exists()
    # Confirmed: the same job is queued again to import; then the counts and a link to the roster.
    assert client.post(confirm).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.params["step"] == "commit"
    job = _run_queued(job)
    assert job.status == JobStatus.DONE and job.result["committed"] and job.result["created"] == 5
    assert Worker.objects.filter(id_number=NEW_ID).exists()
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-done"' in html and reverse("workforce:worker_list") in html
    # Confirming again queues nothing; running the task again changes nothing.
    assert client.post(confirm).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    before = counts()
    _run_queued(job)
    assert counts() == before


@pytest.mark.django_db
def test_import_job_lists_every_error_and_writes_nothing(client, network, personas):
    """A small roster is checked in the request: the job page lists every error at once."""
    from network.choices import JobStatus
    from network.models import Job

    workers, quals, assigns = good_rows(network)
    workers[0][1] = "450222199503080000"  # a wrong check character
    quals[0][3] = "not a date"
    before = counts()
    client.force_login(personas["officer_a"])
    client.post(reverse("workforce:roster_import"), {"file": workbook(workers, quals, assigns)})
    job = Job.objects.get(kind="workforce.roster")
    assert job.status == JobStatus.FAILED and len(job.result["errors"]) >= 2
    assert {"sheet", "row", "column", "value", "message"} <= set(job.result["errors"][0])
    assert {e["sheet"] for e in job.result["errors"]} >= {"社工", "资格证书"}
    html = client.get(reverse("network:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-errors"' in html and "confirm-import" not in html
    # No confirming a roster with errors.
    client.post(reverse("network:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.params["step"] == "preview" and counts() == before


@pytest.mark.django_db
def test_only_the_owner_sees_and_confirms_the_job(client, network, personas):
    from network.models import Job

    client.force_login(personas["officer_a"])
    client.post(reverse("workforce:roster_import"), {"file": workbook(*good_rows(network))})
    job = Job.objects.get(kind="workforce.roster")
    url, confirm = reverse("network:job_detail", args=[job.pk]), reverse("network:job_confirm", args=[job.pk])
    for other in ("city_admin", "officer_b", "station_worker", "city_viewer"):
        client.force_login(personas[other])
        assert client.get(url).status_code == 404 and client.post(confirm).status_code == 404
    root = personas["city_admin"]
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    client.force_login(root)  # a superuser may look, but only the uploader imports
    assert client.get(url).status_code == 200
    assert 'data-testid="confirm-import"' not in client.get(url).content.decode()
    assert client.post(confirm).status_code == 403
    assert not Worker.objects.filter(id_number=NEW_ID).exists()


@pytest.mark.django_db
def test_import_page_rejects_non_xlsx_and_oversize(client, network, personas, settings):
    client.force_login(personas["officer_a"])
    url = reverse("workforce:roster_import")
    response = client.post(url, {"file": SimpleUploadedFile("roster.xlsx", b"not a zip")})
    assert response.status_code == 200 and response.context["form"].errors
    from network.models import Job

    assert not Job.objects.filter(kind="workforce.roster").exists()
    settings.IMPORT_MAX_BYTES = 10
    response = client.post(url, {"file": workbook(*good_rows(network))})
    assert response.context["form"].errors


@pytest.mark.django_db
def test_export_round_trip(client, network, personas):
    """What a county exports imports back unchanged."""
    client.force_login(personas["officer_a"])
    response = client.get(reverse("workforce:roster_export"), {"reason": "round trip"})
    upload = SimpleUploadedFile("roster.xlsx", b"".join(response.streaming_content))
    result = roster.roster_import(user=personas["officer_a"], upload=upload)
    assert result.ok, [e.as_text() for e in result.errors]
    assert result.created == 0 and result.updated == 0 and result.unchanged >= 4


@pytest.mark.django_db
def test_credit_code_helpers_are_valid():
    from liuzhou_social.validators import validate_credit_code, validate_id_number

    validate_credit_code(make_credit_code("450222", 99))
    validate_id_number(make_id_number("450222", D(1980, 2, 29), 3, False))
    assert Organisation.objects.count() == 2

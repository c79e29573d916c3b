"""Excel round-trip: each bad input of the issue is reported by sheet, row, column and value, and nothing is
written; a clean file imports all rows in one go; templates carry Chinese headers and drop-downs."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from network.models import Job
from stations.excel import RecipientImport, RoomImport, StationImport
from stations.models import Recipient, Room, Station, StationStatusChange
from tests.factories import valid_id_number

from .conftest import TODAY, recipient_headers, recipient_sheet, workbook_upload


def row(n, village, **over):
    values = {"name": f"新对象{n}", "id": valid_id_number(500 + n, birth="19700505"), "gender": "女",
              "phone": "13912345678", "village": f"{village.code} {village.name}", "groups": "低保对象、残疾人",
              "date": "2023-04-01", "notes": "独居"}
    values.update(over)
    return [values["name"], values["id"], values["gender"], values["phone"], values["village"], values["groups"],
            values["date"], values["notes"]]


def upload(client, rows, headers=None, name="recipients.xlsx", sheet=None):
    f = workbook_upload(headers or recipient_headers(), rows, name=name, sheet=sheet or recipient_sheet())
    return client.post(reverse("stations:import_upload", args=["recipients"]), {"file": f})


def errors_of(response):
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    return job, job.result["errors"]


@pytest.fixture
def officer(client, personas):
    client.force_login(personas["officer_a"])
    return client


@pytest.mark.django_db
def test_clean_workbook_previews_then_imports_all_rows(officer, network):
    v = network["village_a11"]
    before = Recipient.objects.count()
    response = upload(officer, [row(1, v), row(2, network["village_a21"])])
    assert response.status_code == 302
    job, errors = errors_of(response)
    assert errors == [] and job.result["total"] == 2
    assert Recipient.objects.count() == before  # preview writes nothing
    page = officer.get(response["Location"]).content.decode()
    assert "新对象1" in page and 'data-testid="confirm-import"' in page
    done = officer.post(response["Location"])
    assert done.status_code == 302 and done["Location"] == reverse("stations:recipient_list")
    assert Recipient.objects.count() == before + 2
    person = Recipient.objects.get(name="新对象1")
    assert person.target_groups == ["dibao", "disability"] and person.gender == "female"
    assert person.village == v and person.registered_on == datetime.date(2023, 4, 1)
    assert person.history.count() == 1  # every change attributable (EVAL-1)
    # Confirming twice does not import twice.
    officer.post(response["Location"])
    assert Recipient.objects.count() == before + 2


BAD_ROWS = [
    ("malformed id", {"id": "45022219700505123"}, "身份证号码"),
    ("wrong checksum", {"id": valid_id_number(7)[:-1] + ("0" if valid_id_number(7)[-1] != "0" else "1")}, "身份证号码"),
    ("future date", {"date": (TODAY + datetime.timedelta(days=3)).isoformat()}, "登记日期"),
    ("before establishment", {"date": "2019-12-31"}, "登记日期"),
    ("not a date", {"date": "去年"}, "登记日期"),
    ("blank required", {"name": ""}, "姓名"),
    ("unknown group", {"groups": "富裕户"}, "服务对象类别"),
    ("bad phone", {"phone": "12345"}, "联系电话"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("label,override,column", BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_each_bad_row_is_reported_and_nothing_written(officer, network, label, override, column):
    before = Recipient.objects.count()
    good = row(1, network["village_a11"])
    bad = row(2, network["village_a11"], **override)
    job, errors = errors_of(upload(officer, [good, bad]))
    assert len(errors) >= 1, label
    e = errors[0]
    assert e["row"] == 3 and e["sheet"] == recipient_sheet() and e["column"] == column, e
    assert e["message"]
    # Confirming a file with errors writes nothing.
    response = officer.post(reverse("stations:import_preview", args=[job.pk]))
    assert response.status_code == 200 and 'data-testid="import-errors"' in response.content.decode()
    assert Recipient.objects.count() == before


@pytest.mark.django_db
def test_recipient_in_village_outside_the_workers_station(client, personas, network):
    client.force_login(personas["station_worker"])  # township A1 only
    before = Recipient.objects.count()
    job, errors = errors_of(upload(client, [row(1, network["village_a11"]), row(2, network["village_a21"])]))
    assert [(e["row"], e["column"]) for e in errors] == [(3, "村（社区）")]
    assert "外" in errors[0]["message"] or "outside" in errors[0]["message"]
    assert Recipient.objects.count() == before


@pytest.mark.django_db
def test_duplicate_rows_and_already_registered_elsewhere(officer, network):
    r1 = row(1, network["village_a11"])
    dup = row(1, network["village_a12"])
    elsewhere = row(3, network["village_a11"], id=network["recipient_b11"].id_number)
    before = Recipient.objects.count()
    job, errors = errors_of(upload(officer, [r1, dup, elsewhere]))
    assert {(e["row"], e["column"]) for e in errors} == {(3, "身份证号码"), (4, "身份证号码")}
    assert "2" in [e for e in errors if e["row"] == 3][0]["message"]  # names the first row
    assert Recipient.objects.count() == before


@pytest.mark.django_db
def test_existing_recipient_in_scope_is_updated(officer, network):
    mine = network["recipient_a11"]
    job, errors = errors_of(upload(officer, [row(1, network["village_a12"], id=mine.id_number, name="改名")]))
    assert errors == []
    officer.post(reverse("stations:import_preview", args=[job.pk]))
    mine.refresh_from_db()
    assert mine.name == "改名" and mine.village == network["village_a12"]


@pytest.mark.django_db
@pytest.mark.parametrize("name,content,needle", [
    ("people.csv", b"a,b\n1,2\n", ".xlsx"),
    ("people.xlsx", b"this is not a zip file", "xlsx"),
    ("people.xlsx", b"PK\x03\x04broken zip", "xlsx"),
])
def test_wrong_type_or_corrupt_upload(officer, network, name, content, needle):
    response = officer.post(reverse("stations:import_upload", args=["recipients"]),
                            {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert needle in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_too_large_upload(officer, network, settings):
    settings.IMPORT_MAX_BYTES = 1000
    f = workbook_upload(recipient_headers(), [row(i, network["village_a11"]) for i in range(60)])
    response = officer.post(reverse("stations:import_upload", args=["recipients"]), {"file": f})
    assert response.status_code == 200 and "MB" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_wrong_or_missing_headers(officer, network):
    headers = recipient_headers()
    response = upload(officer, [row(1, network["village_a11"])], headers=["名字"] + headers[1:])
    assert response.status_code == 200
    html = response.content.decode()
    assert "姓名" in html and "名字" in html
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_headers_only(officer, network):
    response = upload(officer, [])
    assert response.status_code == 200 and not Job.objects.exists()


@pytest.mark.django_db
def test_preview_belongs_to_its_uploader(client, personas, network):
    client.force_login(personas["officer_a"])
    job, _ = errors_of(upload(client, [row(1, network["village_a11"])]))
    client.force_login(personas["city_admin"])
    assert client.get(reverse("stations:import_preview", args=[job.pk])).status_code == 404
    assert client.post(reverse("stations:import_preview", args=[job.pk])).status_code == 404
    assert not Recipient.objects.filter(name="新对象1").exists()


@pytest.mark.django_db
def test_read_only_role_cannot_upload(client, personas, network):
    client.force_login(personas["city_viewer"])
    assert upload(client, [row(1, network["village_a11"])]).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("kind,spec", [("recipients", RecipientImport), ("stations", StationImport),
                                       ("rooms", RoomImport)])
def test_template_has_chinese_headers_dropdowns_and_instructions(officer, personas, kind, spec):
    response = officer.get(reverse("stations:import_template", args=[kind]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data = wb.worksheets[0]
    headers = [c.value for c in data[1]]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers), headers
    assert data.data_validations.dataValidation, "drop-down validations expected"
    assert "填写说明" in wb.sheetnames and wb["填写说明"].max_row > len(spec.columns)
    assert wb["选项"].sheet_state == "hidden"


@pytest.mark.django_db
def test_recipient_template_offers_only_villages_in_scope(client, personas, network):
    client.force_login(personas["station_worker"])
    response = client.get(reverse("stations:import_template", args=["recipients"]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    options = " ".join(str(c.value) for col in wb["选项"].iter_cols() for c in col if c.value)
    assert network["village_a11"].code in options and network["village_a21"].code not in options


@pytest.mark.django_db
def test_station_import_creates_with_dated_status_and_rejects_bad_rows(officer, network):
    from network.models import Place

    from tests.conftest import _place

    township = _place("450222103000", "新设镇", "township", "town", network["county_a"])
    spec = StationImport(None)
    headers = [c.header() for c in spec.columns]
    good = [f"{township.code} {township.name}", "运营", "2022-03-01", "是", "是", "是", "是", "是", "是", "否", "否",
            "妇女之家", "院内", "0772-1234567", ""]
    f = workbook_upload(headers, [good], name="stations.xlsx", sheet=spec.sheet_name())
    assert officer.post(reverse("stations:import_upload", args=["stations"]), {"file": f}).status_code == 302
    job = Job.objects.get()
    assert job.result["errors"] == [], job.result["errors"]
    officer.post(reverse("stations:import_preview", args=[job.pk]))
    station = Station.objects.get(place=township)
    assert station.status == "operating" and station.shared_venues == ["womens_home"]
    assert list(StationStatusChange.objects.filter(station=station).values_list("effective_on", flat=True)) == [
        datetime.date(2022, 3, 1)]
    assert station.sign_text == "柳城县新设镇社会工作服务站"
    # A township of county B and a future date: both rejected, nothing written.
    other = network["township_b1"]
    bad = [f"{other.code} x", "运营", (TODAY + datetime.timedelta(days=1)).isoformat()] + good[3:]
    count = Station.objects.count()
    f = workbook_upload(headers, [bad], name="stations.xlsx", sheet=spec.sheet_name())
    officer.post(reverse("stations:import_upload", args=["stations"]), {"file": f})
    errors = Job.objects.latest("created_at").result["errors"]
    assert {e["column"] for e in errors} == {headers[0], headers[2]}
    assert Station.objects.count() == count
    assert Place.objects.filter(code=township.code).exists()


@pytest.mark.django_db
def test_station_import_adds_a_new_status_to_an_existing_stations_history(officer, network):
    """A different status for an existing station is appended on the row's date, following NET-3; a step the
    life cycle forbids, or one dated before the latest entry, is a row error and nothing is written."""
    station = network["station_a1"]  # operating since its history's latest entry
    last = station.status_changes.order_by("-effective_on", "-id").first()
    spec = StationImport(None)
    headers = [c.header() for c in spec.columns]

    def row(status, on):
        return [f"{station.place.code} {station.place.name}", status, on.isoformat(), "是", "是", "是", "是", "是",
                "是", "否", "否", "", "院内", "", ""]

    def upload(*rows):
        f = workbook_upload(headers, list(rows), name="stations.xlsx", sheet=spec.sheet_name())
        officer.post(reverse("stations:import_upload", args=["stations"]), {"file": f})
        return Job.objects.latest("created_at")

    before = station.status_changes.count()
    job = upload(row("筹建", TODAY))  # operating → planned: not a NET-3 step
    assert [(e["column"], "NET-3" in e["message"]) for e in job.result["errors"]] == [(headers[1], True)]
    job = upload(row("暂停", last.effective_on - datetime.timedelta(days=1)))  # before the latest entry
    assert [e["column"] for e in job.result["errors"]] == [headers[2]]
    assert station.status_changes.count() == before
    job = upload(row("暂停", TODAY))
    assert job.result["errors"] == [], job.result["errors"]
    officer.post(reverse("stations:import_preview", args=[job.pk]))
    station.refresh_from_db()
    assert station.status == "suspended" and station.status_changes.count() == before + 1
    latest = station.status_changes.order_by("-effective_on", "-id").first()
    assert (latest.status, latest.effective_on) == ("suspended", TODAY)


@pytest.mark.django_db
def test_room_import(officer, network):
    spec = RoomImport(None)
    headers = [c.header() for c in spec.columns]
    v = network["village_a12"]
    f = workbook_upload(headers, [[f"{v.code} {v.name}", "在用", "2022-01-01", "是", "村两委兼任"],
                                  [f"{v.code} {v.name}", "在用", "2022-01-01", "是", "重复"]],
                        name="rooms.xlsx", sheet=spec.sheet_name())
    officer.post(reverse("stations:import_upload", args=["rooms"]), {"file": f})
    job = Job.objects.get()
    assert [e["row"] for e in job.result["errors"]] == [3]
    assert not Room.objects.exists()


@pytest.mark.django_db
def test_export_neutralises_formulas_and_masks_for_other_roles(client, personas, network):
    r = network["recipient_a11"]
    r.name = "=HYPERLINK(\"http://x\")"
    r.save()
    client.force_login(personas["provider"])  # not a personal-data role
    response = client.get(reverse("stations:recipient_list") + "?export=xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells
    assert r.id_number not in cells and "13800138000" not in cells
    assert any(isinstance(c, str) and c.startswith(r.id_number[:6]) and "*" in c for c in cells)
    client.force_login(personas["officer_a"])
    response = client.get(reverse("stations:recipient_list") + "?export=xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert r.id_number in [c for row in wb.active.iter_rows(values_only=True) for c in row]


@pytest.mark.django_db
def test_large_import_runs_as_a_job_with_progress(officer, network, monkeypatch, django_capture_on_commit_callbacks):
    from network.choices import JobStatus
    from stations import services
    from stations.tasks import import_workbook

    monkeypatch.setattr(services, "BACKGROUND_IMPORT_ROWS", 1)
    # Run the queued task in this process (the suite has no worker): .apply executes it locally.
    monkeypatch.setattr(import_workbook, "delay", lambda job_id: import_workbook.apply(args=[job_id]))
    job, errors = errors_of(upload(officer, [row(1, network["village_a11"]), row(2, network["village_a12"])]))
    assert errors == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = officer.post(reverse("stations:import_preview", args=[job.pk]))
    assert response.status_code == 200 and 'data-testid="import-running"' in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not Recipient.objects.filter(name="新对象1").exists()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["created"] == 2 and job.progress == 100
    assert Recipient.objects.filter(name__in=["新对象1", "新对象2"]).count() == 2
    page = officer.get(reverse("stations:import_preview", args=[job.pk])).content.decode()
    assert 'data-testid="import-done"' in page
    services.import_job_run(job_id=job.pk)  # idempotent: running it again imports nothing more
    assert Recipient.objects.filter(name__in=["新对象1", "新对象2"]).count() == 2


@pytest.mark.django_db
def test_rows_changed_between_preview_and_confirm_are_reported(officer, network):
    job, errors = errors_of(upload(officer, [row(1, network["village_a11"])]))
    assert errors == []
    Recipient.objects.create(name="抢先", id_number=valid_id_number(501, birth="19700505"),
                             village=network["village_b11"], target_groups=["orphan"],
                             registered_on=datetime.date(2022, 1, 1))
    response = officer.post(reverse("stations:import_preview", args=[job.pk]))
    assert response.status_code == 200 and 'data-testid="import-errors"' in response.content.decode()
    assert not Recipient.objects.filter(name="新对象1").exists()

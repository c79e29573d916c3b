"""Excel round-trip: each bad input of the issue is reported by sheet, row, column and value, and nothing is
written; a clean file imports all rows in one go; templates carry Chinese headers and drop-downs."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from network.models import Job
from stations.imports import RecipientImport, RoomImport, StationImport
from stations.models import Recipient, Room, Station, StationStatusChange
from stations.services import recipient_village_check
from tests.factories import valid_id_number

from .conftest import TODAY, recipient_headers, recipient_sheet, workbook_upload


def row(n, village, **over):
    values = {
        "name": f"新对象{n}",
        "id": valid_id_number(500 + n, birth="19700505"),
        "gender": "女",
        "phone": "13912345678",
        "village": f"{village.code} {village.name}",
        "groups": "低保对象、残疾人",
        "date": "2023-04-01",
        "notes": "独居",
    }
    values.update(over)
    return [
        values["name"],
        values["id"],
        values["gender"],
        values["phone"],
        values["village"],
        values["groups"],
        values["date"],
        values["notes"],
    ]


def upload(client, rows, headers=None, name="recipients.xlsx", sheet=None):
    f = workbook_upload(headers or recipient_headers(), rows, name=name, sheet=sheet or recipient_sheet())
    return client.post(reverse("stations:import_upload", args=["recipients"]), {"file": f})


def errors_of(response):
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    return job, job.result["errors"]


def confirm(client, job):
    return client.post(reverse("network:job_confirm", args=[job.pk]))


@pytest.fixture
def officer(client, personas):
    personas.all()  # the records below assume every account (the provider's contract)
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
    assert response["Location"] == reverse("network:job_detail", args=[job.pk])  # the one job page
    page = officer.get(response["Location"]).content.decode()
    assert "新对象1" in page and 'data-testid="confirm-import"' in page
    done = confirm(officer, job)
    assert done.status_code == 302 and done["Location"] == reverse("network:job_detail", args=[job.pk])
    assert Recipient.objects.count() == before + 2
    page = officer.get(done["Location"]).content.decode()
    assert 'data-testid="import-done"' in page and reverse("stations:recipient_list") in page
    person = Recipient.objects.get(name="新对象1")
    assert person.target_groups == ["dibao", "disability"] and person.gender == "female"
    assert person.village == v and person.registered_on == datetime.date(2023, 4, 1)
    assert person.history.count() == 1  # every change attributable (EVAL-1)
    # Confirming twice does not import twice.
    confirm(officer, job)
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
    assert confirm(officer, job).status_code == 302
    page = officer.get(reverse("network:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-errors"' in page and 'data-testid="confirm-import"' not in page
    assert Recipient.objects.count() == before


def form_errors(client, network, **over):
    """What the recipient form says about a recipient with these values."""
    data = {
        "name": "表单对象",
        "gender": "female",
        "id_number": valid_id_number(900, birth="19700505"),
        "phone": "13912345678",
        "village": network["village_a11"].pk,
        "target_groups": ["dibao"],
        "registered_on": "2023-04-01",
        "household_notes": "",
    }
    data.update(over)
    response = client.post(reverse("stations:recipient_create"), data)
    assert response.status_code == 200, "the form should refuse these values"
    return response.context["form"].errors


WRONG_CHECK = valid_id_number(8)[:-1] + ("0" if valid_id_number(8)[-1] != "0" else "1")
FUTURE = (TODAY + datetime.timedelta(days=3)).isoformat()
SAME_AS_FORM = [
    # (case, cells of the import row, field of the form, its value there)
    ("target groups only a separator", {"groups": "、"}, "target_groups", []),
    ("target groups only separators", {"groups": " 、，"}, "target_groups", []),
    ("ID check character", {"id": WRONG_CHECK}, "id_number", WRONG_CHECK),
    ("ID too short", {"id": "45022219700505123"}, "id_number", "45022219700505123"),
    ("phone", {"phone": "12345"}, "phone", "12345"),
    ("registered in the future", {"date": FUTURE}, "registered_on", FUTURE),
    ("registered before the station", {"date": "2019-12-31"}, "registered_on", "2019-12-31"),
    ("name too long", {"name": "长" * 51}, "name", "长" * 51),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case,cells,field,value", SAME_AS_FORM, ids=[c[0] for c in SAME_AS_FORM])
def test_a_row_the_form_refuses_fails_the_import_with_the_forms_message(officer, network, case, cells, field, value):
    """SRV-1 and the other columns: the import calls the form's validators, so a value the form refuses is
    refused with the same Chinese message (a cell holding only 、 used to import a recipient with no group)."""
    before = Recipient.objects.count()
    expected = form_errors(officer, network, **{field: value})[field]
    job, errors = errors_of(upload(officer, [row(1, network["village_a11"]), row(2, network["village_a11"], **cells)]))
    assert [(e["row"], e["message"]) for e in errors] == [(3, expected[0])], (errors, expected)
    assert Recipient.objects.count() == before
    confirm(officer, job)
    assert Recipient.objects.count() == before
    if field == "target_groups":
        assert "SRV-1" in expected[0] and errors[0]["column"] == "服务对象类别"


@pytest.mark.django_db
def test_recipient_in_village_outside_the_workers_station(client, personas, network):
    client.force_login(personas["station_worker"])  # township A1 only
    before = Recipient.objects.count()
    _job, errors = errors_of(upload(client, [row(1, network["village_a11"]), row(2, network["village_a21"])]))
    assert [(e["row"], e["column"]) for e in errors] == [(3, "村（社区）")]
    # The recipient form's own rule and message (stations.services.recipient_village_check).
    with pytest.raises(ValidationError) as refused:
        recipient_village_check(village=network["village_a21"], changeable=False)
    assert errors[0]["message"] == refused.value.messages[0] and "辖区" in errors[0]["message"]
    assert Recipient.objects.count() == before


@pytest.mark.django_db
def test_duplicate_rows_and_already_registered_elsewhere(officer, network):
    r1 = row(1, network["village_a11"])
    dup = row(1, network["village_a12"])
    elsewhere = row(3, network["village_a11"], id=network["recipient_b11"].id_number)
    before = Recipient.objects.count()
    _job, errors = errors_of(upload(officer, [r1, dup, elsewhere]))
    assert {(e["row"], e["column"]) for e in errors} == {(3, "身份证号码"), (4, "身份证号码")}
    assert "2" in next(e for e in errors if e["row"] == 3)["message"]  # names the first row
    assert Recipient.objects.count() == before


@pytest.mark.django_db
def test_existing_recipient_in_scope_is_updated(officer, network):
    mine = network["recipient_a11"]
    job, errors = errors_of(upload(officer, [row(1, network["village_a12"], id=mine.id_number, name="改名")]))
    assert errors == [] and job.result["sheets"][0]["updated"] == 1
    confirm(officer, job)
    mine.refresh_from_db()
    assert mine.name == "改名" and mine.village == network["village_a12"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("people.csv", b"a,b\n1,2\n", ".xlsx"),
        ("people.xlsx", b"this is not a zip file", "xlsx"),
        ("people.xlsx", b"PK\x03\x04broken zip", "xlsx"),
    ],
)
def test_wrong_type_or_corrupt_upload(officer, network, name, content, needle):
    response = officer.post(
        reverse("stations:import_upload", args=["recipients"]), {"file": SimpleUploadedFile(name, content)}
    )
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
    response = upload(officer, [row(1, network["village_a11"])], headers=["名字", *headers[1:]])
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
    assert client.get(reverse("network:job_detail", args=[job.pk])).status_code == 404
    assert confirm(client, job).status_code == 404
    assert not Recipient.objects.filter(name="新对象1").exists()


@pytest.mark.django_db
def test_read_only_role_cannot_upload(client, personas, network):
    client.force_login(personas["city_viewer"])
    assert upload(client, [row(1, network["village_a11"])]).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind,spec", [("recipients", RecipientImport), ("stations", StationImport), ("rooms", RoomImport)]
)
def test_template_has_chinese_headers_dropdowns_and_instructions(officer, personas, kind, spec):
    response = officer.get(reverse("stations:import_template", args=[kind]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data = wb.worksheets[0]
    headers = [c.value for c in data[1]]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers), headers
    assert data.data_validations.dataValidation, "drop-down validations expected"
    assert "填写说明" in wb.sheetnames and wb["填写说明"].max_row > len(spec.sheets[0].columns)
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
    sheet = StationImport.sheets[0]
    headers = [c.title() for c in sheet.columns]
    good = [
        f"{township.code} {township.name}",
        "运营",
        "2022-03-01",
        "是",
        "是",
        "是",
        "是",
        "是",
        "是",
        "否",
        "否",
        "妇女之家",
        "院内",
        "0772-1234567",
        "",
    ]
    f = workbook_upload(headers, [good], name="stations.xlsx", sheet=sheet.name())
    assert officer.post(reverse("stations:import_upload", args=["stations"]), {"file": f}).status_code == 302
    job = Job.objects.get()
    assert job.result["errors"] == [], job.result["errors"]
    confirm(officer, job)
    station = Station.objects.get(place=township)
    assert station.status == "operating" and station.shared_venues == ["womens_home"]
    assert list(StationStatusChange.objects.filter(station=station).values_list("effective_on", flat=True)) == [
        datetime.date(2022, 3, 1)
    ]
    assert station.sign_text == "柳城县新设镇社会工作服务站"
    # A township of county B and a future date: both rejected, nothing written.
    other = network["township_b1"]
    bad = [f"{other.code} x", "运营", (TODAY + datetime.timedelta(days=1)).isoformat(), *good[3:]]
    count = Station.objects.count()
    f = workbook_upload(headers, [bad], name="stations.xlsx", sheet=sheet.name())
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
    sheet = StationImport.sheets[0]
    headers = [c.title() for c in sheet.columns]

    def row(status, on):
        return [
            f"{station.place.code} {station.place.name}",
            status,
            on.isoformat(),
            "是",
            "是",
            "是",
            "是",
            "是",
            "是",
            "否",
            "否",
            "",
            "院内",
            "",
            "",
        ]

    def upload(*rows):
        f = workbook_upload(headers, list(rows), name="stations.xlsx", sheet=sheet.name())
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
    confirm(officer, job)
    station.refresh_from_db()
    assert station.status == "suspended" and station.status_changes.count() == before + 1
    latest = station.status_changes.order_by("-effective_on", "-id").first()
    assert (latest.status, latest.effective_on) == ("suspended", TODAY)


@pytest.mark.django_db
def test_room_import(officer, network):
    sheet = RoomImport.sheets[0]
    headers = [c.title() for c in sheet.columns]
    v = network["village_a12"]
    f = workbook_upload(
        headers,
        [
            [f"{v.code} {v.name}", "在用", "2022-01-01", "是", "村两委兼任"],
            [f"{v.code} {v.name}", "在用", "2022-01-01", "是", "重复"],
        ],
        name="rooms.xlsx",
        sheet=sheet.name(),
    )
    officer.post(reverse("stations:import_upload", args=["rooms"]), {"file": f})
    job = Job.objects.get()
    assert [e["row"] for e in job.result["errors"]] == [3]
    assert not Room.objects.exists()


@pytest.mark.django_db
def test_export_neutralises_formulas_and_masks_for_other_roles(client, personas, network):
    r = network["recipient_a11"]
    r.name = '=HYPERLINK("http://x")'
    r.save()
    client.force_login(personas["provider"])  # not a personal-data role
    response = client.get(reverse("stations:recipient_list") + "?export=xlsx&reason=test")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert r.id_number not in cells and "13800138000" not in cells
    assert any(isinstance(c, str) and c.startswith(r.id_number[:6]) and "*" in c for c in cells)
    client.force_login(personas["officer_a"])
    response = client.get(reverse("stations:recipient_list") + "?export=xlsx&reason=test")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert r.id_number in [c for row in wb.active.iter_rows(values_only=True) for c in row]


@pytest.mark.django_db
def test_large_import_runs_as_a_job_with_progress(
    officer, network, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A file larger than IMPORT_INLINE_BYTES is checked, then imported, by the task; the one job page shows
    the progress meanwhile (polled by job.js), then the preview, then the result."""
    from network.choices import JobStatus
    from network.imports import import_job_run
    from network.tasks import import_job

    settings.IMPORT_INLINE_BYTES = 0
    # Run the queued task in this process (the suite has no worker): .apply executes it locally.
    monkeypatch.setattr(import_job, "apply_async", lambda args, **kwargs: import_job.apply(args=args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(officer, [row(1, network["village_a11"]), row(2, network["village_a12"])])
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == JobStatus.QUEUED and job.result == {}
    page = officer.get(response["Location"]).content.decode()
    assert 'data-testid="import-running"' in page and 'data-finished=""' in page and "js/job.js" in page
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["errors"] == [] and job.result["total"] == 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = confirm(officer, job)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.params["step"] == "commit"
    assert not Recipient.objects.filter(name="新对象1").exists()
    assert 'data-testid="import-running"' in officer.get(response["Location"]).content.decode()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["created"] == 2 and job.progress == 100
    assert Recipient.objects.filter(name__in=["新对象1", "新对象2"]).count() == 2
    page = officer.get(reverse("network:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-done"' in page
    import_job_run(job_id=job.pk)  # idempotent: running it again imports nothing more
    assert Recipient.objects.filter(name__in=["新对象1", "新对象2"]).count() == 2


@pytest.mark.django_db
def test_rows_changed_between_preview_and_confirm_are_reported(officer, network):
    job, errors = errors_of(upload(officer, [row(1, network["village_a11"])]))
    assert errors == []
    Recipient.objects.create(
        name="抢先",
        id_number=valid_id_number(501, birth="19700505"),
        village=network["village_b11"],
        target_groups=["orphan"],
        registered_on=datetime.date(2022, 1, 1),
    )
    response = confirm(officer, job)
    assert response.status_code == 302
    assert 'data-testid="import-errors"' in officer.get(response["Location"]).content.decode()
    assert not Recipient.objects.filter(name="新对象1").exists()

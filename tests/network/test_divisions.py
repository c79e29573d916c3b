"""Division list import (RULES.md Places): idempotent, all or nothing, row-level errors; the queued job path."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from liuzhou_social.tabular import TableFormatError
from network.choices import JobStatus, PlaceLevel
from network.models import Job, Place
from network.services import division_import, functional_zones_ensure

LIUZHOU = Path(__file__).resolve().parents[2] / "network" / "data" / "divisions" / "liuzhou.csv"
HEADER = "code,name,level,kind,parent_code\n"
BASE_ROWS = (
    "450000000000,广西壮族自治区,province,province,\n"
    "450200000000,柳州市,city,city,450000000000\n"
    "450222000000,柳城县,county,county,450200000000\n"
)


def upload(text: str, name="divisions.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


@pytest.mark.django_db
def test_liuzhou_list_imports_and_reimports_idempotently():
    with LIUZHOU.open("rb") as f:
        result = division_import(upload=f)
    assert result.ok and result.created == 1370
    assert Place.objects.filter(level=PlaceLevel.COUNTY).count() == 10
    assert Place.objects.filter(level=PlaceLevel.TOWNSHIP).count() == 118
    assert Place.objects.filter(level=PlaceLevel.VILLAGE).count() == 1240
    assert Place.objects.get(code="450222100000").parent_id == "450222000000"
    with LIUZHOU.open("rb") as f:
        again = division_import(upload=f)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1370)
    assert functional_zones_ensure() == 2 and functional_zones_ensure() == 0


@pytest.mark.django_db
def test_changed_name_is_updated_with_history():
    division_import(upload=upload(HEADER + BASE_ROWS))
    result = division_import(upload=upload(HEADER + BASE_ROWS.replace("柳城县", "柳城县（新）")))
    assert (result.created, result.updated) == (0, 1)
    place = Place.objects.get(code="450222000000")
    assert place.name == "柳城县（新）"
    assert place.history.count() == 2


@pytest.mark.django_db
def test_xlsx_is_accepted():
    wb = Workbook()
    ws = wb.active
    for line in (HEADER + BASE_ROWS).splitlines():
        ws.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    result = division_import(upload=SimpleUploadedFile("d.xlsx", buf.getvalue()))
    assert result.ok and result.created == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_row,column,fragment",
    [
        ("45022210100,短码,township,town,450222000000", "code", "12"),
        ("45022210100X,字母,township,town,450222000000", "code", "12"),
        ("450222101001,层级不符,township,town,450222000000", "code", "level"),
        ("450222101000,某镇,hamlet,town,450222000000", "level", "level"),
        ("450223101000,无上级,township,town,450223000000", "parent_code", "parent"),
        ("450222101000,错上级,township,town,450223000000", "parent_code", "prefix"),
        ("450222101000,,township,town,450222000000", "name", "name"),
        ("450222101000,某镇,township,castle,450222000000", "kind", "kind"),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_written(bad_row, column, fragment):
    from django.utils import translation

    text = HEADER + BASE_ROWS + "450222100000,大埔镇,township,town,450222000000\n" + bad_row + "\n"
    with translation.override("en"):
        result = division_import(upload=upload(text))
    assert not result.ok
    assert Place.objects.count() == 0
    error = result.errors[0]
    assert error.row == 6 and error.column == column
    assert fragment in error.message


@pytest.mark.django_db
def test_duplicate_code_and_missing_columns():
    result = division_import(upload=upload(HEADER + BASE_ROWS + BASE_ROWS.splitlines()[2] + "\n"))
    assert not result.ok and result.errors[0].row == 5 and Place.objects.count() == 0
    with pytest.raises(TableFormatError, match="level"):  # the file itself is refused, before any row
        division_import(upload=upload("code,name\n450000000000,广西\n"))


@pytest.mark.django_db
def test_errors_read_in_chinese_by_default():
    result = division_import(upload=upload(HEADER + "4500,广西,province,province,\n"))
    assert "12" in result.errors[0].message and "位" in result.errors[0].message


@pytest.mark.django_db
def test_upload_page_starts_a_job(client, personas, settings, tmp_path):
    """The upload is checked on the one job page (a small file in the request), then confirmed there."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas["city_admin"])
    before = Place.objects.count()
    new_zone = "450299000000,新设区,county,district,450200000000\n"
    response = client.post(reverse("network:division_import"), {"file": upload(HEADER + BASE_ROWS + new_zone)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "division_import" and job.created_by == personas["city_admin"]
    assert job.status == JobStatus.DONE and job.result["step"] == "preview" and Place.objects.count() == before
    assert job.result["sheets"][0]["total"] == 4 and job.result["sheets"][0]["created"] >= 1
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-import"' in page and "450299000000" in page
    # Jobs belong to whoever started them: others get 404.
    client.force_login(personas["city_viewer"])
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post(reverse("network:job_confirm", args=[job.pk])).status_code == 404
    client.force_login(personas["city_admin"])
    assert client.get(reverse("network:job_status", args=[job.pk])).json()["status"] == JobStatus.DONE
    client.post(reverse("network:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.result["committed"] and Place.objects.count() == before + job.result["created"]
    assert Place.objects.get(code="450299000000").name == "新设区"


@pytest.mark.django_db
def test_a_file_without_the_columns_is_refused_on_the_form(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas["city_admin"])
    response = client.post(reverse("network:division_import"), {"file": upload("code,name\n450000000000,广西\n")})
    assert response.status_code == 200 and "level" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_template_has_the_list_columns(client, personas):
    client.force_login(personas["city_admin"])
    response = client.get(reverse("network:division_template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value.rstrip("*") for c in wb.worksheets[0][1]] == ["code", "name", "level", "kind", "parent_code"]


@pytest.mark.django_db
def test_oversized_upload_is_refused(client, personas, settings):
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(personas["city_admin"])
    response = client.post(reverse("network:division_import"), {"file": upload(HEADER + BASE_ROWS)})
    assert response.status_code == 200 and not Job.objects.exists()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_import_job_runs_on_a_real_worker(client, settings, tmp_path):
    """The queued path end to end: page -> Redis -> Celery worker -> PostgreSQL -> job page, for the check
    and for the confirmed import."""
    from network.services import user_create
    from tests.workerproc import celery_worker, wait_for

    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_INLINE_BYTES = 0  # every file goes to the worker
    admin = user_create(username="root_admin", password="Test-pass-2026!", role="city_admin", places=[])
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    client.post(reverse("network:division_import"), {"file": upload(HEADER + BASE_ROWS)})
    client.post(reverse("network:division_import"), {"file": upload(HEADER + "4502,坏码,city,city,45\n")})
    good, bad = Job.objects.order_by("created_at")
    with celery_worker():
        wait_for(lambda: Job.objects.filter(finished_at__isnull=False).count() == 2, timeout=90)
        good.refresh_from_db()
        assert good.status == JobStatus.DONE and good.result["step"] == "preview" and not Place.objects.exists()
        client.post(reverse("network:job_confirm", args=[good.pk]))
        wait_for(lambda: Job.objects.filter(pk=good.pk, result__committed=True).exists(), timeout=90)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == JobStatus.DONE and good.result["created"] == 3
    assert Place.objects.filter(code="450222000000").exists()
    assert bad.status == JobStatus.FAILED and bad.result["errors"][0]["row"] == 2
    assert "未导入任何数据" in client.get(bad.get_absolute_url()).content.decode()

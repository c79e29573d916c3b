"""No worker killed by a small file: each hostile upload of the issue, through the upload page, with a real worker.

* a 1 MB workbook whose shared-string table unpacks to hundreds of MB: refused by the upload form from the sizes
  its zip declares, before any parsing;
* a workbook of 300,000 rows: refused by the row limit (from its dimension, before a row is read);
* the division list as a csv of 300,000 rows: counted on the worker and refused at the limit;
* a workbook within the size limits whose parse needs more memory than an import may use: fails its job with a
  clear message under the worker's memory limit, and the worker goes on.

The request that uploads returns with the job (the parse is on the worker), other users' pages answer meanwhile,
and afterwards the same worker process imports a good file.
"""

import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from network.choices import JobStatus
from network.models import Job, Place
from tests.permkit import client_for
from tests.workerproc import celery_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
WORKER_ENV = {"IMPORT_MAX_ROWS": "20000", "IMPORT_MEMORY_MB": "40", "IMPORT_INLINE_KB": "0"}


def _workbook_with(path: Path, replace: dict, headers=("姓名",)) -> Path:
    """A workbook made by openpyxl whose parts named in ``replace`` are written by the given generators."""
    base = path.with_suffix(".base.xlsx")
    wb = Workbook()
    wb.active.append(list(headers))
    wb.save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        names = [i.filename for i in src.infolist()]
        for name in names:
            if name not in replace:
                data = src.read(name)
                if name == "xl/_rels/workbook.xml.rels" and "xl/sharedStrings.xml" in replace:
                    data = data.replace(b"</Relationships>", SHARED_STRINGS_REL + b"</Relationships>")
                if name == "[Content_Types].xml" and "xl/sharedStrings.xml" in replace:
                    data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
                out.writestr(name, data)
        for name, chunks in replace.items():
            with out.open(name, "w", force_zip64=True) as part:
                for chunk in chunks():
                    part.write(chunk)
    return path


SHARED_STRINGS_REL = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _shared_strings(entries: int, distinct: bool):
    def chunks():
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        block = 10_000
        for start in range(0, entries, block):
            if distinct:
                yield "".join(f"<si><t>v{i}</t></si>" for i in range(start, start + block)).encode()
            else:
                yield b"<si><t>a</t></si>" * block
        yield b"</sst>"

    return chunks


def _rows_sheet(rows: int):
    def chunks():
        yield (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:C%d"/><sheetData>' % (rows + 1)
        )
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
        for start in range(2, rows + 2, 5000):
            yield "".join(
                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>某某{r}</t></is></c>'
                f'<c r="B{r}" t="inlineStr"><is><t>45022219700505{r % 10000:04d}</t></is></c>'
                f'<c r="C{r}" t="inlineStr"><is><t>柳城县1镇1村 low-income household</t></is></c></row>'
                for r in range(start, min(start + 5000, rows + 2))
            ).encode()
        yield b"</sheetData></worksheet>"

    return chunks


def _upload(path: Path, name: str):
    return SimpleUploadedFile(name, path.read_bytes())


def _job_of(response) -> Job:
    assert response.status_code == 302, response.content[-800:]
    return Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_hostile_uploads_fail_their_job_and_the_portal_and_worker_go_on(client, personas, network, settings, tmp_path):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_INLINE_BYTES, settings.MEDIA_ROOT = 20000, 0, tmp_path / "media"
    officer = client_for(client, personas, "officer_a")
    recipients = reverse("stations:import_upload", args=["recipients"])

    # 1. The shared-string bomb: about 1 MB, unpacking to 170 MB of shared strings.
    bomb = _workbook_with(tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": _shared_strings(10_000_000, False)})
    assert bomb.stat().st_size < 2 * 1024 * 1024
    response = officer.post(recipients, {"file": _upload(bomb, "bomb.xlsx")})
    assert response.status_code == 200 and "文本表" in response.content.decode()
    assert not Job.objects.exists()

    with celery_worker(WORKER_ENV) as worker:
        # 2. 300,000 rows in a workbook of a few MB.
        rows = _workbook_with(tmp_path / "rows.xlsx", {"xl/worksheets/sheet1.xml": _rows_sheet(300_000)})
        big_rows = _job_of(officer.post(recipients, {"file": _upload(rows, "rows.xlsx")}))
        # 3. The division list, 300,000 rows of csv.
        lines = "".join(f"4502221{i:05d},村{i},village,village,450222101000\n" for i in range(300_000))
        csv_file = SimpleUploadedFile("divisions.csv", ("code,name,level,kind,parent_code\n" + lines).encode())
        admin = client.__class__()
        admin.force_login(personas["city_admin"])
        divisions = _job_of(admin.post(reverse("network:division_import"), {"file": csv_file}))
        # 4. Within the size limits, but its parse needs more than the 40 MB an import may use here.
        hungry = _workbook_with(tmp_path / "hungry.xlsx", {"xl/sharedStrings.xml": _shared_strings(1_000_000, True)})
        memory = _job_of(officer.post(recipients, {"file": _upload(hungry, "hungry.xlsx")}))

        # The uploads returned with their jobs; other users are answered while the worker reads.
        viewer = client.__class__()
        viewer.force_login(personas["city_viewer"])
        for url in (reverse("stations:station_list"), reverse("workforce:worker_list"), "/api/reporting/values/"):
            assert viewer.get(url).status_code == 200

        def finished():
            jobs = Job.objects.filter(pk__in=[big_rows.pk, divisions.pk, memory.pk])
            return all(j.status in (JobStatus.DONE, JobStatus.FAILED) for j in jobs)

        wait_for(finished, timeout=240, interval=1)
        for job, needle in ((big_rows, "20,000"), (divisions, "20,000"), (memory, "内存")):
            job.refresh_from_db()
            assert job.status == JobStatus.FAILED and needle in job.message, (job.kind, job.message)
        assert worker.poll() is None  # the worker lives on
        assert not Place.objects.filter(code__startswith="4502221000").exists()

        # ... and imports a good file next.
        good = SimpleUploadedFile(
            "d.csv", "code,name,level,kind,parent_code\n450222103000,新镇,township,town,450222000000\n".encode()
        )
        job = _job_of(admin.post(reverse("network:division_import"), {"file": good}))
        wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, timeout=60)
        assert worker.poll() is None

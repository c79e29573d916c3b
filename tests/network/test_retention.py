"""Uploaded files are deleted once past their retention (network.retention): import workbooks some days after their
job, replaced evidence some days after it was replaced, by the nightly beat task."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network.models import Job, RetiredFile
from network.tasks import files_purge
from tests.factories import WorkerFactory, valid_id_number
from tests.permkit import client_for
from workforce.models import Qualification


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_purge_runs_every_night():
    entry = django_settings.CELERY_BEAT_SCHEDULE["purge-expired-files"]
    assert entry["task"] == files_purge.name


@pytest.mark.django_db
def test_import_workbooks_are_deleted_after_their_retention(client, personas, network, settings, tmp_path):
    settings.IMPORT_RETENTION_DAYS = 30
    c = client_for(client, personas, "city_admin")
    text = "code,name,level,kind,parent_code\n450222103000,新镇,township,town,450222000000\n"
    for _i in range(2):
        c.post(reverse("network:division_import"), {"file": SimpleUploadedFile("d.csv", text.encode())})
    old, recent = Job.objects.order_by("created_at")
    paths = [Path(tmp_path) / j.upload.name for j in (old, recent)]
    assert all(p.exists() for p in paths)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))

    assert files_purge.apply().get() == {"imports": 1, "retired": 0}
    assert not paths[0].exists() and paths[1].exists()
    old.refresh_from_db()
    assert not old.upload and old.result  # the job's outcome stays, only the file goes


@pytest.mark.django_db
def test_replaced_evidence_is_deleted_after_its_retention_and_the_current_one_kept(
    client, personas, network, settings, tmp_path
):
    settings.EVIDENCE_RETENTION_DAYS = 180
    worker = WorkerFactory(place=network["township_a1"], id_number=valid_id_number(41, birth="19900101"))
    c = client_for(client, personas, "officer_a")
    data = {"grade": 1, "certificate_no": "EV-9", "obtained_on": "2023-05-01"}
    c.post(
        reverse("workforce:qualification_create", args=[worker.pk]),
        data | {"evidence": SimpleUploadedFile("first.pdf", b"%PDF-1.4 first")},
    )
    q = Qualification.objects.get(certificate_no="EV-9")
    first = Path(tmp_path) / q.evidence.name
    response = c.post(
        reverse("workforce:qualification_edit", args=[q.pk]),
        data | {"evidence": SimpleUploadedFile("second.pdf", b"%PDF-1.4 second")},
    )
    assert response.status_code == 302
    q.refresh_from_db()
    second = Path(tmp_path) / q.evidence.name
    assert first != second and first.exists() and second.exists()
    [retired] = RetiredFile.objects.all()
    assert retired.name == str(first.relative_to(tmp_path))

    assert files_purge.apply().get()["retired"] == 0  # not yet past its retention
    RetiredFile.objects.update(retired_at=timezone.now() - datetime.timedelta(days=181))
    assert files_purge.apply().get()["retired"] == 1
    assert not first.exists() and second.exists() and not RetiredFile.objects.exists()
    assert c.get(reverse("workforce:qualification_evidence", args=[q.pk])).status_code == 200

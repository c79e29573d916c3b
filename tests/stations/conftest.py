"""Stations tests: the shared network plus one recipient and one service record per township."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from stations.models import FollowUpPlan
from tests.factories import RecipientFactory, ServiceRecordFactory

RECIPIENT_LABEL = "Rcp-{key}"  # Rcp-a11: the recipient in village A1-1


@pytest.fixture
def network(network):
    """Adds recipients Rcp-a11, Rcp-a21, Rcp-b11, Rcp-b21 and a home visit per station (summary Svc-a1 …),
    and an overdue follow-up per recipient."""
    for key in ("a1", "a2", "b1", "b2"):
        village = network[f"village_{key}1"]
        recipient = RecipientFactory(name=RECIPIENT_LABEL.format(key=f"{key}1"), village=village, phone="13800138000")
        network[f"recipient_{key}1"] = recipient
        record = ServiceRecordFactory(station=network[f"station_{key}"], summary=f"Svc-{key}")
        record.recipients.add(recipient)
        network[f"record_{key}"] = record
        network[f"follow_up_{key}"] = FollowUpPlan.objects.create(
            recipient=recipient, due_on=datetime.date(2023, 1, 1), action=f"回访 {key}"
        )
    return network


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def workbook_upload(headers, rows, name="recipients.xlsx", sheet="服务对象"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def recipient_headers():
    from stations.imports import RecipientImport

    return [c.title() for c in RecipientImport.sheets[0].columns]


def recipient_sheet():
    from stations.imports import RecipientImport

    return RecipientImport.sheets[0].name()


TODAY = timezone.localdate()

"""Every export survives any stored text: control characters in stored names never fail an export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from network.choices import CentreLevel
from network.models import Centre, Place
from tests.factories import RecipientFactory, WorkerFactory
from tests.permkit import client_for

BAD = "张\x0b三\x01\x1f"  # vertical tab and other C0 controls, as old data or a raw SQL fix may hold


@pytest.mark.django_db
def test_exports_answer_with_control_characters_in_stored_text(client, personas, network):
    RecipientFactory(village=network["village_a11"], name=BAD)
    WorkerFactory(place=network["township_a1"], name=BAD)
    Centre.objects.create(level=CentreLevel.COUNTY, place=network["county_a"], name=BAD)
    Place.objects.filter(pk=network["village_a12"].pk).update(name=BAD)
    c = client_for(client, personas, "city_admin")
    for url in [
        reverse("stations:recipient_list") + "?export=xlsx&reason=check",
        reverse("workforce:worker_list") + "?export=xlsx&reason=check",
        reverse("workforce:roster_export") + "?reason=check",
        reverse("network:centre_list") + "?export=xlsx",
        reverse("network:place_list") + "?export=xlsx",
    ]:
        response = c.get(url)
        assert response.status_code == 200, url
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        cells = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]
        assert "张\ufffd三\ufffd\ufffd" in cells, url

"""One timezone (issue: a workbench for every role, point 6): every moment the portal writes for machines — the
API's answers and the OCDS release packages — carries the portal's offset, +08:00 (Asia/Shanghai), never UTC or Z."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from rest_framework import serializers

from procurement.models import Project

MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)?")


def _moments(text: str) -> list[str]:
    return [m.group(0) for m in MOMENT.finditer(text)]


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_ocds_package_moments_are_in_plus_eight(client, personas, network):
    project = Project.objects.get(number="450222-P-001")  # the provider persona's project (tests/conftest.py)
    client.force_login(personas["officer_a"])
    response = client.get(reverse("procurement:project_ocds", args=[project.pk]))
    assert response.status_code == 200
    moments = _moments(json.dumps(json.loads(response.content), ensure_ascii=False))
    assert moments and all(m.endswith("+08:00") for m in moments), moments


def test_api_datetime_fields_write_plus_eight():
    from django.utils import timezone

    written = serializers.DateTimeField().to_representation(timezone.now())
    assert written.endswith("+08:00"), written

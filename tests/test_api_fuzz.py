"""Schemathesis over the whole OpenAPI schema, as a county officer and as the API client (bounded).

The portal runs in this process (pytest-django's live server on the test database); schemathesis
drives it from a subprocess with each persona's token. A response >= 500, a response that violates
the schema, an undocumented status code or content type fails the test, with schemathesis's report.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from network.api.throttling import PortalUserThrottle
from tests.factories import RecipientFactory, RoomFactory, ServiceRecordFactory, WorkerFactory

SECONDS = int(os.environ.get("API_FUZZ_SECONDS", "45"))  # per persona
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"


@pytest.fixture
def api_data(network):
    RoomFactory(place=network["village_a11"])
    RoomFactory(place=network["village_b11"])
    RecipientFactory(village=network["village_a11"])
    ServiceRecordFactory(station=network["station_a1"])
    WorkerFactory(place=network["township_a1"])


@pytest.mark.fuzz
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ["officer_a", "api_client"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_server, personas, api_data, persona, monkeypatch, tmp_path
):
    # The fuzzer sends thousands of requests a minute: lift the per-user rate limit for it.
    monkeypatch.setattr(PortalUserThrottle, "THROTTLE_RATES", {"user": "1000000/min"})
    token = Token.objects.create(user=personas[persona])
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{live_server.url}/api/schema/?format=json",
            "--header",
            f"Authorization: Token {token.key}",
            # Rotating the token would end the run's own credentials.
            "--exclude-path",
            "/api/network/token/rotate/",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "10",
            "--max-time",
            str(SECONDS),
            "--seed",
            "2026",
            "--generation-database",
            "none",
            "--no-color",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
        cwd=tmp_path,  # schemathesis keeps its cache in the working folder
    )
    print(done.stdout[-3000:])
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
    assert json.loads(report.read_text()), "schemathesis wrote no report: nothing was tested"

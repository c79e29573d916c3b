"""NET-2 publication: each project, award and contract as an OCDS 1.1 release package, validated against the
official schema (vendored, jsonschema), at the API and as a download, with no personal data."""

import json

import pytest
from django.urls import reverse

from procurement import ocds
from procurement.choices import QUALITY_FIELDS
from procurement.services import award_decide, bid_save, bid_score
from tests.permkit import client_for

pytestmark = pytest.mark.django_db


def _awarded(prc, personas):
    project = prc["open_project"]
    bid = bid_save(
        user=personas["officer_a"],
        project=project,
        data={"organisation": prc["bidders"]["和谐社工"], "price": 450000, "submitted_on": prc["today"]},
    )
    bid_score(user=personas["officer_a"], bid=bid, scores=dict.fromkeys(QUALITY_FIELDS.values(), 88))
    award_decide(user=personas["officer_a"], project=project, bid=bid, reason="综合得分最高")
    return project


def test_a_tendering_project_validates(prc_full):
    package = ocds.release_package(prc_full["open_project"])
    assert ocds.validation_errors(package) == []
    assert package["version"] == "1.1" and package["releases"][0]["tag"] == ["planning", "tender"]


def test_an_awarded_project_with_its_contract_validates_and_leaves_out_personal_data(prc_full, personas):
    project = _awarded(prc_full, personas)
    package = ocds.release_package(project)
    assert ocds.validation_errors(package) == []
    tags = [r["tag"] for r in package["releases"]]
    assert tags == [["planning", "tender"], ["award"], ["contract"]]
    text = json.dumps(package, ensure_ascii=False)
    for w in prc_full["workers"].values():
        assert w.name not in text and w.id_number not in text
    assert "和谐社工" in text and "supplier" in text


def test_the_schema_check_catches_a_broken_package(prc_full):
    package = ocds.release_package(prc_full["open_project"])
    del package["releases"][0]["ocid"]
    package["releases"][0]["tender"]["status"] = "open-ish"
    errors = ocds.validation_errors(package)
    assert any("ocid" in e for e in errors) and any("open-ish" in e for e in errors)


def test_the_download_and_the_api_serve_the_package(client, personas, prc_full):
    project = _awarded(prc_full, personas)
    c = client_for(client, personas, "officer_a")
    download = c.get(reverse("procurement:project_ocds", args=[project.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert ocds.validation_errors(json.loads(download.content)) == []
    api = c.get(reverse("procurement-api:project-ocds", args=[project.pk]))
    assert api.status_code == 200 and ocds.validation_errors(api.json()) == []
    # Out of scope: 404.
    other = client_for(client, personas, "officer_b").get(reverse("procurement-api:project-ocds", args=[project.pk]))
    assert other.status_code == 404

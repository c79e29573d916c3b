"""County-plan API (PLAN-1, SUP-4): the permission matrix of every endpoint and action, each workflow step through
its action, bad input in the API's error shape, the endpoints in the OpenAPI schema."""

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.choices_plans import PlanStatus
from supervision.models import CountyPlan, PlanVersion
from tests.permkit import FORBIDDEN, LOGIN, NOT_FOUND, OK, READ_CITY_WIDE, Case, client_for, permission_matrix_test
from tests.supervision import plans_kit
from tests.supervision.plans_kit import PDF_BYTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plans")]
media = plans_kit.media
plans = plans_kit.plans

BAD_REQUEST = 400


def V(key):
    return lambda n: [n["plans"][key].pk]


def PLAN(key):
    return lambda n: [n["plans"][key].plan_id]


READ_PLAN_A = READ_CITY_WIDE | {"officer_b": NOT_FOUND}
# Writes on county A's plans: read-only roles 403; the townships below read them but may not change them (403).
COUNTY_WRITE_A = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": FORBIDDEN,
    "provider": FORBIDDEN,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}
CITY_WRITE_A = COUNTY_WRITE_A | {"officer_a": FORBIDDEN}
# Creating a plan for county A: the county A field offers only counties the caller may change (400 otherwise).
CREATE_A = COUNTY_WRITE_A | {
    "city_admin": 201,
    "officer_a": 201,
    "officer_b": BAD_REQUEST,
    "station_worker": BAD_REQUEST,
    "provider": BAD_REQUEST,
}

API_PERMISSION_MATRIX = [
    Case("supervision-api:plan-list", READ_CITY_WIDE, api=True),
    Case(
        "supervision-api:plan-list",
        CREATE_A,
        api=True,
        method="post",
        data=lambda n: {"county": n["county_a"].pk, "title": "柳城县新方案", "first_year": 2027, "last_year": 2029},
    ),
    Case("supervision-api:plan-detail", READ_PLAN_A, api=True, args=PLAN("draft")),
    Case(
        "supervision-api:plan-revise",
        COUNTY_WRITE_A | {"city_admin": 201, "officer_a": 201},
        api=True,
        method="post",
        args=PLAN("filed"),
        data=lambda n: {"change_note": "调整"},
    ),
    Case("supervision-api:plan-version-list", READ_CITY_WIDE, api=True),
    Case("supervision-api:plan-version-detail", READ_PLAN_A, api=True, args=V("draft")),
    Case(
        "supervision-api:plan-version-detail",
        COUNTY_WRITE_A,
        api=True,
        method="patch",
        args=V("draft"),
        data=lambda n: {"goals": "修改后的任务目标"},
    ),
    Case("supervision-api:plan-version-submit", COUNTY_WRITE_A, api=True, method="post", args=V("draft")),
    Case(
        "supervision-api:plan-version-file",
        CITY_WRITE_A,
        api=True,
        method="post",
        args=V("submitted"),
        data=lambda n: {"comments": "同意备案"},
    ),
    Case(
        "supervision-api:plan-version-return",
        CITY_WRITE_A,
        api=True,
        method="post",
        args=V("submitted"),
        data=lambda n: {"comments": "请补充"},
    ),
]

test_api_permission_matrix = permission_matrix_test(API_PERMISSION_MATRIX)


def _post(c, name, pk, data=None):
    return c.post(reverse(name, args=[pk]), data or {}, content_type="application/json")


def test_the_workflow_through_the_api(client, network, personas):
    draft = network["plans"]["draft"]
    c = client_for(client, personas, "officer_a")
    r = _post(c, "supervision-api:plan-version-submit", draft.pk)
    assert r.status_code == 200 and r.json()["status"] == PlanStatus.SUBMITTED
    r = _post(c, "supervision-api:plan-version-file", draft.pk)
    assert r.status_code == 403  # a county cannot file
    c = client_for(client, personas, "city_admin")
    r = _post(c, "supervision-api:plan-version-file", draft.pk, {"filed_on": timezone.localdate().isoformat()})
    assert r.status_code == 200 and r.json()["status"] == PlanStatus.FILED
    plan = c.get(reverse("supervision-api:plan-detail", args=[draft.plan_id])).json()
    assert plan["in_force_number"] == 1 and plan["filed_on"] == timezone.localdate().isoformat()
    c = client_for(client, personas, "officer_a")
    r = _post(c, "supervision-api:plan-revise", draft.plan_id, {"change_note": "年度调整"})
    assert r.status_code == 201 and r.json()["number"] == 2 and r.json()["status"] == PlanStatus.DRAFT
    v2 = r.json()["id"]
    r = _post(c, "supervision-api:plan-version-submit", v2)
    assert r.status_code == 400 and "signed_pdf" in r.json()["errors"]  # the new version needs its own signed PDF
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("v2.pdf", PDF_BYTES, content_type="application/pdf")
    r = c.patch(
        reverse("supervision-api:plan-version-detail", args=[v2]),
        data=_multipart({"signed_pdf": upload, "funding": "资金翻番"}),
        content_type=MULTIPART,
    )
    assert r.status_code == 200, r.content
    assert r.json()["signed_pdf"] is True and r.json()["funding"] == "资金翻番"
    assert _post(c, "supervision-api:plan-version-submit", v2).status_code == 200


MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


def _multipart(data):
    from django.test.client import encode_multipart

    return encode_multipart("BoUnDaRy", data)


def test_a_plan_submitted_with_a_section_empty_through_the_api(client, network, personas):
    draft = network["plans"]["draft"]
    PlanVersion.objects.filter(pk=draft.pk).update(safeguards="")
    r = _post(client_for(client, personas, "officer_a"), "supervision-api:plan-version-submit", draft.pk)
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert list(errors) == ["safeguards"] and "保障措施" in errors["safeguards"][0]
    assert PlanVersion.objects.get(pk=draft.pk).status == PlanStatus.DRAFT


def test_the_city_filing_a_plan_not_submitted_through_the_api(client, network, personas):
    draft = network["plans"]["draft"]
    r = _post(client_for(client, personas, "city_admin"), "supervision-api:plan-version-file", draft.pk)
    assert r.status_code == 400 and "PLAN-1" in r.json()["errors"]["status"][0]
    assert PlanVersion.objects.get(pk=draft.pk).filed_on is None


def test_a_submitted_version_cannot_be_patched(client, network, personas):
    version = network["plans"]["submitted"]
    r = client_for(client, personas, "officer_a").patch(
        reverse("supervision-api:plan-version-detail", args=[version.pk]),
        {"goals": "改写"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "PLAN-1" in str(r.json())
    assert PlanVersion.objects.get(pk=version.pk).goals != "改写"


def test_versions_cannot_be_created_directly(client, network, personas):
    r = client_for(client, personas, "officer_a").post(
        reverse("supervision-api:plan-version-list"),
        {"plan": network["plans"]["draft"].plan_id},
        content_type="application/json",
    )
    assert r.status_code == 405 and PlanVersion.objects.count() == 4


def test_a_duplicate_plan_through_the_api(client, network, personas):
    r = client_for(client, personas, "officer_a").post(
        reverse("supervision-api:plan-list"),
        {"county": network["county_a"].pk, "title": "重复", "first_year": 2021, "last_year": 2023},
        content_type="application/json",
    )
    assert r.status_code == 400 and "first_year" in r.json()["errors"]
    assert CountyPlan.objects.count() == 4


def test_the_endpoints_are_in_the_openapi_schema(client, personas):
    schema = client_for(client, personas, "city_admin").get("/api/schema/").content.decode()
    for path in (
        "/api/supervision/plans/",
        "/api/supervision/plans/{id}/revise/",
        "/api/supervision/plan-versions/{id}/submit/",
        "/api/supervision/plan-versions/{id}/file/",
        "/api/supervision/plan-versions/{id}/return/",
    ):
        assert path in schema, path

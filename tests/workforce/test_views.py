"""Workforce pages: the permission matrix, scope of lists and exports, masking, pinned query counts, content."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.permkit import (
    CREATE_FORM,
    FORBIDDEN,
    FOUND,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    READ_A1,
    READ_A2,
    READ_CITY_WIDE,
    READ_COUNTY_A,
    Case,
    ScopeCase,
    list_scope_test,
    permission_matrix_test,
)
from workforce.choices import Grade
from workforce.models import Qualification, Worker

from .conftest import make_worker

pytestmark = pytest.mark.usefixtures("wf")

# Editing an A1 record: writing roles inside scope 200, read-only roles 403, outsiders 404.
EDIT_A1 = {
    "city_admin": OK,
    "city_viewer": FORBIDDEN,
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "station_worker": OK,
    "provider": OK,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
    "anonymous": LOGIN,
}
EDIT_COUNTY_A = EDIT_A1 | {"station_worker": NOT_FOUND, "provider": NOT_FOUND}
# Adding to an A1 worker: the worker must be visible first (404), then changeable (403).
ADD_TO_A1 = EDIT_A1 | {"evaluator": NOT_FOUND}
READ_CITY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"city_admin": OK, "city_viewer": OK, "anonymous": LOGIN}
WRITE_ROLES_ONLY = CREATE_FORM

# Organisations of county A are readable from its townships too.
ORG_READ_A = READ_COUNTY_A | {"station_worker": OK, "provider": OK, "evaluator": OK}


def _roster_job(n):

    from network.models import Job

    return Job.objects.create(
        kind="workforce.roster",
        created_by=n["personas"]["officer_a"],
        params={"step": "preview"},
    )


PERMISSION_MATRIX = [
    Case("workforce:worker_list", READ_CITY_WIDE),
    Case("workforce:worker_list", READ_CITY_WIDE, query="export=xlsx"),
    Case("workforce:worker_create", CREATE_FORM),
    Case("workforce:worker_detail", READ_A1, args=lambda n: [n["zhang"].pk]),
    Case("workforce:worker_detail", READ_A2, args=lambda n: [n["li"].pk]),
    Case("workforce:worker_edit", EDIT_A1, args=lambda n: [n["zhang"].pk]),
    Case("workforce:qualification_create", ADD_TO_A1, args=lambda n: [n["zhang"].pk]),
    Case("workforce:specialisation_create", ADD_TO_A1, args=lambda n: [n["zhang"].pk]),
    Case("workforce:qualification_list", READ_CITY_WIDE),
    Case("workforce:qualification_detail", READ_A1, args=lambda n: [n["q_zhang"].pk]),
    Case("workforce:qualification_edit", EDIT_A1, args=lambda n: [n["q_zhang"].pk]),
    Case("workforce:qualification_revoke", EDIT_A1, args=lambda n: [n["q_zhang"].pk]),
    Case(
        "workforce:qualification_evidence",
        dict.fromkeys(PERSONAS, NOT_FOUND) | {"anonymous": LOGIN},
        args=lambda n: [n["q_zhang"].pk],
    ),
    Case("workforce:reregistration_list", READ_CITY_WIDE),
    Case("workforce:organisation_list", READ_CITY_WIDE),
    Case("workforce:organisation_create", CREATE_FORM),
    Case("workforce:organisation_detail", ORG_READ_A, args=lambda n: [n["org_a"].pk]),
    Case(
        "workforce:organisation_edit",
        EDIT_COUNTY_A | {"station_worker": FORBIDDEN, "provider": FORBIDDEN},
        args=lambda n: [n["org_a"].pk],
    ),
    Case("workforce:assignment_list", READ_CITY_WIDE),
    Case("workforce:assignment_create", CREATE_FORM),
    Case("workforce:assignment_detail", READ_A1, args=lambda n: [n["a_zhang"].pk]),
    Case("workforce:assignment_edit", EDIT_A1, args=lambda n: [n["a_zhang"].pk]),
    # The "end assignment" step: the form page, and ending (a redirect) for those who may change the record.
    Case("workforce:assignment_end", EDIT_A1, args=lambda n: [n["a_zhang"].pk]),
    Case(
        "workforce:assignment_end",
        EDIT_A1 | {"city_admin": FOUND, "officer_a": FOUND, "station_worker": FOUND, "provider": FOUND},
        args=lambda n: [n["a_zhang"].pk],
        method="post",
        data=lambda n: {"end_on": "2022-12-31"},
    ),
    Case("workforce:deadline_list", READ_CITY_WIDE),
    Case("workforce:county_workforce", READ_COUNTY_A, args=lambda n: [n["county_a"].code]),
    Case("workforce:city_workforce", READ_CITY),
    Case("workforce:roster_template", READ_CITY_WIDE),
    Case("workforce:roster_export", READ_CITY_WIDE),
    Case("workforce:roster_import", WRITE_ROLES_ONLY),
    # A roster import job: only its creator sees it (officer_a's job here).
    Case(
        "network:job_detail",
        dict.fromkeys(PERSONAS, NOT_FOUND) | {"officer_a": OK, "anonymous": LOGIN},
        args=lambda n: [_roster_job(n).pk],
    ),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)

# Writes through the pages: who may post, and nothing outside scope is created.
POST_MATRIX = [
    Case(
        "workforce:qualification_revoke",
        EDIT_A1 | dict.fromkeys(("city_admin", "officer_a", "station_worker", "provider"), 302),
        args=lambda n: [n["q_zhang"].pk],
        method="post",
        data=lambda n: {"revoked_on": "2024-01-02", "reason": "注销"},
    ),
    Case(
        "workforce:assignment_edit",
        EDIT_A1 | dict.fromkeys(("city_admin", "officer_a", "station_worker", "provider"), 302),
        args=lambda n: [n["a_zhang"].pk],
        method="post",
        data=lambda n: {"role": "stationed", "organisation": "", "start_on": "2020-06-01", "end_on": "2024-05-31"},
    ),
    Case(
        "network:job_confirm",
        dict.fromkeys(PERSONAS, NOT_FOUND) | {"officer_a": 302, "anonymous": LOGIN},
        args=lambda n: [_roster_job(n).pk],
        method="post",
    ),
]
test_post_matrix = permission_matrix_test(POST_MATRIX)


def _workers(n):
    a1, a2, b1 = "张晓明", "李秀英", "王建国"
    return {
        "city_admin": {a1, a2, b1},
        "city_viewer": {a1, a2, b1},
        "officer_a": {a1, a2},
        "officer_b": {b1},
        "station_worker": {a1},
        "provider": {a1, a2},
        "evaluator": {a2},
        "api_client": {a1, a2},
    }


def _certificates(n):
    a1, b1 = "ZS2019001", "ZS2021002"
    return {
        "city_admin": {a1, b1},
        "city_viewer": {a1, b1},
        "officer_a": {a1},
        "officer_b": {b1},
        "station_worker": {a1},
        "provider": {a1},
        "evaluator": set(),
        "api_client": {a1},
    }


def _organisations(n):
    a, b = "阳光社工服务中心", "鹿寨同心社工"
    # Townships read the organisations of their county (scope_visible_from_below).
    return {
        "city_admin": {a, b},
        "city_viewer": {a, b},
        "officer_a": {a},
        "officer_b": {b},
        "api_client": {a},
        "station_worker": {a},
        "provider": {a},
        "evaluator": {a},
    }


def _assignments(n):
    return {k: v - {"王建国"} for k, v in _workers(n).items()}


SCOPE_CASES = [
    ScopeCase("workforce:worker_list", _workers),
    ScopeCase("workforce:worker_list", _workers, mode="export"),
    ScopeCase("workforce:roster_export", _workers, mode="page_xlsx"),
    ScopeCase("workforce:qualification_list", _certificates),
    ScopeCase("workforce:qualification_list", _certificates, mode="export"),
    ScopeCase("workforce:organisation_list", _organisations),
    ScopeCase("workforce:organisation_list", _organisations, mode="export"),
    ScopeCase("workforce:assignment_list", _assignments),
    ScopeCase("workforce:assignment_list", _assignments, mode="export"),
]
_page_cases = [c for c in SCOPE_CASES if c.mode != "page_xlsx"]
test_list_scope = list_scope_test(_page_cases)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["city_admin", "officer_a", "officer_b", "station_worker", "evaluator"])
def test_roster_export_scope(client, personas, network, persona):
    from tests.permkit import _labels_in_export

    visible = _workers(network)
    client.force_login(personas[persona])
    response = client.get(reverse("workforce:roster_export"), {"reason": "scope test"})
    text = _labels_in_export(response)
    for name in visible[persona]:
        assert name in text
    for name in set().union(*visible.values()) - visible[persona]:
        assert name not in text


@pytest.mark.django_db
def test_id_numbers_masked_for_roles_without_personal_data(client, personas, network):
    zhang = network["zhang"]
    client.force_login(personas["officer_a"])
    assert zhang.id_number in client.get(reverse("workforce:worker_list")).content.decode()
    for persona in ("city_viewer", "provider"):  # the API client reads the API only (tests/workforce/test_api.py)
        client.force_login(personas[persona])
        html = client.get(reverse("workforce:worker_list")).content.decode()
        assert zhang.id_number not in html and zhang.id_number[:6] + "********" + zhang.id_number[-4:] in html
        html = client.get(reverse("workforce:worker_detail", args=[zhang.pk])).content.decode()
        assert zhang.id_number not in html and "13807720001" not in html
        from tests.permkit import _labels_in_export

        for url in (reverse("workforce:worker_list") + "?export=xlsx", reverse("workforce:roster_export")):
            text = _labels_in_export(client.get(url))
            assert zhang.id_number not in text and "13807720001" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "workforce:worker_list",
        "workforce:assignment_list",
        "workforce:qualification_list",
        "workforce:organisation_list",
    ],
)
def test_list_query_count_is_fixed(client, personas, network, django_assert_num_queries, url):
    """Pinned: adding 30 workers with certificates, and more stations in the filter, does not add a query."""
    from network.choices import PlaceKind, PlaceLevel
    from network.models import Place
    from tests.factories import StationFactory

    client.force_login(personas["officer_a"])
    client.get(reverse(url))  # warm caches (rule settings, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse(url)).status_code == 200
    for i in range(30):
        w = make_worker(f"批量{i}", network["township_a1"], 100 + i, organisation=network["org_a"])
        Qualification.objects.create(
            worker=w, grade=Grade.ASSISTANT, certificate_no=f"B{i}", obtained_on=datetime.date(2021, 1, 1)
        )
    for t in (3, 4):
        StationFactory(
            place=Place.objects.create(
                code=f"45022210{t}000",
                name=f"新镇{t}",
                level=PlaceLevel.TOWNSHIP,
                kind=PlaceKind.TOWN,
                parent=network["county_a"],
            )
        )
    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(reverse(url)).status_code == 200
    assert len(before.captured_queries) <= 16


@pytest.mark.django_db
def test_roster_filters(client, personas, network):
    client.force_login(personas["city_admin"])

    def names(query):
        html = client.get(reverse("workforce:worker_list") + "?" + query).content.decode()
        return {n for n in ("张晓明", "李秀英", "王建国") if n in html}

    assert names(f"county={network['county_b'].code}") == {"王建国"}
    assert names(f"station={network['station_a2'].pk}") == {"李秀英"}
    assert names("grade=2") == {"王建国"}
    assert names("grade=1") == {"张晓明"}
    assert names("certified_on=2020-12-31") == {"张晓明"}
    assert names("certified_on=2021-12-31") == {"张晓明", "王建国"}
    assert names(f"organisation={network['org_b'].pk}") == {"王建国"}
    from workforce.models import Specialisation

    Specialisation.objects.create(worker=network["li"], category_id="elderly_services", since=datetime.date(2022, 1, 1))
    assert names("specialisation=elderly_services") == {"李秀英"}


@pytest.mark.django_db
def test_county_page_shows_targets(client, personas, network):
    client.force_login(personas["officer_a"])
    html = client.get(reverse("workforce:county_workforce", args=[network["county_a"].code])).content.decode()
    assert 'data-testid="certified-now">1<' in html
    assert 'data-testid="townships-covered">1 / 2<' in html
    assert 'data-testid="incubated">1 / 3<' in html
    # PRC-2: both county A stations have one stationed worker: both flagged
    assert 'data-testid="understaffed-count">2<' in html
    assert "李秀英" in html  # due to qualify within 90 days
    assert "TGT-EVERY" in html and "TGT-ORG" in html


@pytest.mark.django_db
def test_city_page_lists_every_county(client, personas, network):
    client.force_login(personas["city_viewer"])
    html = client.get(reverse("workforce:city_workforce")).content.decode()
    assert "柳城县" in html and "鹿寨县" in html
    assert 'data-testid="city-certified-now">2<' in html


@pytest.mark.django_db
def test_worker_profile_timeline_and_deadline(client, personas, network):
    client.force_login(personas["officer_a"])
    html = client.get(reverse("workforce:worker_detail", args=[network["li"].pk])).content.decode()
    assert 'data-testid="deadline"' in html and "PRC-2" in html
    html = client.get(reverse("workforce:worker_detail", args=[network["zhang"].pk])).content.decode()
    assert "ZS2019001" in html and 'data-testid="timeline"' in html and "2019-06-20" in html


@pytest.mark.django_db
def test_worker_form_with_known_id_updates_the_person(client, personas, network):
    zhang = network["zhang"]
    client.force_login(personas["officer_a"])
    response = client.post(
        reverse("workforce:worker_create"),
        {
            "name": "张晓明",
            "id_number": zhang.id_number,
            "phone": "13907720002",
            "education": "master",
            "place": network["township_a2"].code,
        },
    )
    assert response.status_code == 302
    assert Worker.objects.filter(id_number=zhang.id_number).count() == 1
    zhang.refresh_from_db()
    assert zhang.phone == "13907720002" and zhang.place_id == network["township_a2"].code
    # Officer B cannot take over county A's person.
    client.force_login(personas["officer_b"])
    response = client.post(
        reverse("workforce:worker_create"),
        {"name": "张晓明", "id_number": zhang.id_number, "place": network["township_b1"].code},
    )
    assert response.status_code == 200 and Worker.objects.filter(id_number=zhang.id_number).count() == 1
    zhang.refresh_from_db()
    assert zhang.place_id == network["township_a2"].code


@pytest.mark.django_db
def test_worker_form_rejects_a_wrong_check_character(client, personas, network):
    client.force_login(personas["officer_a"])
    bad = network["zhang"].id_number[:17] + ("0" if network["zhang"].id_number[17] != "0" else "1")
    response = client.post(
        reverse("workforce:worker_create"), {"name": "赵某", "id_number": bad, "place": network["township_a1"].code}
    )
    assert response.status_code == 200 and "GB 11643" in response.content.decode()
    assert not Worker.objects.filter(name="赵某").exists()


@pytest.mark.django_db
def test_evidence_upload_is_checked_and_served_in_scope(client, personas, network, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(personas["officer_a"])
    url = reverse("workforce:qualification_create", args=[network["li"].pk])
    data = {"grade": 1, "certificate_no": "EV-1", "obtained_on": "2023-05-01"}
    response = client.post(url, data | {"evidence": SimpleUploadedFile("x.pdf", b"MZ not a pdf")})
    assert response.status_code == 200 and not Qualification.objects.filter(certificate_no="EV-1").exists()
    response = client.post(url, data | {"evidence": SimpleUploadedFile("x.pdf", b"%PDF-1.4 scan")})
    assert response.status_code == 302
    q = Qualification.objects.get(certificate_no="EV-1")
    assert client.get(reverse("workforce:qualification_evidence", args=[q.pk])).status_code == 200
    client.force_login(personas["officer_b"])
    assert client.get(reverse("workforce:qualification_evidence", args=[q.pk])).status_code == 404


@pytest.mark.django_db
def test_roster_template_has_sheets_and_dropdowns(client, personas):
    client.force_login(personas["officer_a"])
    response = client.get(reverse("workforce:roster_template"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {"填写说明", "社工", "资格证书", "驻站", "选项"} <= set(wb.sheetnames)
    assert [c.value.rstrip("*") for c in wb["社工"][1]][:3] == ["姓名", "身份证号", "性别"]
    assert len(wb["社工"].data_validations.dataValidation) >= 3
    lists = "\n".join(str(c.value) for row in wb["选项"].iter_rows() for c in row if c.value)
    assert "450222101000" in lists and "450223101000" not in lists

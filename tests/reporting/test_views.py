"""Dashboards, explanations, recompute and workbook jobs: permissions, scope, content, query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from network.choices import PlaceKind, PlaceLevel
from network.models import Job, Place
from reporting.services import indicators_recompute, indicators_recompute_job
from reporting.workbook import report_workbook_job
from tests.factories import StationFactory
from tests.permkit import (
    CITY_ADMIN_ONLY,
    FORBIDDEN,
    FOUND,
    LOGIN,
    NOT_FOUND,
    OK,
    PERSONAS,
    READ_A1,
    READ_CITY_WIDE,
    READ_COUNTY_A,
    Case,
    client_for,
    permission_matrix_test,
)

READ_CITY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"city_admin": OK, "city_viewer": OK, "anonymous": LOGIN}
CITY, A, B, A1 = "450200000000", "450222000000", "450223000000", "450222101000"
POST_CITY_ADMIN = dict.fromkeys(PERSONAS, FORBIDDEN) | {"city_admin": FOUND, "anonymous": LOGIN}

OWNER_ONLY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"city_admin": OK, "anonymous": LOGIN}
# Starting a workbook for county A: whoever may see the county is sent on to the job page.
# Read-only roles read the dashboards; the roles that write make the workbook (network.roles.may_start_jobs).
START_COUNTY_A = {p: (FOUND if e == OK else e) for p, e in READ_COUNTY_A.items()} | {
    "city_viewer": FORBIDDEN,
    "evaluator": FORBIDDEN,
    "api_client": FORBIDDEN,
}


def _admin_workbook_job(n):
    """A finished workbook job of the city administrator, with its file."""
    from django.core.files.base import ContentFile

    job = Job.objects.create(
        kind="reporting.workbook", created_by=n["personas"]["city_admin"], status="done", progress=100
    )
    job.output.save("report.xlsx", ContentFile(b"PK"), save=True)
    return [job.pk]


def _computed_county_a(n):
    indicators_recompute(today=datetime.date(2022, 6, 15))
    return [n["county_a"].code]


PERMISSION_MATRIX = [
    Case("reporting:dashboard", READ_CITY_WIDE),
    Case("reporting:place_dashboard", READ_CITY, args=lambda n: [n["city"].code]),
    Case("reporting:place_dashboard", READ_COUNTY_A, args=lambda n: [n["county_a"].code]),
    Case("reporting:place_dashboard", READ_A1, args=lambda n: [n["township_a1"].code]),
    Case("reporting:explanation", READ_CITY, args=lambda n: [n["city"].code, "TGT-COV"]),
    Case("reporting:explanation", READ_COUNTY_A, args=lambda n: [n["county_a"].code, "TGT-CERT"]),
    Case("reporting:explanation", READ_A1, args=lambda n: [n["township_a1"].code, "TGT-COV"]),
    Case(
        "reporting:explanation",
        dict.fromkeys(PERSONAS, NOT_FOUND) | {"anonymous": LOGIN},
        args=lambda n: [n["township_a1"].code, "TGT-ORG"],
    ),  # not computed for townships
    Case("reporting:recompute", CITY_ADMIN_ONLY),
    Case("reporting:recompute", POST_CITY_ADMIN, method="post"),
    Case("reporting:report_start", START_COUNTY_A, method="post", args=_computed_county_a),
    Case("network:job_detail", OWNER_ONLY, args=_admin_workbook_job),
    Case("network:job_status", OWNER_ONLY, args=_admin_workbook_job),
    Case("network:job_download", OWNER_ONLY, args=_admin_workbook_job),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2022, 6, 15)


def test_city_dashboard_shows_cards_map_ranking_and_computed_time(client, personas, computed):
    client.force_login(personas["city_admin"])
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert 'data-testid="card-TGT-COV"' in html and 'data-testid="coverage-map"' in html
    assert f'data-testid="child-{A}"' in html and f'data-testid="child-{B}"' in html
    assert 'data-testid="computed-at"' in html and "reporting-data" in html
    assert "71.4 %" in html  # city coverage June 2022: 5 of 7 townships


def test_county_dashboard_lists_townships_and_alerts(client, personas, computed):
    client.force_login(personas["officer_b"])
    response = client.get(reverse("reporting:dashboard"))
    html = response.content.decode()
    assert "鹿寨县3镇" in html and 'data-testid="alerts"' in html
    assert "柳城县1镇" not in html


def test_officer_cannot_open_the_other_county(client, personas, computed):
    client.force_login(personas["officer_a"])
    assert client.get(reverse("reporting:place_dashboard", args=[B])).status_code == 404
    assert client.get(reverse("reporting:explanation", args=[B, "TGT-COV"])).status_code == 404


def test_breadcrumb_links_only_to_the_places_the_user_may_open(client, personas, computed):
    """The city's dashboard answers 404 to a county officer: their breadcrumb names it without a link."""
    city_url, county_url = (reverse("reporting:place_dashboard", args=[code]) for code in (CITY, A))
    client.force_login(personas["officer_a"])
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert f'href="{city_url}"' not in html and '<li class="breadcrumb-item">柳州市</li>' in html
    html = client.get(reverse("reporting:place_dashboard", args=[A1])).content.decode()
    assert f'href="{county_url}"' in html and f'href="{city_url}"' not in html
    client.force_login(personas["station_worker"])
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert f'href="{county_url}"' not in html and '<li class="breadcrumb-item">柳城县</li>' in html
    client.force_login(personas["city_admin"])
    html = client.get(reverse("reporting:place_dashboard", args=[A1])).content.decode()
    assert f'href="{county_url}"' in html and f'href="{city_url}"' in html


def test_explanation_shows_rule_numbers_and_scoped_records(client, personas, computed):
    client.force_login(personas["city_viewer"])
    html = client.get(reverse("reporting:explanation", args=[CITY, "TGT-CERT"]) + "?period=2021").content.decode()
    assert "TGT-CERT" in html and 'data-testid="records"' in html
    assert "甲一" in html and "乙三" in html and "乙四" not in html  # w4 revoked in June 2021
    client.force_login(personas["officer_a"])
    html = client.get(reverse("reporting:explanation", args=[A, "TGT-CERT"]) + "?period=2021").content.decode()
    assert "甲一" in html and "乙三" not in html
    html = client.get(reverse("reporting:explanation", args=[A, "PRC-2-OVERDUE"]) + "?period=2021").content.decode()
    assert "甲五" in html and "甲六" not in html
    html = client.get(reverse("reporting:explanation", args=[A, "TGT-COV"]) + "?period=2021").content.decode()
    assert "柳城县3镇" in html and 'data-testid="breakdown"' in html


def _grow(network, n):
    county = network["county_a"]
    for i in range(n):
        t = Place.objects.create(
            code=f"{county.code[:6]}2{i:02d}000",
            name=f"新镇{i}",
            level=PlaceLevel.TOWNSHIP,
            kind=PlaceKind.TOWN,
            parent=county,
        )
        StationFactory(place=t)


@pytest.mark.parametrize("place", [CITY, A])
def test_dashboard_query_count_is_constant(client, personas, indicator_network, place, django_assert_num_queries):
    indicators_recompute(today=TODAY)
    client.force_login(personas["city_admin"])
    url = reverse("reporting:place_dashboard", args=[place])
    client.get(url)
    # session, user, scope, place, own values, last runs, children's values, the session save (3), the bell's count
    with django_assert_num_queries(11):
        client.get(url)
    _grow(indicator_network, 12)
    indicators_recompute(today=TODAY)
    with django_assert_num_queries(11):
        client.get(url)


def test_recompute_job_records_progress_and_result(personas, indicator_network):
    job = Job.objects.create(kind="reporting.recompute", created_by=personas["city_admin"])
    indicators_recompute_job(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.result["rows"] > 0


def test_job_pages_only_for_their_owner(client, personas, indicator_network):
    job = Job.objects.create(kind="reporting.recompute", created_by=personas["city_admin"])
    client.force_login(personas["city_admin"])
    assert client.get(reverse("network:job_detail", args=[job.pk])).status_code == 200
    data = client.get(reverse("network:job_status", args=[job.pk])).json()
    assert data["status"] == "queued" and data["download"] == ""
    client.force_login(personas["city_viewer"])
    assert client.get(reverse("network:job_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("network:job_download", args=[job.pk])).status_code == 404


def test_report_start_is_scoped(client, personas, computed):
    url_a = reverse("reporting:report_start", args=[A])
    for persona, expected in [("officer_a", 302), ("officer_b", 404), ("city_admin", 302), ("station_worker", 404)]:
        client_for(client, personas, persona)
        assert client.post(url_a).status_code == expected, persona
    client_for(client, personas, "station_worker")
    assert client.post(reverse("reporting:report_start", args=[A1])).status_code == 403
    client_for(client, personas, "anonymous")
    assert client.post(url_a).status_code == 302


def test_county_workbook_has_its_townships_and_total_only(client, personas, computed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas["officer_a"])
    response = client.post(reverse("reporting:report_start", args=[A]))
    job = Job.objects.get(kind="reporting.workbook")
    assert response["Location"] == reverse("network:job_detail", args=[job.pk])
    assert job.params == {"place": A, "period": "2022-06"}
    report_workbook_job(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == "done"
    status = client.get(reverse("network:job_status", args=[job.pk])).json()
    assert status["download"]
    download = client.get(status["download"])
    wb = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert wb.sheetnames[0] == "汇总" and "站点建设" in wb.sheetnames
    ws = wb["站点建设"]
    assert ws.freeze_panes == "B4"
    names = [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
    assert names == ["柳城县1镇", "柳城县2镇", "柳城县3镇", "柳城县4镇", "柳城县（合计）"]
    assert ws.cell(row=8, column=3).value == 100 and ws.cell(row=8, column=3).number_format == '0.0"%"'
    text = " ".join(str(c.value) for sheet in wb for row in sheet.iter_rows() for c in row if c.value)
    assert "鹿寨县" not in text


def test_dashboard_speaks_chinese_by_default_and_english_on_request(client, personas, computed):
    client.force_login(personas["city_admin"])
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert "规划目标完成情况" in html and "乡镇（街道）社工站覆盖率" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Indicators against the plan" in html and "Township station coverage" in html


def test_record_headers_take_the_project_wording_except_where_the_meaning_differs(personas, computed):
    from django.utils import translation

    from network.models import Place
    from reporting.records import certified, organisations, overdue

    city, on = Place.objects.get(code=CITY), datetime.date(2021, 12, 31)
    with translation.override("zh-hans"):
        assert certified(personas["city_admin"], city, on)[0][0] == "姓名"  # a person's name (context "person")
        assert overdue(personas["city_admin"], city, on)[0][:2] == ["姓名", "社工站"]
        assert organisations(personas["city_admin"], city, on)[0][:2] == ["名称", "县级单位（县、区）"]

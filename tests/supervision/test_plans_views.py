"""County-plan pages (PLAN-1, SUP-4): the permission matrix of every page (the city files, a county cannot; a county
sees only its own plans), the scope of the list and its export, each workflow step from its page, bad input at the
page, versions compared, the printable plan, the alerts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from network.workbench import alerts_for
from supervision.choices_plans import PlanStatus
from supervision.models import CountyPlan, PlanVersion
from tests.permkit import (
    CREATE_FORM,
    FORBIDDEN,
    FOUND,
    LOGIN,
    NOT_FOUND,
    OK,
    READ_CITY_WIDE,
    Case,
    ScopeCase,
    client_for,
    list_scope_test,
    permission_matrix_test,
)
from tests.supervision import plans_kit
from tests.supervision.plans_kit import pdf, sections

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plans")]
media = plans_kit.media
plans = plans_kit.plans


def V(key):
    return lambda n: [n["plans"][key].pk]


def PLAN(key):
    return lambda n: [n["plans"][key].plan_id]


# County A's plans: the county and the city, and (read only) the townships below the county.
READ_PLAN_A = READ_CITY_WIDE | {"officer_b": NOT_FOUND}
# The county's steps on a plan of county A: county A's officer and the city administrator.
COUNTY_STEP_A = {
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
COUNTY_POST_A = COUNTY_STEP_A | {"city_admin": FOUND, "officer_a": FOUND}
# The city's steps (file, return): the city administrator only; a county officer 403.
CITY_STEP_A = COUNTY_STEP_A | {"officer_a": FORBIDDEN}
CITY_POST_A = CITY_STEP_A | {"city_admin": FOUND}
CREATE_PLAN = CREATE_FORM | {"station_worker": FORBIDDEN, "provider": FORBIDDEN}


def _new_plan(n):
    return {"county": n["county_a"].pk, "title": "柳城县新方案", "first_year": 2027, "last_year": 2029}


PERMISSION_MATRIX = [
    Case("supervision:plan_list", READ_CITY_WIDE),
    Case("supervision:plan_list", READ_CITY_WIDE, query="export=xlsx"),
    Case("supervision:plan_counties", READ_CITY_WIDE),
    Case("supervision:plan_counties", READ_CITY_WIDE, query="export=xlsx"),
    Case("supervision:plan_create", CREATE_PLAN),
    Case(
        "supervision:plan_create",
        CREATE_PLAN | {"city_admin": FOUND, "officer_a": FOUND},  # county B's officer: county A is no choice (200)
        method="post",
        data=_new_plan,
    ),
    Case("supervision:plan_detail", READ_PLAN_A, args=PLAN("draft")),
    Case("supervision:plan_compare", READ_PLAN_A, args=PLAN("draft")),
    Case("supervision:plan_revise", COUNTY_STEP_A, args=PLAN("filed")),
    Case("supervision:plan_revise", COUNTY_POST_A, args=PLAN("filed"), method="post", data=lambda n: {}),
    Case("supervision:plan_version_detail", READ_PLAN_A, args=V("draft")),
    Case("supervision:plan_version_print", READ_PLAN_A, args=V("filed")),
    Case("supervision:plan_version_pdf", READ_PLAN_A, args=V("filed")),
    Case("supervision:plan_version_edit", COUNTY_STEP_A, args=V("draft")),
    Case(
        "supervision:plan_version_edit",
        COUNTY_POST_A,
        args=V("draft"),
        method="post",
        data=lambda n: sections("（修改）"),
    ),
    Case("supervision:plan_version_submit", COUNTY_STEP_A, args=V("draft")),
    Case("supervision:plan_version_submit", COUNTY_POST_A, args=V("draft"), method="post"),
    Case("supervision:plan_version_file", CITY_STEP_A, args=V("submitted")),
    Case(
        "supervision:plan_version_file",
        CITY_POST_A,
        args=V("submitted"),
        method="post",
        data=lambda n: {"filed_on": timezone.localdate().isoformat()},
    ),
    Case("supervision:plan_version_return", CITY_STEP_A, args=V("submitted")),
    Case(
        "supervision:plan_version_return",
        CITY_POST_A,
        args=V("submitted"),
        method="post",
        data=lambda n: {"comments": "请补充资金来源"},
    ),
]

test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)

A_TITLES = {"柳城县社工站建设实施方案2021", "柳城县社工站建设实施方案2024", "柳城县社工站建设实施方案2018"}
B_TITLES = {"鹿寨县社工站建设实施方案2021"}


def _visible(n):
    a_readers = ("city_admin", "city_viewer", "officer_a", "station_worker", "provider", "evaluator", "api_client")
    return {p: set(A_TITLES) | (B_TITLES if p in ("city_admin", "city_viewer") else set()) for p in a_readers} | {
        "officer_b": set(B_TITLES)
    }


SCOPE_CASES = [
    ScopeCase("supervision:plan_list", _visible),
    ScopeCase("supervision:plan_list", _visible, mode="export"),
    ScopeCase("supervision-api:plan-list", _visible, mode="api", api_label="title"),
]

test_list_scope = list_scope_test(SCOPE_CASES)


def test_a_county_submits_and_the_city_files_from_the_pages(client, network, personas):
    version = network["plans"]["draft"]
    c = client_for(client, personas, "officer_a")
    page = c.get(version.get_absolute_url()).content.decode()
    assert 'data-testid="submit-step"' in page and 'data-testid="file-step"' not in page
    assert c.post(reverse("supervision:plan_version_submit", args=[version.pk])).status_code == 302
    assert PlanVersion.objects.get(pk=version.pk).status == PlanStatus.SUBMITTED
    assert c.post(reverse("supervision:plan_version_file", args=[version.pk]), {}).status_code == 403
    c = client_for(client, personas, "city_admin")
    page = c.get(version.get_absolute_url()).content.decode()
    assert 'data-testid="file-step"' in page and 'data-testid="return-step"' in page
    today = timezone.localdate().isoformat()
    response = c.post(reverse("supervision:plan_version_file", args=[version.pk]), {"filed_on": today})
    assert response.status_code == 302
    v = PlanVersion.objects.get(pk=version.pk)
    assert v.status == PlanStatus.FILED and CountyPlan.objects.get(pk=v.plan_id).in_force_id == v.pk
    counties = c.get(reverse("supervision:plan_counties") + "?year=2022").content.decode()
    assert "柳城县社工站建设实施方案2021" in counties and today in counties


def test_submitting_a_plan_with_a_section_empty_at_the_page(client, network, personas):
    version = network["plans"]["draft"]
    PlanVersion.objects.filter(pk=version.pk).update(funding="")
    c = client_for(client, personas, "officer_a")
    response = c.post(reverse("supervision:plan_version_submit", args=[version.pk]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "PLAN-1：“资金安排”一节为空" in html
    assert PlanVersion.objects.get(pk=version.pk).status == PlanStatus.DRAFT


def test_the_city_filing_a_draft_at_the_page_is_refused(client, network, personas):
    version = network["plans"]["draft"]
    response = client_for(client, personas, "city_admin").post(
        reverse("supervision:plan_version_file", args=[version.pk]), {"filed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200 and "PLAN-1：只有已提交的方案才能备案" in response.content.decode()
    assert PlanVersion.objects.get(pk=version.pk).status == PlanStatus.DRAFT


def test_returning_without_comments_at_the_page(client, network, personas):
    version = network["plans"]["submitted"]
    response = client_for(client, personas, "city_admin").post(
        reverse("supervision:plan_version_return", args=[version.pk]), {"comments": ""}
    )
    assert response.status_code == 200 and "PLAN-1：请填写退回理由" in response.content.decode()
    assert PlanVersion.objects.get(pk=version.pk).status == PlanStatus.SUBMITTED


def test_a_non_pdf_upload_at_the_edit_page_saves_nothing(client, network, personas):
    version = network["plans"]["draft"]
    data = sections("（改）") | {"signed_pdf": pdf("plan.pdf", b"GIF89a not a pdf")}
    response = client_for(client, personas, "officer_a").post(
        reverse("supervision:plan_version_edit", args=[version.pk]), data
    )
    assert response.status_code == 200 and "内容与文件类型不符" in response.content.decode()
    assert "（改）" not in PlanVersion.objects.get(pk=version.pk).goals


def test_a_submitted_version_is_not_editable_at_the_page(client, network, personas):
    version = network["plans"]["submitted"]
    c = client_for(client, personas, "officer_a")
    response = c.get(reverse("supervision:plan_version_edit", args=[version.pk]))
    assert response.status_code == 302 and response["Location"] == version.get_absolute_url()
    c.post(reverse("supervision:plan_version_edit", args=[version.pk]), sections("（改）"))
    assert "（改）" not in PlanVersion.objects.get(pk=version.pk).goals


def test_versions_compared_side_by_side(client, network, personas):
    filed = network["plans"]["filed"]
    c = client_for(client, personas, "officer_a")
    assert (
        c.post(reverse("supervision:plan_revise", args=[filed.plan_id]), {"change_note": "调整资金"}).status_code == 302
    )
    v2 = PlanVersion.objects.get(plan_id=filed.plan_id, number=2)
    c.post(
        reverse("supervision:plan_version_edit", args=[v2.pk]),
        sections() | {"funding": "县财政每年安排120万元。", "change_note": "调整资金"},
    )
    html = c.get(reverse("supervision:plan_compare", args=[filed.plan_id])).content.decode()
    assert html.count('data-changed="1"') == 1
    assert '<ins class="diff-ins">' in html and "120万元" in html
    detail = c.get(reverse("supervision:plan_detail", args=[filed.plan_id])).content.decode()
    assert 'data-version="1"' in detail and 'data-version="2"' in detail and "调整资金" in detail


def test_the_printable_plan_has_every_section(client, network, personas):
    version = network["plans"]["filed"]
    html = (
        client_for(client, personas, "city_viewer")
        .get(reverse("supervision:plan_version_print", args=[version.pk]))
        .content.decode()
    )
    for label in (
        "任务目标",
        "站点设置",
        "队伍建设",
        "资金安排",
        "服务内容",
        "进度安排",
        "督导培训",
        "绩效评估",
        "保障措施",
    ):
        assert label in html
    assert "督导计划" in html and "培训计划" in html and "评估计划" in html and "data-print" in html


def test_the_signed_pdf_is_served_to_readers_only(client, network, personas):
    version = network["plans"]["filed"]
    response = client_for(client, personas, "station_worker").get(
        reverse("supervision:plan_version_pdf", args=[version.pk])
    )
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"


def test_the_alerts_for_the_city_and_for_a_county(network, personas):
    today = timezone.localdate()
    city = {a.source.code: a for a in alerts_for(personas["city_admin"], today)}
    waiting = {item.key for item in city["plan1-waiting"].items}
    assert waiting == {
        f"plan1:waiting:{network['plans']['submitted'].pk}",
        f"plan1:waiting:{network['plans']['b_submitted'].pk}",
    }
    assert "plan1-county" not in city
    county_a = {a.source.code: a for a in alerts_for(personas["officer_a"], today)}
    assert "plan1-waiting" not in county_a
    titles = [item.title for item in county_a["plan1-county"].items]
    assert any("草稿" in t for t in titles)  # the 2021 plan's draft
    county_b = {a.source.code: a for a in alerts_for(personas["officer_b"], today)}
    assert all("柳城县" not in item.title for item in county_b["plan1-county"].items)
    # Returned: the county is told to revise it.
    from supervision.services_plans import plan_version_return

    plan_version_return(user=personas["city_admin"], version=network["plans"]["b_submitted"], comments="请修改")
    county_b = {a.source.code: a for a in alerts_for(personas["officer_b"], today)}
    assert any("退回" in item.title for item in county_b["plan1-county"].items)
    assert not {a.source.code for a in alerts_for(personas["station_worker"], today)} & {
        "plan1-waiting",
        "plan1-county",
    }


@pytest.mark.parametrize(
    "url",
    [
        "supervision:plan_list",
        "supervision:plan_counties",
        "supervision-api:plan-list",
        "supervision-api:plan-version-list",
    ],
)
def test_lists_query_the_same_whatever_the_number_of_plans(client, network, personas, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.supervision.plans_kit import filed

    c = client_for(client, personas, "city_admin")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse(url)).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for year in (2027, 2030, 2033):
        filed(personas["officer_b"], personas["city_admin"], network["county_b"], first_year=year, last_year=year + 2)
    assert queries() == before

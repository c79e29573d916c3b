"""Procurement pages: the permission matrix of every page, the scope of every list and export, the workflow steps
from the page (record a bid, score it, award, complete the contract, record pay, evaluate), bad input at the page,
pinned query counts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.models import Award, Bid, Contract, CountyFund, Evaluation, PayLine, Project
from tests.permkit import (
    CITY_ADMIN_ONLY,
    CREATE_FORM,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    READ_A1,
    READ_CITY_WIDE,
    Case,
    ScopeCase,
    client_for,
    list_scope_test,
    permission_matrix_test,
)

pytestmark = pytest.mark.usefixtures("prc_full")


def P(n):
    return n["prc"]


# The provider's project and contract: county A, stations A1 and A2, the evaluator's organisation assigned.
READ_PROVIDER_PROJECT = READ_A1 | {"evaluator": OK}
# A record of county A without a station path: the county, the city, the API client of county A.
READ_COUNTY_RECORD = READ_A1 | {"station_worker": NOT_FOUND, "provider": NOT_FOUND, "evaluator": NOT_FOUND}
WRITE_COUNTY = {
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
WRITE_COUNTY_RECORD = WRITE_COUNTY | {"station_worker": NOT_FOUND, "provider": NOT_FOUND}
STEP_ON_OPEN_PROJECT = WRITE_COUNTY | {"provider": NOT_FOUND, "evaluator": NOT_FOUND}
STEP_ON_BID = WRITE_COUNTY_RECORD | {"evaluator": NOT_FOUND}
READ_PROVIDER_RECORD = READ_COUNTY_RECORD | {"provider": OK, "evaluator": OK}
WRITE_PROVIDER_RECORD = WRITE_COUNTY_RECORD | {"provider": OK}
READ_WRITERS = READ_CITY_WIDE | {"city_viewer": FORBIDDEN, "evaluator": FORBIDDEN, "api_client": FORBIDDEN}

PERMISSION_MATRIX = [
    Case("procurement:project_list", READ_CITY_WIDE),
    Case("procurement:project_create", CREATE_FORM),
    Case("procurement:project_detail", READ_PROVIDER_PROJECT, args=lambda n: [P(n)["project"].pk]),
    Case("procurement:project_edit", WRITE_COUNTY, args=lambda n: [P(n)["project"].pk]),
    Case("procurement:project_ocds", READ_PROVIDER_PROJECT, args=lambda n: [P(n)["project"].pk]),
    Case("procurement:award", STEP_ON_OPEN_PROJECT, args=lambda n: [P(n)["open_project"].pk]),
    Case("procurement:bid_create", STEP_ON_OPEN_PROJECT, args=lambda n: [P(n)["open_project"].pk]),
    Case("procurement:team_create", WRITE_COUNTY, args=lambda n: [P(n)["project"].pk]),
    Case("procurement:bid_detail", READ_COUNTY_RECORD, args=lambda n: [P(n)["bid"].pk]),
    Case("procurement:bid_edit", WRITE_COUNTY_RECORD, args=lambda n: [P(n)["bid"].pk]),
    Case("procurement:bid_score", STEP_ON_BID, args=lambda n: [P(n)["bid"].pk]),
    Case("procurement:bid_member_add", STEP_ON_BID, args=lambda n: [P(n)["bid"].pk]),
    Case("procurement:contract_list", READ_CITY_WIDE),
    Case("procurement:contract_detail", READ_PROVIDER_PROJECT, args=lambda n: [P(n)["contract"].pk]),
    Case("procurement:contract_edit", WRITE_COUNTY, args=lambda n: [P(n)["contract"].pk]),
    Case("procurement:contract_staff", WRITE_COUNTY | {"provider": OK}, args=lambda n: [P(n)["contract"].pk]),
    Case("procurement:evaluate", WRITE_COUNTY, args=lambda n: [P(n)["contract"].pk]),
    Case("procurement:staffing_remove", WRITE_PROVIDER_RECORD, args=lambda n: [P(n)["link"].pk]),
    Case("procurement:evaluation_list", READ_CITY_WIDE),
    Case("procurement:evaluation_detail", READ_PROVIDER_RECORD, args=lambda n: [P(n)["evaluation"].pk]),
    Case("procurement:payline_list", READ_CITY_WIDE),
    Case("procurement:payline_create", CREATE_FORM),
    Case("procurement:payline_detail", READ_PROVIDER_RECORD, args=lambda n: [P(n)["line"].pk]),
    Case("procurement:payline_edit", WRITE_PROVIDER_RECORD, args=lambda n: [P(n)["line"].pk]),
    Case("procurement:payline_template", READ_CITY_WIDE),
    Case("procurement:payline_import", READ_WRITERS),
    Case("procurement:fund_list", READ_CITY_WIDE),
    Case("procurement:fund_create", CREATE_FORM),
    Case("procurement:fund_edit", WRITE_COUNTY_RECORD, args=lambda n: [P(n)["fund"].pk]),
    Case("procurement:wage_list", READ_CITY_WIDE),
    Case("procurement:wage_create", CITY_ADMIN_ONLY),
    Case("procurement:wage_edit", CITY_ADMIN_ONLY, args=lambda n: [P(n)["today"].year]),
    Case("procurement:account_list", CITY_ADMIN_ONLY),
    Case(
        "procurement:provider_profile",
        READ_A1 | {"evaluator": OK},
        args=lambda n: [P(n)["provider"].pk],
    ),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)

ALL = ["city_admin", "city_viewer", "officer_a", "officer_b", "station_worker", "provider", "evaluator", "api_client"]
CITY = {"city_admin", "city_viewer"}
COUNTY_A = CITY | {"officer_a", "api_client"}


def _who(labels_by_group):
    def visible(n):
        out = {p: set() for p in ALL}
        for personas_, labels in labels_by_group:
            for p in personas_:
                out[p] |= labels
        return out

    return visible


PROJECTS = _who(
    [
        (COUNTY_A | {"station_worker", "provider", "evaluator"}, {"450222-P-001"}),
        (COUNTY_A | {"station_worker"}, {"450222-P-002"}),
        (CITY | {"officer_b"}, {"450223-P-001"}),
    ]
)
CONTRACTS = _who(
    [
        (COUNTY_A | {"station_worker", "provider", "evaluator"}, {"450222-P-001-C001"}),
        (CITY | {"officer_b"}, {"450223-P-001-C001"}),
    ]
)
PAY = _who([(COUNTY_A | {"provider", "evaluator"}, {"驻站w1"})])
FUNDS = _who([(COUNTY_A, {"1,000,000.00"})])

SCOPE_CASES = [
    ScopeCase("procurement:project_list", PROJECTS),
    ScopeCase("procurement:project_list", PROJECTS, mode="export"),
    ScopeCase("procurement:contract_list", CONTRACTS),
    ScopeCase("procurement:contract_list", CONTRACTS, mode="export"),
    ScopeCase("procurement:payline_list", PAY),
    ScopeCase("procurement:payline_list", PAY, mode="export"),
    ScopeCase("procurement:evaluation_list", _who([(COUNTY_A | {"provider", "evaluator"}, {"450222-P-001-C001"})])),
    ScopeCase("procurement:fund_list", FUNDS),
]
test_list_scope = list_scope_test(SCOPE_CASES)


@pytest.mark.django_db
def test_record_score_and_award_from_the_pages(client, personas, prc_full):
    prc = prc_full
    c = client_for(client, personas, "officer_a")
    project = prc["open_project"]
    url = reverse("procurement:bid_create", args=[project.pk])
    # A price of 0 and an organisation without social work: refused with the rules, nothing saved.
    from tests.factories import OrganisationFactory

    shop = OrganisationFactory(name="某商贸公司", county=project.county, scope_includes_social_work=False)
    response = c.post(url, {"organisation": shop.pk, "price": "0", "submitted_on": "2026-11-01"})
    assert response.status_code == 200
    errors = str(response.context["form"].errors)
    assert "PRC-2" in errors and "PRC-1" in errors
    assert Bid.objects.filter(project=project).count() == 1
    response = c.post(
        url, {"organisation": prc["bidders"]["和谐社工"].pk, "price": "450000", "submitted_on": "2026-11-01"}
    )
    assert response.status_code == 302
    good = Bid.objects.get(project=project, organisation=prc["bidders"]["和谐社工"])
    cheap = prc["bid"]
    for bid, score in ((cheap, "70"), (good, "90")):
        data = dict.fromkeys(["score_capability", "score_team", "score_plan", "score_assurance", "score_record"], score)
        if bid is good:
            bad = c.post(reverse("procurement:bid_score", args=[bid.pk]), data | {"score_plan": "101"})
            assert "PRC-1" in str(bad.context["form"].errors["score_plan"])
        assert c.post(reverse("procurement:bid_score", args=[bid.pk]), data).status_code == 302
    page = c.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="ranking"' in page and "20 %" in page
    award_url = reverse("procurement:award", args=[project.pk])
    refused = c.post(award_url, {"bid": cheap.pk, "reason": "价格最低"})
    assert "PRC-1" in str(refused.context["form"].errors)
    response = c.post(award_url, {"bid": good.pk, "reason": "综合得分最高"})
    assert response.status_code == 302
    award = Award.objects.get(project=project)
    assert award.bid == good and award.decided_by == personas["officer_a"]
    assert response["Location"] == award.contract.get_absolute_url()


@pytest.mark.django_db
def test_the_contract_page_shows_every_shortfall_with_its_rule(client, personas, prc_full):
    prc = prc_full
    page = client_for(client, personas, "officer_a").get(
        reverse("procurement:contract_detail", args=[prc["contract"].pk])
    )
    html = page.content.decode()
    findings = html.split('data-testid="findings"')[1].split("</div>")[0]
    # Pay 3,900 for an assistant social worker against 200 % of 2,000; A2 has one worker; no clause; no
    # supervision line.
    assert "PRC-3" in findings and "3,900.00" in findings and "4,000.00" in findings
    assert "PRC-2" in findings and "柳城县2镇" in findings
    assert "PRC-5" in findings and "SUP-1" in findings


@pytest.mark.django_db
def test_a_pay_line_entered_on_the_page_and_corrected_keeps_its_history(client, personas, prc_full):
    prc = prc_full
    c = client_for(client, personas, "provider")
    month = prc["today"].replace(day=1)
    data = {
        "contract": prc["contract"].pk,
        "worker": prc["workers"]["w2"].pk,
        "month": f"{month:%Y-%m}",
        "amount": "4599",
    }
    response = c.post(reverse("procurement:payline_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    line = PayLine.objects.get(worker=prc["workers"]["w2"])
    detail = c.get(reverse("procurement:payline_detail", args=[line.pk])).content.decode()
    assert "PRC-3" in detail and "4,600.00" in detail
    edit = reverse("procurement:payline_edit", args=[line.pk])
    assert c.post(edit, data | {"amount": "4600", "note": "补发"}).status_code == 302
    assert line.history.count() == 2
    # A worker not stationed under the contract, a month without a minimum wage: refused, nothing saved.
    from tests.factories import WorkerFactory

    outsider = WorkerFactory(place=prc["contract"].stations.first().place)
    bad = c.post(reverse("procurement:payline_create"), data | {"worker": outsider.pk})
    assert bad.status_code == 200
    assert PayLine.objects.count() == 2


@pytest.mark.django_db
def test_the_evaluation_step_and_the_provider_profile(client, personas, prc_full):
    prc = prc_full
    c = client_for(client, personas, "officer_a")
    url = reverse("procurement:evaluate", args=[prc["contract"].pk])
    data = {
        "team": prc["team"].pk,
        "kind": "final",
        "evaluated_on": prc["today"].isoformat(),
        "findings": "驻站社工配备不足",
        **dict.fromkeys(
            ["score_management", "score_staffing", "score_services", "score_satisfaction", "score_funds"], "80"
        ),
        "score_supervision": "-3",
    }
    assert "PRC-4" in str(c.post(url, data).context["form"].errors)
    assert c.post(url, data | {"score_supervision": "86"}).status_code == 302
    assert Evaluation.objects.filter(contract=prc["contract"]).count() == 2
    profile = c.get(reverse("procurement:provider_profile", args=[prc["provider"].pk])).content.decode()
    assert "83.00" in profile  # the mean of 85 (mid-term) and 81 (final)
    bid_page = c.get(reverse("procurement:bid_detail", args=[prc["bid"].pk])).content.decode()
    assert 'data-testid="record"' in bid_page


@pytest.mark.django_db
def test_a_text_with_a_control_character_is_refused_naming_the_field(client, personas, prc_full):
    c = client_for(client, personas, "officer_a")
    response = c.post(
        reverse("procurement:fund_create"),
        {"county": prc_full["fund"].county_id, "year": "2025", "assistance_funds": "500000", "note": "备\x0b注"},
    )
    assert response.status_code == 200 and "note" in response.context["form"].errors
    assert CountyFund.objects.count() == 1


@pytest.mark.django_db
def test_the_fund_page_flags_a_county_over_two_per_cent(client, personas, prc_full):
    Project.objects.filter(pk=prc_full["open_project"].pk).update(fund_assistance=Decimal("20000.01"))
    page = client_for(client, personas, "officer_a").get(reverse("procurement:fund_list")).content.decode()
    status = page.split('data-testid="fund-status"')[1].split("</table>")[0]
    assert "FUND-1" in status and "20,000.01" in status
    # The project's page flags its county and budget year too.
    project_page = client_for(client, personas, "officer_a").get(
        reverse("procurement:project_detail", args=[prc_full["open_project"].pk])
    )
    share = project_page.content.decode().split('data-testid="fund-share"')[1].split("</p>")[0]
    assert "FUND-1" in share and "2 %" in share


@pytest.mark.django_db
def test_the_deadline_list_shows_the_contract(client, personas, prc_full):
    from workforce.models import Assignment

    today = prc_full["today"]
    Assignment.objects.filter(worker=prc_full["workers"]["w0"]).update(start_on=today - datetime.timedelta(days=800))
    Contract.objects.filter(pk=prc_full["contract"].pk).update(start_on=today - datetime.timedelta(days=800))
    page = client_for(client, personas, "officer_a").get(reverse("workforce:deadline_list")).content.decode()
    assert "450222-P-001-C001" in page.split('data-testid="deadlines"')[1]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["procurement:project_list", "procurement:contract_list", "procurement:payline_list"])
def test_list_query_counts_are_pinned(client, personas, prc_full, url, django_assert_max_num_queries):
    c = client_for(client, personas, "officer_a")
    c.get(reverse(url))
    with django_assert_max_num_queries(16):
        assert c.get(reverse(url)).status_code == 200

"""The procurement services: every bad input of the issue refused with the rule and the field, nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from procurement import services
from procurement.choices import QUALITY_FIELDS, EvaluationKind, ProjectStatus
from procurement.models import Award, Bid, Contract, EvaluationTeam, PayLine, Project
from tests.factories import OrganisationFactory, WorkerFactory

from .conftest import month, pay

pytestmark = pytest.mark.django_db
D = datetime.date


def _errors(exc) -> dict:
    return exc.value.message_dict


def _project_data(network, **over):
    return {
        "name": "测试项目",
        "county": network["county_a"],
        "service_start": D(2026, 1, 1),
        "service_end": D(2027, 12, 31),
        "fund_department": Decimal(100000),
    } | over


def test_a_project_of_four_years_is_refused(prc, network, personas):
    before = Project.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.project_save(
            user=personas["officer_a"],
            data=_project_data(network, service_end=D(2029, 12, 31)),
            stations=[network["station_a1"]],
        )
    assert _errors(exc)["service_end"][0].startswith("PRC-5")
    assert Project.objects.count() == before


def test_a_project_with_a_station_of_another_county_is_refused(prc, network, personas):
    with pytest.raises(ValidationError) as exc:
        services.project_save(user=personas["officer_a"], data=_project_data(network), stations=[network["station_b1"]])
    assert "鹿寨县1镇" in _errors(exc)["stations"][0]


def test_a_project_gets_its_number_purchaser_and_budget_year(prc, network, personas):
    p = services.project_save(
        user=personas["officer_a"],
        data=_project_data(network, formal_procurement=True, procurement_method="open_tendering"),
        stations=[network["station_a1"]],
    )
    assert p.number.startswith("450222-2026-") and p.purchaser == "柳城县民政局" and p.budget_year == 2026
    with pytest.raises(ValidationError) as exc:
        services.project_save(
            user=personas["officer_a"],
            data=_project_data(network, formal_procurement=True),
            stations=[network["station_a1"]],
        )
    assert "procurement_method" in _errors(exc)


def test_a_bid_from_an_organisation_without_social_work_scope_is_refused(prc, network, personas):
    org = OrganisationFactory(name="某咨询公司", county=network["county_a"], scope_includes_social_work=False)
    with pytest.raises(ValidationError) as exc:
        services.bid_save(
            user=personas["officer_a"],
            project=prc["open_project"],
            data={"organisation": org, "price": Decimal(100000), "submitted_on": prc["today"]},
        )
    assert _errors(exc)["organisation"][0].startswith("PRC-2")
    assert not Bid.objects.filter(organisation=org).exists()


@pytest.mark.parametrize("price", [Decimal(0), Decimal(-5)])
def test_a_price_of_zero_or_below_is_refused(prc, personas, price):
    with pytest.raises(ValidationError) as exc:
        services.bid_save(
            user=personas["officer_a"],
            project=prc["open_project"],
            data={"organisation": prc["bidders"]["同心社工"], "price": price, "submitted_on": prc["today"]},
        )
    assert _errors(exc)["price"][0].startswith("PRC-1")


def test_scores_outside_their_range_are_refused_and_nothing_is_saved(prc, personas):
    bid = services.bid_save(
        user=personas["officer_a"],
        project=prc["open_project"],
        data={"organisation": prc["bidders"]["同心社工"], "price": Decimal(400000), "submitted_on": prc["today"]},
    )
    scores = dict.fromkeys(QUALITY_FIELDS.values(), Decimal(80)) | {"score_plan": Decimal(101)}
    with pytest.raises(ValidationError) as exc:
        services.bid_score(user=personas["officer_a"], bid=bid, scores=scores)
    assert _errors(exc)["score_plan"][0].startswith("PRC-1")
    bid.refresh_from_db()
    assert bid.score_capability is None


def _scored_bid(prc, personas, name, price, quality):
    bid = services.bid_save(
        user=personas["officer_a"],
        project=prc["open_project"],
        data={"organisation": prc["bidders"][name], "price": Decimal(price), "submitted_on": prc["today"]},
    )
    return services.bid_score(
        user=personas["officer_a"], bid=bid, scores=dict.fromkeys(QUALITY_FIELDS.values(), Decimal(quality))
    )


def test_the_award_goes_to_the_first_and_draws_up_the_contract(prc, personas):
    cheap = _scored_bid(prc, personas, "同心社工", 300000, 80)
    good = _scored_bid(prc, personas, "和谐社工", 450000, 92)
    with pytest.raises(ValidationError) as exc:  # the lowest price, beaten on quality
        services.award_decide(user=personas["officer_a"], project=prc["open_project"], bid=cheap, reason="价低")
    assert _errors(exc)["bid"][0].startswith("PRC-1")
    award = services.award_decide(user=personas["officer_a"], project=prc["open_project"], bid=good, reason="综合最优")
    assert award.decided_by == personas["officer_a"] and award.ranking[0]["bid"] == good.pk
    project = Project.objects.get(pk=prc["open_project"].pk)
    assert project.status == ProjectStatus.AWARDED
    contract = award.contract
    assert contract.provider == good.organisation and contract.value == good.price
    assert list(contract.stations.all()) == list(project.stations.all())
    with pytest.raises(ValidationError):  # once
        services.award_decide(user=personas["officer_a"], project=project, bid=good, reason="再次")


def test_an_evaluator_holding_a_station_contract_is_refused_and_the_reverse(prc, personas):
    # The provider holds contract C001: it may not evaluate.
    with pytest.raises(ValidationError) as exc:
        services.evaluation_team_assign(
            user=personas["officer_a"],
            project=prc["open_project"],
            data={
                "organisation": prc["provider"],
                "purchaser_members": "韦某",
                "start_on": prc["today"],
                "end_on": prc["today"] + datetime.timedelta(days=100),
            },
        )
    message = _errors(exc)["organisation"][0]
    assert message.startswith("PRC-4") and "450222-P-001-C001" in message
    # The evaluator organisation bids and wins on scores, but it evaluates: no award.
    evaluator = prc["evaluator_org"]
    evaluator.scope_includes_social_work = True
    evaluator.save()
    bid = services.bid_save(
        user=personas["officer_a"],
        project=prc["open_project"],
        data={"organisation": evaluator, "price": Decimal(400000), "submitted_on": prc["today"]},
    )
    services.bid_score(user=personas["officer_a"], bid=bid, scores=dict.fromkeys(QUALITY_FIELDS.values(), 95))
    with pytest.raises(ValidationError) as exc:
        services.award_decide(
            user=personas["officer_a"], project=prc["open_project"], bid=bid, reason="最高分", departure_reason="x"
        )
    assert "PRC-4" in _errors(exc)["bid"][0] and "450222-P-001" in _errors(exc)["bid"][0]
    assert not Award.objects.filter(project=prc["open_project"]).exists()


def test_a_contract_with_stations_of_another_county_is_refused(prc, network, personas):
    contract = prc["contract"]
    with pytest.raises(ValidationError) as exc:
        services.contract_save(user=personas["officer_a"], contract=contract, data={}, stations=[network["station_b1"]])
    assert _errors(exc)["stations"][0].startswith("PRC-5")
    assert set(Contract.objects.get(pk=contract.pk).stations.all()) == {network["station_a1"], network["station_a2"]}


def test_a_contract_of_four_years_is_refused(prc, personas):
    contract = prc["contract"]
    with pytest.raises(ValidationError) as exc:
        services.contract_save(
            user=personas["officer_a"],
            contract=contract,
            data={"end_on": contract.start_on + datetime.timedelta(days=1461)},
        )
    assert _errors(exc)["end_on"][0].startswith("PRC-5")


def test_a_pay_line_for_a_worker_not_stationed_under_the_contract_is_refused(prc, network):
    outsider = WorkerFactory(place=network["township_a1"])
    with pytest.raises(ValidationError) as exc:
        services.payline_save(
            user=None,
            data={"contract": prc["contract"], "worker": outsider, "month": month(prc["today"]), "amount": 5000},
        )
    assert _errors(exc)["worker"][0].startswith("PRC-3")
    assert not PayLine.objects.exists()


def test_a_pay_line_without_a_minimum_wage_for_its_year_is_refused(prc):
    from procurement.models import MinimumWage

    MinimumWage.objects.filter(year=prc["today"].year).delete()
    with pytest.raises(ValidationError) as exc:
        pay(prc)
    assert _errors(exc)["month"][0].startswith("PRC-3") and str(prc["today"].year) in _errors(exc)["month"][0]


def test_a_pay_line_below_its_floor_is_saved_as_a_finding_until_corrected(prc, personas):
    from procurement.selectors import contract_review

    line = pay(prc, "w1", Decimal(3999))  # assistant social worker: floor 4,000
    review = contract_review(prc["contract"])
    assert [f.rule for f in review.findings if f.kind == "pay"] == ["PRC-3"]
    services.payline_save(user=personas["officer_a"], data={"amount": Decimal(4000), "note": "补发1元"}, line=line)
    review = contract_review(prc["contract"])
    assert not [f for f in review.findings if f.kind == "pay"]
    assert [h.amount for h in line.history.order_by("history_date")] == [Decimal(3999), Decimal(4000)]


def test_an_evaluation_with_scores_out_of_range_is_refused(prc, personas):
    data = {
        "team": prc["team"],
        "kind": EvaluationKind.MID_TERM,
        "evaluated_on": prc["today"],
        **{
            f: Decimal(80)
            for f in ("score_management", "score_staffing", "score_services", "score_satisfaction", "score_funds")
        },
        "score_supervision": Decimal(120),
    }
    with pytest.raises(ValidationError) as exc:
        services.evaluation_record(user=personas["officer_a"], contract=prc["contract"], data=data)
    assert _errors(exc)["score_supervision"][0].startswith("PRC-4")
    data["score_supervision"] = Decimal(90)
    e = services.evaluation_record(user=personas["officer_a"], contract=prc["contract"], data=data)
    assert e.total == Decimal("81.67")


def test_linking_an_assignment_of_another_provider_is_refused(prc, network, personas):
    from tests.factories import AssignmentFactory

    other = OrganisationFactory(county=network["county_a"])
    a = AssignmentFactory(
        worker=WorkerFactory(place=network["township_a1"]),
        station=network["station_a1"],
        organisation=other,
        start_on=prc["contract"].start_on,
    )
    with pytest.raises(ValidationError) as exc:
        services.contract_assignment_link(user=personas["officer_a"], contract=prc["contract"], assignment=a)
    assert _errors(exc)["assignment"][0].startswith("PRC-2")


def test_team_periods_overlap_check_only_counts_overlapping_contracts(prc, personas):
    later = prc["contract"].end_on + datetime.timedelta(days=10)
    team = services.evaluation_team_assign(
        user=personas["officer_a"],
        project=prc["open_project"],
        data={"organisation": prc["provider"], "purchaser_members": "韦某", "start_on": later, "end_on": later},
    )
    assert EvaluationTeam.objects.filter(pk=team.pk).exists()

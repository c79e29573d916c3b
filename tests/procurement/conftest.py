"""A procurement scenario on the shared network (tests/conftest.py).

County A (柳城县): the provider persona's organisation 启航社会工作服务中心 holds contract 450222-P-001-C001 covering
stations A1 and A2, in force from a year ago to a year from now (built with the personas). Here: the city minimum
wages (2,000 yuan a month, so the floors are 3,200 / 4,000 / 4,600 yuan), three workers stationed at A1 under that
contract (uncertified, assistant social worker, social worker) and one at A2; the evaluator persona's organisation
评估中心 evaluating the project; a project in county A receiving bids; a project and contract in county B.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.models import (
    Contract,
    ContractAssignment,
    CountyFund,
    EvaluationTeam,
    MinimumWage,
    OrganisationAccount,
    PayLine,
    Project,
)
from tests.factories import AssignmentFactory, OrganisationFactory, QualificationFactory, WorkerFactory
from workforce.models import Organisation
from workforce.services import certified_spans_refresh

WAGE = Decimal(2000)


def month(d: datetime.date) -> datetime.date:
    return d.replace(day=1)


@pytest.fixture
def prc(network, personas):
    personas.all()  # the records below assume every account (the provider's contract)
    today = timezone.localdate()
    n = network
    for year in range(today.year - 3, today.year + 3):
        MinimumWage.objects.create(year=year, monthly=WAGE, is_demo_value=True)
    contract = Contract.objects.get(number="450222-P-001-C001")
    provider = contract.provider
    project = contract.project
    start = contract.start_on
    workers = {}
    for key, station, grade in (
        ("w0", "station_a1", None),
        ("w1", "station_a1", 1),
        ("w2", "station_a1", 2),
        ("w3", "station_a2", None),
    ):
        w = WorkerFactory(name=f"驻站{key}", place=n[f"township_{station[-2:]}"], organisation=provider)
        if grade:
            QualificationFactory(worker=w, grade=grade, obtained_on=datetime.date(2019, 5, 1))
        a = AssignmentFactory(worker=w, station=n[station], organisation=provider, start_on=start)
        ContractAssignment.objects.create(contract=contract, assignment=a)
        workers[key] = w
    certified_spans_refresh()
    evaluator_org = OrganisationFactory(name="评估中心", county=n["county_a"], scope_includes_social_work=False)
    OrganisationAccount.objects.create(user=personas["evaluator"], organisation=evaluator_org)
    team = EvaluationTeam.objects.create(
        project=project,
        organisation=evaluator_org,
        purchaser_members="柳城县民政局 韦某",
        start_on=project.service_start,
        end_on=project.service_end,
    )
    open_project = Project.objects.create(
        number="450222-P-002",
        name="柳城县未成年人保护服务项目",
        county=n["county_a"],
        purchaser="柳城县民政局",
        service_start=today + datetime.timedelta(days=30),
        service_end=today + datetime.timedelta(days=30) + datetime.timedelta(days=729),
        budget_year=today.year,
        fund_assistance=Decimal(20000),
        fund_department=Decimal(480000),
    )
    open_project.stations.set([n["station_a1"]])
    bidders = {
        name: OrganisationFactory(name=name, county=n["county_a"]) for name in ("同心社工", "和谐社工", "仁爱社工")
    }
    org_b = OrganisationFactory(name="鹿寨益民社工", county=n["county_b"])
    project_b = Project.objects.create(
        number="450223-P-001",
        name="鹿寨县社工站服务项目",
        county=n["county_b"],
        purchaser="鹿寨县民政局",
        service_start=start,
        service_end=contract.end_on,
        budget_year=start.year,
        fund_department=Decimal(300000),
    )
    project_b.stations.set([n["station_b1"]])
    contract_b = Contract.objects.create(
        number="450223-P-001-C001",
        project=project_b,
        provider=org_b,
        start_on=start,
        end_on=contract.end_on,
        value=Decimal(300000),
    )
    contract_b.stations.set([n["station_b1"]])
    fund = CountyFund.objects.create(county=n["county_a"], year=today.year, assistance_funds=Decimal(1000000))
    n["prc"] = {
        "today": today,
        "contract": contract,
        "provider": provider,
        "project": project,
        "workers": workers,
        "team": team,
        "evaluator_org": evaluator_org,
        "open_project": open_project,
        "bidders": bidders,
        "contract_b": contract_b,
        "project_b": project_b,
        "org_b": org_b,
        "fund": fund,
    }
    return n["prc"]


@pytest.fixture
def prc_full(prc, personas):
    """The scenario with a bid on the open project, a pay line of this month and a mid-term evaluation."""
    from procurement.choices import EVALUATION_FIELDS, EvaluationKind
    from procurement.services import bid_save, evaluation_record

    prc["bid"] = bid_save(
        user=personas["officer_a"],
        project=prc["open_project"],
        data={"organisation": prc["bidders"]["同心社工"], "price": Decimal(400000), "submitted_on": prc["today"]},
    )
    prc["line"] = pay(prc, "w1", Decimal(3900))
    prc["evaluation"] = evaluation_record(
        user=personas["officer_a"],
        contract=prc["contract"],
        data={
            "team": prc["team"],
            "kind": EvaluationKind.MID_TERM,
            "evaluated_on": prc["today"],
            **dict.fromkeys(EVALUATION_FIELDS.values(), Decimal(85)),
        },
    )
    prc["link"] = ContractAssignment.objects.filter(contract=prc["contract"]).first()
    return prc


def pay(prc, key="w1", amount=Decimal(4000), on=None) -> PayLine:
    """A pay line of a worker of the scenario for the month of ``on`` (default: this month)."""
    from procurement.services import payline_save

    on = on or prc["today"]
    return payline_save(
        user=None,
        data={"contract": prc["contract"], "worker": prc["workers"][key], "month": month(on), "amount": amount},
    )


__all__ = ["Organisation", "pay"]

"""Demo procurement on the real Liuzhou tree: a purchase project per county-level unit covering its stations, bids
scored and awarded, the contract with its staffing and a year of pay lines, evaluation teams and evaluations, the
counties' social-assistance funds, the city minimum wages (demo values, marked as such), and a few deliberate
shortfalls to find: a pay line below its floor at 大埔镇, a contract missing clauses, a management fee over its cap,
a contract without a supervision line, a county over the 2 % assistance-fund share, an expired contract whose final
evaluation came late.

The provider-staff demo account works for 柳城县阳光社会工作服务中心, which holds the contract for 大埔镇 and one more
station of 柳城县 (and an expired one for a third); the evaluator account for 柳州市社会工作评估中心, which evaluates
that project. Idempotent: nothing is added once a project exists.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from network.choices import PlaceLevel
from network.models import Place, User
from stations.models import Station
from workforce.choices import AssignmentRole
from workforce.identifiers import make_credit_code
from workforce.models import Assignment, Organisation

from . import services
from .choices import CLAUSE_FIELDS, EVALUATION_FIELDS, QUALITY_FIELDS, EvaluationKind, ProcurementMethod
from .models import Contract, CountyFund, MinimumWage, OrganisationAccount, PayLine, Project

# Placeholders for the city minimum wage (not official figures; the city enters its own).
DEMO_WAGES = {2020: 1810, 2021: 1810, 2022: 1810, 2023: 1990, 2024: 1990, 2025: 1990, 2026: 2100, 2027: 2100}
PROVIDER_ORG = "柳城县阳光社会工作服务中心"
EVALUATOR_ORG = "柳州市社会工作评估中心"
DAPU = "450222100000"  # 柳城县大埔镇
OVER_SHARE_COUNTY = "450223000000"  # 鹿寨县: social-assistance funds over the 2 % share
MISSING_CLAUSES_COUNTY = "450224000000"  # 融安县: funds and evaluation clauses missing
FEE_OVER_COUNTY = "450225000000"  # 融水县: management fee over the cap
NO_SUPERVISION_COUNTY = "450226000000"  # 三江县: no supervision budget line


def _org(name, county_code, seq, *, social_work=True):
    org = Organisation.objects.filter(name=name).first()
    if org is None:
        org = Organisation.objects.create(
            name=name,
            credit_code=make_credit_code(county_code, 900 + seq),
            county_id=county_code,
            registered_on=datetime.date(2019, 6, 1),
            scope_includes_social_work=social_work,
            incubated_year=2019,
        )
    return org


def build(rng, out) -> None:
    if Project.objects.exists():
        return
    today = timezone.localdate()
    admin = User.objects.filter(username="city_admin").first() or User.objects.filter(is_superuser=True).first()
    if admin is None or not Station.objects.exists():
        out("procurement: no accounts or stations; load the network first")
        return
    for year, monthly in DEMO_WAGES.items():
        MinimumWage.objects.get_or_create(
            year=year, defaults={"monthly": monthly, "is_demo_value": True, "note": "演示数值，非官方标准"}
        )
    for year in range(today.year - 1, today.year + 2):
        MinimumWage.objects.get_or_create(
            year=year, defaults={"monthly": 2100, "is_demo_value": True, "note": "演示数值，非官方标准"}
        )
    provider = _org(PROVIDER_ORG, "450222000000", 1)
    evaluator = _org(EVALUATOR_ORG, "450202000000", 2, social_work=False)
    for username, org in (("provider_staff", provider), ("evaluator", evaluator)):
        user = User.objects.filter(username=username).first()
        if user is not None:
            OrganisationAccount.objects.get_or_create(user=user, defaults={"organisation": org})

    start = datetime.date(today.year - 1, 1, 1)
    end = datetime.date(today.year + 1, 12, 31)
    counties = list(Place.objects.filter(level=PlaceLevel.COUNTY, code__startswith="4502").order_by("code"))
    contracts: list[Contract] = []
    for i, county in enumerate(counties):
        stations = list(Station.objects.filter(place__parent=county).select_related("place").order_by("place_id"))
        if not stations:
            continue
        short = county.name.split("（")[0]
        groups = [(f"{short}乡镇（街道）社工站服务项目", stations, None)]
        if county.code == "450222000000":  # 阳光 holds 大埔镇 and the next station; the county project the rest
            first = [s for s in stations if s.place_id >= DAPU][:2]
            groups = [
                (f"{short}乡镇（街道）社工站服务项目", [s for s in stations if s not in first], None),
                (f"{short}大埔镇等社工站服务项目", first, provider),
            ]
        for name, covered, winner in groups:
            if not covered:
                continue
            contracts.append(_project(rng, admin, county, name, covered, start, end, winner, evaluator, i, today=today))
        CountyFund.objects.get_or_create(
            county=county, year=today.year, defaults={"assistance_funds": Decimal(3000000), "note": "演示数值"}
        )
        CountyFund.objects.get_or_create(
            county=county, year=today.year - 1, defaults={"assistance_funds": Decimal(2800000), "note": "演示数值"}
        )
    _expired(rng, admin, provider, evaluator, today)
    lines = _pay_lines(contracts, today)
    out(f"procurement: {Project.objects.count()} projects, {Contract.objects.count()} contracts, {lines} pay lines")


def _project(rng, admin, county, name, stations, start, end, winner, evaluator, i, *, today) -> Contract:
    # 2 % of the demo's 3,000,000 yuan of special funds is 60,000: 鹿寨县 goes over, 柳城县's two projects stay within.
    assistance = {OVER_SHARE_COUNTY: Decimal(84000), "450222000000": Decimal(20000)}.get(county.code, Decimal(40000))
    budget = Decimal(150000) * len(stations)
    project = services.project_save(
        user=admin,
        data={
            "name": name,
            "county": county,
            "service_start": start,
            "service_end": end,
            "budget_year": today.year,
            "fund_assistance": assistance,
            "fund_lottery": Decimal(100000),
            "fund_department": budget - assistance - Decimal(100000),
            "formal_procurement": True,
            "procurement_method": ProcurementMethod.COMPETITIVE_CONSULTATION
            if i % 2
            else ProcurementMethod.OPEN_TENDERING,
            "description": "依托乡镇（街道）社工站开展社会救助、儿童关爱、养老服务等社会工作服务。",
        },
        stations=stations,
    )
    services.evaluation_team_assign(
        user=admin,
        project=project,
        data={
            "organisation": evaluator,
            "purchaser_members": f"{county.name}民政局 股室负责人",
            "start_on": start,
            "end_on": end,
        },
    )
    bidders = list(
        Organisation.objects.filter(county=county, scope_includes_social_work=True)
        .exclude(name=PROVIDER_ORG)
        .order_by("name")[:3]
    )
    if winner is not None:
        bidders = [winner, *bidders[:1]]
    bids = []
    for k, org in enumerate(bidders):
        bid = services.bid_save(
            user=admin,
            project=project,
            data={
                "organisation": org,
                "price": budget * Decimal("0.95") - Decimal(20000) * k,
                "submitted_on": start - datetime.timedelta(days=40),
                "summary": "派驻持证社工，建立督导与培训机制。",
            },
        )
        quality = Decimal(92 - 6 * k) if winner is None or org == winner else Decimal(80)
        services.bid_score(user=admin, bid=bid, scores=dict.fromkeys(QUALITY_FIELDS.values(), quality))
        bids.append(bid)
    award = services.award_decide(
        user=admin,
        project=project,
        bid=bids[0],
        reason="综合得分最高：服务方案完整、驻站团队持证比例高。",
        decided_on=start - datetime.timedelta(days=20),
    )
    contract = award.contract
    data = dict.fromkeys(CLAUSE_FIELDS.values(), True) | {
        "signed_on": start - datetime.timedelta(days=10),
        "management_fee": (contract.value * Decimal("0.08")).quantize(Decimal("0.01")),
        "supervision_budget": Decimal(12000) * len(stations),
    }
    if county.code == MISSING_CLAUSES_COUNTY:
        data |= {"clause_funds": False, "clause_evaluation": False}
    if county.code == FEE_OVER_COUNTY:
        data["management_fee"] = (contract.value * Decimal("0.12")).quantize(Decimal("0.01"))
    if county.code == NO_SUPERVISION_COUNTY:
        data["supervision_budget"] = Decimal(0)
    services.contract_save(user=admin, contract=contract, data=data)
    # The stationed workers of these stations are employed by the provider that won them.
    Assignment.objects.filter(role=AssignmentRole.STATIONED, station__in=stations, end_on__isnull=True).update(
        organisation=contract.provider
    )
    services.contract_assignments_link_matching(user=None, contract=contract)
    team = project.evaluation_teams.first()
    services.evaluation_record(
        user=admin,
        contract=contract,
        data={
            "team": team,
            "kind": EvaluationKind.MID_TERM,
            "evaluated_on": datetime.date(today.year, 6, 30) if today.month > 6 else today,
            "findings": "服务台账完整；部分社工站驻站社工不足两人。",
            **{f: Decimal(rng.randint(75, 92)) for f in EVALUATION_FIELDS.values()},
        },
    )
    return contract


def _expired(rng, admin, provider, evaluator, today) -> None:
    """阳光's earlier contract for a third 柳城县 station, ended last year; its final evaluation came late."""
    station = Station.objects.filter(place__parent_id="450222000000").order_by("place_id").last()
    start, end = datetime.date(today.year - 3, 1, 1), datetime.date(today.year - 1, 6, 30)
    project = services.project_save(
        user=admin,
        data={
            "name": "柳城县社工站试点服务项目",
            "county": station.place.parent,
            "service_start": start,
            "service_end": end,
            "budget_year": start.year,
            "fund_department": Decimal(180000),
        },
        stations=[station],
    )
    team = services.evaluation_team_assign(
        user=admin,
        project=project,
        data={"organisation": evaluator, "purchaser_members": "柳城县民政局", "start_on": start, "end_on": end},
    )
    bid = services.bid_save(
        user=admin,
        project=project,
        data={"organisation": provider, "price": Decimal(170000), "submitted_on": start - datetime.timedelta(days=30)},
    )
    services.bid_score(user=admin, bid=bid, scores=dict.fromkeys(QUALITY_FIELDS.values(), Decimal(85)))
    contract = services.award_decide(user=admin, project=project, bid=bid, reason="唯一有效投标，得分合格。").contract
    services.contract_save(
        user=admin,
        contract=contract,
        data=dict.fromkeys(CLAUSE_FIELDS.values(), True)
        | {"management_fee": Decimal(12000), "supervision_budget": Decimal(10000)},
    )
    services.evaluation_record(
        user=admin,
        contract=contract,
        data={
            "team": team,
            "kind": EvaluationKind.FINAL,
            "evaluated_on": end - datetime.timedelta(days=10),  # due a month before the end: late
            "findings": "终期评估晚于合同结束前一个月。",
            **dict.fromkeys(EVALUATION_FIELDS.values(), Decimal(84)),
        },
    )


def _pay_lines(contracts: list[Contract], today: datetime.date) -> int:
    """A pay line a month this year for every stationed worker under contract at 240 % of the minimum wage (above
    every floor); at 大埔镇 one worker's pay of this month is one yuan below 160 %, the lowest floor, so below the
    floor of whatever grade the worker holds: the deliberate PRC-3 finding."""
    wages = dict(MinimumWage.objects.values_list("year", "monthly"))
    lines = []
    months = [datetime.date(today.year, m, 1) for m in range(1, today.month + 1)]
    short_done = False
    for contract in contracts:
        for link in contract.staffing.select_related("assignment__station").order_by(
            "assignment__station__place_id", "id"
        ):
            a = link.assignment
            for month in months:
                if a.start_on > month.replace(day=28) or (a.end_on and a.end_on < month):
                    continue
                wage = wages[month.year]
                amount = (wage * Decimal("2.4")).quantize(Decimal(1))
                if not short_done and a.station.place_id == DAPU and month == months[-1]:
                    amount = (wage * Decimal("1.6")).quantize(Decimal(1)) - 1  # one yuan below even the lowest floor
                    short_done = True
                lines.append(
                    PayLine(
                        contract=contract, worker_id=a.worker_id, station_id=a.station_id, month=month, amount=amount
                    )
                )
    bulk_create_with_history(lines, PayLine, batch_size=2000)
    return len(lines)

"""Reads on procurement: the ranking of a project's bids, a contract's findings, pay lines with their floors, the
FUND-1 share per county and year, evaluations due, a provider's record. Each calls the rule functions of
``procurement.rules``; set-based reads (pay lines of a county-month) run in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from network.rule_settings import rule_int
from stations.models import Station

from . import rules
from .choices import CLAUSE_FIELDS, QUALITY_FIELDS, EvaluationKind
from .models import (
    Bid,
    Contract,
    ContractAssignment,
    Evaluation,
    EvaluationTeam,
    MinimumWage,
    PayLine,
    Project,
    in_force_q,
)

# --- PRC-1: the ranking -------------------------------------------------------------------------------------


def bid_invalid_reason(bid: Bid, project: Project) -> str:
    """Why a bid is not valid for scoring: a price above the budget, a bidder that evaluates (PRC-4), a bidder whose
    business scope does not include social work (PRC-2)."""
    from .services import prc4_evaluation_conflict

    if not bid.organisation.scope_includes_social_work:
        return _("PRC-2: the bidder's business scope does not include social work")
    if bid.price > project.budget_total:
        return _("the price is above the project's budget of %(b)s yuan") % {"b": f"{project.budget_total:,.2f}"}
    conflict = prc4_evaluation_conflict(
        organisation=bid.organisation, start_on=project.service_start, end_on=project.service_end
    )
    return conflict.rstrip("。.") if conflict else ""


def project_ranking(project: Project) -> rules.Ranking:
    bids = list(project.bids.select_related("organisation").order_by("id"))
    facts = [
        rules.BidFacts(
            id=b.pk,
            label=b.organisation.name,
            price=b.price,
            quality=rules.prc1_quality_total({f: getattr(b, f) for f in QUALITY_FIELDS.values()}),
            invalid=bid_invalid_reason(b, project),
        )
        for b in bids
    ]
    return rules.prc1_rank(facts)


@dataclass
class ProviderRecord:
    """PRC-4: what the evaluations of a provider's earlier contracts say (shown beside its bids, on its profile)."""

    evaluations: list = field(default_factory=list)
    mean: Decimal | None = None


def provider_records(organisation_ids, *, before_project: Project | None = None) -> dict[int, ProviderRecord]:
    """{organisation id: its evaluations (final and mid-term) of earlier contracts, newest first, and their mean}."""
    qs = Evaluation.objects.filter(contract__provider_id__in=list(organisation_ids)).select_related("contract__project")
    if before_project is not None:
        qs = qs.exclude(contract__project=before_project)
    out: dict[int, ProviderRecord] = defaultdict(ProviderRecord)
    for e in qs.order_by("-evaluated_on"):
        out[e.contract.provider_id].evaluations.append(e)
    for record in out.values():
        record.mean = (sum(e.total for e in record.evaluations) / len(record.evaluations)).quantize(rules.CENT)
    return out


# --- PRC-3: pay lines and their floors ---------------------------------------------------------------------------


def pay_lines_with_floor(qs: QuerySet) -> QuerySet:
    """Pay lines annotated with ``grade`` (held on the first day of the month, from the certified periods), ``wage``
    (the city minimum wage of the month's year, NULL when missing) and ``meets_floor`` (PRC-3, the SQL form)."""
    table = PayLine._meta.db_table
    grade_sql = rules.prc3_grade_sql(worker=f'"{table}"."worker_id"', on=f'"{table}"."month"')
    wage_sql = (
        f"(SELECT w.monthly FROM {MinimumWage._meta.db_table} w "
        f'WHERE w.year = CAST(EXTRACT(YEAR FROM "{table}"."month") AS integer))'
    )
    ok_sql, ok_params = rules.prc3_pay_ok_sql(amount=f'"{table}"."amount"', grade=grade_sql, wage=wage_sql)
    return qs.annotate(
        grade=RawSQL(grade_sql, [], output_field=IntegerField()),
        wage=Subquery(MinimumWage.objects.filter(year=OuterRef("month__year")).values("monthly")[:1]),
        meets_floor=RawSQL(f"COALESCE({ok_sql}, false)", ok_params, output_field=BooleanField()),
    )


@dataclass
class PayCheck:
    line: PayLine
    grade: int
    wage: Decimal | None
    floor: Decimal | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def pay_check(lines) -> list[PayCheck]:
    """PRC-3 for each pay line (annotated by ``pay_lines_with_floor``), with the Python rule and its numbers."""
    out = []
    for line in lines:
        grade = line.grade or 0
        floor = rules.prc3_floor(grade, line.wage) if line.wage is not None else None
        problem = rules.prc3_pay_problem(amount=line.amount, grade=grade, minimum_wage=line.wage, year=line.month.year)
        out.append(PayCheck(line, grade, line.wage, floor, problem))
    return out


def county_month_pay_check(*, county_code: str, month: datetime.date) -> list[PayCheck]:
    """PRC-3 for every pay line of a county-level unit and a month: one query (the benchmark measures this)."""
    prefix = county_code[:6]
    # A range of equal-length digit strings, not LIKE: it uses the index on the station's place in any collation.
    stations = Station.objects.filter(place_id__gte=prefix + "000000", place_id__lte=prefix + "999999")
    qs = pay_lines_with_floor(
        PayLine.objects.filter(station__in=stations.values("pk"), month=month.replace(day=1))
    ).select_related("worker", "station__place", "contract")
    return pay_check(qs.order_by("station__place_id", "worker__name", "id"))


# --- A contract's findings ----------------------------------------------------------------------------------


@dataclass
class Finding:
    rule: str
    message: str
    kind: str = ""


@dataclass
class StationStaffing:
    station: object
    workers: list
    short: bool


@dataclass
class ContractReview:
    contract: Contract
    clauses: list  # (clause, present)
    staffing: list[StationStaffing]
    pay: list[PayCheck]
    findings: list[Finding]
    fee_share: Decimal | None
    final_state: str
    final_due: datetime.date


def contract_review(
    contract: Contract, *, today: datetime.date | None = None, pay_lines: QuerySet | None = None
) -> ContractReview:
    """Every check of a contract with its rule ID and numbers: the six clauses and the term (PRC-5), the staffing
    plan and the stationed workers under contract at each station today (PRC-2), each pay line against its floor
    (PRC-3), the management fee against its cap (PRC-3), the supervision line (SUP-1), the final evaluation's due
    date (PRC-4). ``pay_lines``: the pay lines the reader may see (a station worker sees none of colleagues' pay)."""
    today = today or timezone.localdate()
    findings: list[Finding] = []
    values = {f: getattr(contract, f) for f in CLAUSE_FIELDS.values()}
    clauses = [(c, values[CLAUSE_FIELDS[c]]) for c in CLAUSE_FIELDS]
    missing = rules.prc5_missing_clauses(values)
    if missing:
        findings.append(
            Finding(
                "PRC-5",
                _("PRC-5: the contract does not state %(c)s.") % {"c": "、".join(str(c.label) for c in missing)},
                "clauses",
            )
        )
    term = rules.prc5_term_problem(contract.start_on, contract.end_on)
    if term:
        findings.append(Finding("PRC-5", term, "term"))
    plan = rules.prc2_plan_problem(contract.planned_workers_per_station)
    if plan:
        findings.append(Finding("PRC-2", plan, "plan"))
    on = min(max(today, contract.start_on), contract.end_on)
    links = list(
        ContractAssignment.objects.filter(contract=contract)
        .filter(Q(assignment__end_on__isnull=True) | Q(assignment__end_on__gte=on), assignment__start_on__lte=on)
        .select_related("assignment__worker", "assignment__station")
    )
    by_station = defaultdict(list)
    for link in links:
        by_station[link.assignment.station_id].append(link.assignment.worker)
    staffing = []
    need = rule_int("PRC-2.workers_per_station")
    for station in contract.stations.select_related("place").order_by("place_id"):
        workers = sorted({w.pk: w for w in by_station.get(station.pk, [])}.values(), key=lambda w: w.name)
        short = rules.prc2_station_short(len(workers))
        staffing.append(StationStaffing(station, workers, short))
        if short:
            findings.append(
                Finding(
                    "PRC-2",
                    _("PRC-2: %(s)s has %(n)s stationed worker(s) under this contract on %(d)s; at least %(m)s.")
                    % {"s": station.place.name, "n": len(workers), "d": on, "m": need},
                    "staffing",
                )
            )
    fee = rules.prc3_fee_problem(contract.management_fee, contract.value)
    if fee:
        findings.append(Finding("PRC-3", fee, "fee"))
    budget = rules.sup1_budget_problem(contract.supervision_budget)
    if budget:
        findings.append(Finding("SUP-1", budget, "supervision"))
    lines = contract.pay_lines.all() if pay_lines is None else pay_lines.filter(contract=contract)
    pay = pay_check(
        pay_lines_with_floor(lines).select_related("worker", "station__place").order_by("-month", "worker__name")
    )
    for check in pay:
        if check.problem:
            findings.append(
                Finding(
                    "PRC-3",
                    _("%(w)s, %(m)s: %(p)s")
                    % {"w": check.line.worker, "m": f"{check.line.month:%Y-%m}", "p": check.problem},
                    "pay",
                )
            )
    final = contract.evaluations.filter(kind=EvaluationKind.FINAL).values_list("evaluated_on", flat=True).first()
    state = rules.prc4_final_state(end_on=contract.end_on, done_on=final, today=today)
    due = rules.prc4_final_due(contract.end_on)
    if state in (rules.OVERDUE, rules.DONE_LATE):
        findings.append(
            Finding(
                "PRC-4",
                _("PRC-4: the final evaluation was due by %(d)s (one month before the contract ends); %(s)s.")
                % {"d": due, "s": _("it was done late") if state == rules.DONE_LATE else _("it is overdue")},
                "evaluation",
            )
        )
    return ContractReview(
        contract=contract,
        clauses=clauses,
        staffing=staffing,
        pay=pay,
        findings=findings,
        fee_share=rules.prc3_fee_share(contract.management_fee, contract.value),
        final_state=state,
        final_due=due,
    )


# --- FUND-1 per county and year ------------------------------------------------------------------------------


@dataclass
class FundStatus:
    county: object
    year: int
    used: Decimal
    funds: Decimal | None
    share: Decimal | None
    within: bool | None
    problem: str | None


def fund_statuses(*, projects: QuerySet, funds: QuerySet) -> list[FundStatus]:
    """FUND-1 for every county and year with a project or a record of its funds (two queries)."""
    from network.models import Place

    used = {
        (r["county_id"], r["budget_year"]): r["used"] or Decimal(0)
        for r in projects.values("county_id", "budget_year").annotate(used=Sum("fund_assistance"))
    }
    recorded = {(f.county_id, f.year): f.assistance_funds for f in funds}
    keys = sorted(set(used) | set(recorded), key=lambda k: (k[0], -k[1]))
    places = Place.objects.in_bulk([k[0] for k in keys])
    out = []
    for county_id, year in keys:
        u, f = used.get((county_id, year), Decimal(0)), recorded.get((county_id, year))
        county = places.get(county_id)
        out.append(
            FundStatus(
                county=county,
                year=year,
                used=u,
                funds=f,
                share=rules.fund1_share(u, f),
                within=rules.fund1_within(u, f),
                problem=rules.fund1_problem(u, f, county=str(county), year=year),
            )
        )
    return out


# --- PRC-4: final evaluations due ----------------------------------------------------------------------------


@dataclass
class EvaluationDue:
    contract: Contract
    due: datetime.date
    state: str


def final_evaluations_due(contracts: QuerySet, *, today: datetime.date | None = None) -> list[EvaluationDue]:
    """PRC-4: contracts whose final evaluation is not done and is due within the reminder window, or overdue."""
    today = today or timezone.localdate()
    window = today + datetime.timedelta(days=rule_int("PRC-4.final_reminder_days"))
    from dateutil.relativedelta import relativedelta

    qs = (
        contracts.exclude(evaluations__kind=EvaluationKind.FINAL)
        .filter(end_on__lte=window + relativedelta(months=1) + datetime.timedelta(days=3))
        .select_related("project__county", "provider")
        .order_by("end_on", "id")
    )
    out = []
    for c in qs:
        state = rules.prc4_final_state(end_on=c.end_on, done_on=None, today=today)
        if state in (rules.OVERDUE, rules.DUE_SOON):
            out.append(EvaluationDue(c, rules.prc4_final_due(c.end_on), state))
    return out


def team_members_summary(bid: Bid) -> dict:
    """PRC-2: the proposed team by grade, age and education (the plan prefers young and middle-aged,
    college-educated, certified workers)."""
    from workforce.choices import Education

    from .choices import YOUNG_AND_MIDDLE_AGED

    team = list(bid.team.all())
    n = len(team)
    college = {Education.VOCATIONAL, Education.BACHELOR, Education.MASTER}
    return {
        "size": n,
        "certified": sum(1 for m in team if m.grade),
        "young": sum(1 for m in team if m.age_band in YOUNG_AND_MIDDLE_AGED),
        "college": sum(1 for m in team if m.education in college),
    }


def evaluation_teams_of(project: Project):
    return EvaluationTeam.objects.filter(project=project).select_related("organisation").order_by("start_on")


def contracts_staffed_by(user) -> QuerySet:
    """The contracts whose staffing and pay lines the user may record: those in the user's change scope (the
    county, the city), and for a provider-staff account its organisation's contracts in force."""
    from network.roles import may_write
    from network.scope import CHANGE, VIEW

    from .models import account_organisation_id

    own = Contract.objects.restrict(user, CHANGE)
    org = account_organisation_id(user)
    if org is not None and may_write(user):
        own = own | Contract.objects.restrict(user, VIEW).filter(in_force_q(timezone.localdate()), provider_id=org)
    return own

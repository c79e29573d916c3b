"""Writes on procurement: projects and their funds, bids and scores, the award, contracts and their staffing, pay
lines, evaluation teams and evaluations, organisation accounts, the city's minimum wages.

Every rule is checked here (through ``procurement.rules``) and only here: the pages, the API and the pay-line
import call these functions. Each raises ``ValidationError`` with a Chinese message citing the rule and naming
the field; each is atomic, so nothing is half-saved.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.choices import PlaceLevel, Role
from network.roles import is_city_admin, may_write
from network.rule_settings import rule_int
from network.scope import CHANGE, VIEW, can, forget_scope
from stations.models import Station
from workforce.choices import AssignmentRole
from workforce.models import Assignment, Organisation

from . import rules
from .choices import EVALUATION_FIELDS, QUALITY_FIELDS, ProjectStatus, PurchaserKind, QualityCriterion
from .models import (
    Award,
    Bid,
    BidTeamMember,
    Contract,
    ContractAssignment,
    CountyFund,
    Evaluation,
    EvaluationTeam,
    MinimumWage,
    OrganisationAccount,
    PayLine,
    Project,
)


def _errors(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, field: str, message: str | None) -> None:
    if message:
        errors.setdefault(field, []).append(message)


def _saved(save):
    """Run a save; a duplicate the checks did not see first (two saves at once) is a field error, never a 500."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as exc:
        raise ValidationError(_("Not saved: the record conflicts with one that already exists.")) from exc


# --- PRC-4: conflicts of interest between evaluating and holding a station contract --------------------------


def prc4_contract_conflict(*, organisation, start_on, end_on, exclude_contract=None) -> str | None:
    """PRC-4: why ``organisation`` may not evaluate from ``start_on`` to ``end_on``: a station service contract
    of it in force during that time, named."""
    contracts = Contract.objects.filter(provider=organisation, start_on__lte=end_on, end_on__gte=start_on)
    if exclude_contract is not None:
        contracts = contracts.exclude(pk=exclude_contract.pk)
    found = contracts.order_by("start_on").first()
    if found is None:
        return None
    return _(
        "PRC-4: %(org)s holds the station service contract %(number)s (%(a)s to %(b)s); an organisation that holds "
        "a station contract may not evaluate."
    ) % {"org": organisation, "number": found.number, "a": found.start_on, "b": found.end_on}


def prc4_evaluation_conflict(*, organisation, start_on, end_on) -> str | None:
    """PRC-4: why ``organisation`` may not be awarded a station contract running from ``start_on`` to ``end_on``:
    it evaluates a project during that time, named."""
    team = (
        EvaluationTeam.objects.filter(organisation=organisation, start_on__lte=end_on, end_on__gte=start_on)
        .select_related("project")
        .order_by("start_on")
        .first()
    )
    if team is None:
        return None
    return _(
        "PRC-4: %(org)s evaluates the project %(number)s from %(a)s to %(b)s; an organisation that evaluates may "
        "not be awarded a station contract while it evaluates."
    ) % {"org": organisation, "number": team.project.number, "a": team.start_on, "b": team.end_on}


# --- Projects (PRC-1, FUND-1, PRC-5) ---------------------------------------------------------------------------

PROJECT_FIELDS = [
    "name",
    "county",
    "purchaser_kind",
    "purchaser",
    "service_start",
    "service_end",
    "budget_year",
    "fund_assistance",
    "fund_lottery",
    "fund_elderly",
    "fund_community",
    "fund_department",
    "formal_procurement",
    "procurement_method",
    "description",
]


def stations_outside_county(stations, county) -> list:
    """The stations that do not lie in the county-level unit."""
    return [s for s in stations if county is None or not s.place_id.startswith(county.code[:6])]


def _next_number(model, prefix: str) -> str:
    taken = set(model.objects.filter(number__startswith=prefix).values_list("number", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def project_save(*, user, data: dict, stations=None, project: Project | None = None) -> Project:
    """Record or change a purchase project: its county a county-level unit, its stations in that county, its service
    period one to three years (PRC-5), a procurement method when it falls under formal government procurement, and
    its budget by funding source (FUND-1). Bids and the award leave it unchanged in its county."""
    data = dict(data)
    errors: dict[str, list[str]] = {}
    county = data.get("county", getattr(project, "county", None))
    if county is not None and county.level != PlaceLevel.COUNTY:
        _add(errors, "county", _("Choose a county-level unit."))
    moved = project is not None and project.pk and county is not None and county.pk != project.county_id
    if moved and project.bids.exists():
        _add(errors, "county", _("PRC-1: the project has bids; its county cannot change."))
    if stations is not None:
        outside = stations_outside_county(stations, county)
        if outside:
            _add(
                errors,
                "stations",
                _("PRC-1: the stations %(s)s lie outside %(county)s; a project covers stations of its county.")
                % {"s": "、".join(s.place.name for s in outside), "county": county},
            )
        if not stations:
            _add(errors, "stations", _("PRC-1: a project covers at least one station."))
    start = data.get("service_start", getattr(project, "service_start", None))
    end = data.get("service_end", getattr(project, "service_end", None))
    _add(errors, "service_end", rules.prc5_term_problem(start, end))
    if data.get("formal_procurement", getattr(project, "formal_procurement", False)):
        if not data.get("procurement_method", getattr(project, "procurement_method", "")):
            _add(
                errors,
                "procurement_method",
                _("A project in the centralised catalogue or above the quota records its procurement method."),
            )
    else:
        data["procurement_method"] = ""
    for name in ("fund_assistance", "fund_lottery", "fund_elderly", "fund_community", "fund_department"):
        if data.get(name) is not None and Decimal(data[name]) < 0:
            _add(errors, name, _("FUND-1: an amount cannot be negative."))
    _errors(errors)
    p = project or Project()
    for name in PROJECT_FIELDS:
        if name in data and data[name] is not None:
            setattr(p, name, data[name])
    if not p.purchaser and county is not None:
        p.purchaser = (
            f"{county.name.split('（')[0]}民政局" if p.purchaser_kind == PurchaserKind.CIVIL_AFFAIRS else county.name
        )
    if not p.budget_year and start is not None:
        p.budget_year = start.year
    if not p.number:
        p.number = _next_number(Project, f"{county.code[:6]}-{start.year}-")

    def save():
        p.full_clean(validate_unique=False, validate_constraints=False)
        p.save()
        if stations is not None:
            p.stations.set(stations)
        return p

    return _saved(save)


# --- FUND-1: the county's social-assistance special funds, the city's minimum wages ---------------------------


def county_fund_save(*, user, data: dict, fund: CountyFund | None = None) -> CountyFund:
    """FUND-1: a county's social-assistance special funds of a year (one record per county and year)."""
    errors: dict[str, list[str]] = {}
    county = data.get("county", getattr(fund, "county", None))
    if county is not None and county.level != PlaceLevel.COUNTY:
        _add(errors, "county", _("Choose a county-level unit."))
    year = data.get("year", getattr(fund, "year", None))
    duplicate = CountyFund.objects.filter(county=county, year=year).exclude(pk=getattr(fund, "pk", None))
    if county is not None and year and duplicate.exists():
        _add(errors, "year", _("FUND-1: this county's funds of that year are already recorded."))
    _errors(errors)
    f = fund or CountyFund()
    for name in ("county", "year", "assistance_funds", "note"):
        if name in data:
            setattr(f, name, data[name])

    def save():
        f.full_clean(validate_unique=False, validate_constraints=False)
        f.save()
        return f

    return _saved(save)


def minimum_wage_save(*, user, data: dict, wage: MinimumWage | None = None) -> MinimumWage:
    """PRC-3: the city minimum wage of a year, kept by the city administrator."""
    if not is_city_admin(user):
        raise PermissionDenied(_("Only city administrators may do this."))
    year = data.get("year", getattr(wage, "year", None))
    if wage is None and MinimumWage.objects.filter(year=year).exists():
        raise ValidationError({"year": [_("PRC-3: the minimum wage of that year is already recorded.")]})
    w = wage or MinimumWage(year=year)
    for name in ("monthly", "is_demo_value", "note"):
        if name in data:
            setattr(w, name, data[name])

    def save():
        w.full_clean(validate_unique=False)
        w.save()
        return w

    return _saved(save)


# --- Bids and scores (PRC-1, PRC-2) ----------------------------------------------------------------------------


def bid_check(*, project: Project, organisation: Organisation | None, price) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if project.status != ProjectStatus.TENDERING:
        _add(errors, "organisation", _("PRC-1: the project has been awarded; it takes no more bids."))
    if organisation is not None and not organisation.scope_includes_social_work:
        _add(
            errors,
            "organisation",
            _("PRC-2: %(org)s cannot bid: a provider's registered business scope must include social work.")
            % {"org": organisation},
        )
    if price is not None and Decimal(price) <= 0:
        _add(errors, "price", _("PRC-1: a bid price is more than 0 yuan."))
    return errors


def bid_save(*, user, project: Project, data: dict, bid: Bid | None = None) -> Bid:
    """Record a bid for a project that is receiving bids: the bidder a registered organisation whose business scope
    includes social work (PRC-2), a price above 0, once per organisation."""
    organisation = data.get("organisation", getattr(bid, "organisation", None))
    price = data.get("price", getattr(bid, "price", None))
    errors = bid_check(project=project, organisation=organisation, price=price)
    duplicate = Bid.objects.filter(project=project, organisation=organisation).exclude(pk=getattr(bid, "pk", None))
    if organisation is not None and duplicate.exists():
        _add(errors, "organisation", _("PRC-1: this organisation has already bid for the project."))
    _errors(errors)
    b = bid or Bid(project=project)
    for name in ("organisation", "price", "submitted_on", "summary"):
        if name in data and data[name] is not None:
            setattr(b, name, data[name])

    def save():
        b.full_clean(validate_unique=False, validate_constraints=False)
        b.save()
        return b

    return _saved(save)


def bid_score(*, user, bid: Bid, scores: dict) -> Bid:
    """PRC-1: the purchaser's panel scores each capability and quality criterion 0–100 (before the award)."""
    errors: dict[str, list[str]] = {}
    if bid.project.status != ProjectStatus.TENDERING:
        _add(errors, "__all__", _("PRC-1: the project has been awarded; its scores are final."))
    for criterion in QualityCriterion:
        name = QUALITY_FIELDS[criterion]
        value = scores.get(name)
        if value is None:
            _add(errors, name, _("PRC-1: score every criterion (0–100)."))
        else:
            _add(errors, name, rules.score_problem(value, criterion.label))
    _errors(errors)
    for name in QUALITY_FIELDS.values():
        setattr(bid, name, scores[name])
    bid.scored_by = user if getattr(user, "pk", None) else None
    bid.scored_at = timezone.now()
    bid.save()
    return bid


def bid_team_member_add(*, user, bid: Bid, data: dict) -> BidTeamMember:
    """A member of the team a bid proposes (grade, age band, education)."""
    if bid.project.status != ProjectStatus.TENDERING:
        raise ValidationError(_("PRC-1: the project has been awarded; its bids are final."))
    m = BidTeamMember(bid=bid, **{k: data[k] for k in ("name", "grade", "age_band", "education")})
    m.full_clean()
    m.save()
    return m


# --- The award (PRC-1) -------------------------------------------------------------------------------------------


@transaction.atomic
def award_decide(
    *, user, project: Project, bid: Bid, reason: str, departure_reason: str = "", decided_on=None
) -> Award:
    """PRC-1: award the project to a bid. The bid ranked first wins unless a written reason says why another; the
    lowest price never wins on price alone; an organisation that evaluates may not be awarded (PRC-4). Records who
    decided, when and why, with the ranking, and draws up the contract (provider, stations, period and value of
    the project and bid; its clauses, staffing and fees are completed on the contract page)."""
    from .selectors import project_ranking

    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.TENDERING or Award.objects.filter(project=project).exists():
        raise ValidationError({"bid": [_("PRC-1: the project has already been awarded.")]})
    if bid.project_id != project.pk:
        raise ValidationError({"bid": [_("PRC-1: the bid does not belong to this project.")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("PRC-1: say why the award goes to this bid.")]})
    ranking = project_ranking(project)
    problem = rules.prc1_award_problem(ranking, bid.pk, departure_reason)
    if problem:
        raise ValidationError({"bid": [problem]})
    conflict = prc4_evaluation_conflict(
        organisation=bid.organisation, start_on=project.service_start, end_on=project.service_end
    )
    if conflict:
        raise ValidationError({"bid": [conflict]})
    first = ranking.recommended
    award = Award.objects.create(
        project=project,
        bid=bid,
        decided_by=user,
        decided_on=decided_on or timezone.localdate(),
        reason=reason.strip(),
        departure_reason=(departure_reason or "").strip() if first is None or first.id != bid.pk else "",
        ranking=[r.as_dict() for r in ranking.rows],
    )
    project.status = ProjectStatus.AWARDED
    project.save(update_fields=["status"])
    contract = Contract(
        number=_next_number(Contract, f"{project.number}-C"),
        project=project,
        award=award,
        provider=bid.organisation,
        start_on=project.service_start,
        end_on=project.service_end,
        value=bid.price,
        planned_workers_per_station=rule_int("PRC-2.workers_per_station"),
    )
    contract.save()
    contract.stations.set(project.stations.all())
    return award


# --- Contracts (PRC-2, PRC-3, PRC-5) -------------------------------------------------------------------------

CONTRACT_FIELDS = [
    "signed_on",
    "start_on",
    "end_on",
    "value",
    "management_fee",
    "supervision_budget",
    "planned_workers_per_station",
    "clause_staffing",
    "clause_content",
    "clause_objectives",
    "clause_funds",
    "clause_supervision",
    "clause_evaluation",
]


def contract_save(*, user, contract: Contract, data: dict, stations=None) -> Contract:
    """Complete or change a contract: one to three years (PRC-5), stations of the project's county, a value above
    0, fees not negative, no conflict with an evaluation its provider carries out (PRC-4). Clauses, staffing plan,
    the management fee and the supervision line may fall short: they are findings shown on the contract page."""
    errors: dict[str, list[str]] = {}
    start = data.get("start_on", contract.start_on)
    end = data.get("end_on", contract.end_on)
    _add(errors, "end_on", rules.prc5_term_problem(start, end))
    county = contract.project.county
    if stations is not None:
        outside = stations_outside_county(stations, county)
        if outside:
            _add(
                errors,
                "stations",
                _("PRC-5: the stations %(s)s lie outside %(county)s, the county of the project.")
                % {"s": "、".join(s.place.name for s in outside), "county": county},
            )
        if not stations:
            _add(errors, "stations", _("PRC-5: a contract covers at least one station."))
    if data.get("value") is not None and Decimal(data["value"]) <= 0:
        _add(errors, "value", _("PRC-5: the contract value is more than 0 yuan."))
    for name in ("management_fee", "supervision_budget"):
        if data.get(name) is not None and Decimal(data[name]) < 0:
            _add(errors, name, _("An amount cannot be negative."))
    if start and end and not errors.get("end_on"):
        _add(
            errors,
            "start_on",
            prc4_evaluation_conflict(organisation=contract.provider, start_on=start, end_on=end),
        )
    _errors(errors)
    for name in CONTRACT_FIELDS:
        if name in data:
            setattr(contract, name, data[name])

    def save():
        contract.full_clean(validate_unique=False, validate_constraints=False)
        contract.save()
        if stations is not None:
            contract.stations.set(stations)
        return contract

    return _saved(save)


def contract_assignment_check(*, contract: Contract, assignment: Assignment) -> str | None:
    """PRC-2: an assignment linked to a contract stations a worker at one of its stations, for its provider, during
    its term; it is linked to one contract only."""
    if assignment.role != AssignmentRole.STATIONED:
        return _("PRC-2: only a stationed worker's assignment is employed under a contract.")
    if not contract.stations.filter(pk=assignment.station_id).exists():
        return _("PRC-2: %(station)s is not a station of contract %(number)s.") % {
            "station": assignment.station.place.name,
            "number": contract.number,
        }
    if assignment.organisation_id != contract.provider_id:
        return _("PRC-2: the assignment is for %(org)s, not for the contract's provider %(provider)s.") % {
            "org": assignment.organisation or _("no provider"),
            "provider": contract.provider,
        }
    if not rules.periods_overlap(assignment.start_on, assignment.end_on, contract.start_on, contract.end_on):
        return _("PRC-2: the assignment (from %(a)s) does not fall within the contract's term (%(s)s to %(e)s).") % {
            "a": assignment.start_on,
            "s": contract.start_on,
            "e": contract.end_on,
        }
    linked = ContractAssignment.objects.filter(assignment=assignment).exclude(contract=contract).first()
    if linked is not None:
        return _("PRC-2: the assignment is already employed under contract %(number)s.") % {
            "number": linked.contract.number
        }
    return None


def contract_assignment_link(*, user, contract: Contract, assignment: Assignment) -> ContractAssignment:
    """PRC-2: link a stationed worker's assignment to the contract that employs them."""
    problem = contract_assignment_check(contract=contract, assignment=assignment)
    if problem:
        raise ValidationError({"assignment": [problem]})
    return _saved(lambda: ContractAssignment.objects.get_or_create(contract=contract, assignment=assignment)[0])


def contract_assignments_link_matching(*, user, contract: Contract) -> int:
    """Link every stationed assignment at the contract's stations, for its provider, within its term, that no
    contract employs yet (the usual case after the award). Returns how many were linked."""
    candidates = Assignment.objects.filter(
        role=AssignmentRole.STATIONED,
        station__in=contract.stations.all(),
        organisation=contract.provider,
        start_on__lte=contract.end_on,
        contract_link__isnull=True,
    ).exclude(end_on__lt=contract.start_on)
    if user is not None:
        candidates = candidates.filter(pk__in=Assignment.objects.restrict(user, VIEW).values("pk"))
    links = [ContractAssignment(contract=contract, assignment=a) for a in candidates]
    for link in links:
        link.save()
    return len(links)


# --- Pay lines (PRC-3) -----------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    from dateutil.relativedelta import relativedelta

    return month_start(day) + relativedelta(months=1) - datetime.timedelta(days=1)


def payline_station(*, contract: Contract, worker, month: datetime.date):
    """PRC-3: the station where the worker is stationed under the contract in that month (an assignment linked to
    the contract running on a day of the month), or None."""
    link = (
        ContractAssignment.objects.filter(
            contract=contract,
            assignment__worker=worker,
            assignment__start_on__lte=month_end(month),
        )
        .exclude(assignment__end_on__lt=month)
        .select_related("assignment")
        .order_by("-assignment__start_on")
        .first()
    )
    return link.assignment.station_id if link else None


def payline_check(*, contract: Contract, worker, month, amount, wages: dict | None = None) -> tuple[dict, int | None]:
    """PRC-3: a pay line's errors and the station it is paid at. The worker must be stationed under that contract in
    the month; the month within the contract's term; the minimum wage of its year recorded; the amount not
    negative. ``wages`` ({year: monthly}) saves a query per row in the import."""
    errors: dict[str, list[str]] = {}
    station_id = None
    if month is not None:
        month = month_start(month)
        if not (month_start(contract.start_on) <= month <= contract.end_on):
            _add(
                errors,
                "month",
                _("PRC-3: %(m)s lies outside the term of contract %(number)s (%(s)s to %(e)s).")
                % {"m": f"{month:%Y-%m}", "number": contract.number, "s": contract.start_on, "e": contract.end_on},
            )
        if wages is None:
            wage = MinimumWage.objects.filter(year=month.year).values_list("monthly", flat=True).first()
        else:
            wage = wages.get(month.year)
        if wage is None:
            _add(errors, "month", rules.prc3_wage_missing(month.year))
        if worker is not None:
            station_id = payline_station(contract=contract, worker=worker, month=month)
            if station_id is None:
                _add(
                    errors,
                    "worker",
                    _("PRC-3: %(w)s is not stationed under contract %(number)s in %(m)s.")
                    % {"w": worker, "number": contract.number, "m": f"{month:%Y-%m}"},
                )
    if amount is not None and Decimal(amount) < 0:
        _add(errors, "amount", _("PRC-3: pay cannot be negative."))
    return errors, station_id


def payline_save(*, user, data: dict, line: PayLine | None = None) -> PayLine:
    """Record or correct a stationed worker's pay for a month (PRC-3). A line below its floor is saved — it is a
    finding shown on the contract page until the line is corrected — but a line for a worker not stationed under
    the contract, outside its term, or for a year with no minimum wage is refused."""
    contract = data.get("contract", getattr(line, "contract", None))
    worker = data.get("worker", getattr(line, "worker", None))
    month = data.get("month", getattr(line, "month", None))
    amount = data.get("amount", getattr(line, "amount", None))
    if contract is None:
        raise ValidationError({"contract": [_("Choose the contract.")]})
    errors, station_id = payline_check(contract=contract, worker=worker, month=month, amount=amount)
    if month is not None and worker is not None:
        duplicate = PayLine.objects.filter(contract=contract, worker=worker, month=month_start(month)).exclude(
            pk=getattr(line, "pk", None)
        )
        if duplicate.exists():
            _add(errors, "month", _("PRC-3: this worker's pay for that month is already recorded."))
    _errors(errors)
    p = line or PayLine()
    p.contract, p.worker, p.month, p.amount = contract, worker, month_start(month), amount
    p.station_id = station_id
    if "note" in data:
        p.note = data["note"] or ""

    def save():
        p.full_clean(validate_unique=False, validate_constraints=False)
        p.save()
        return p

    return _saved(save)


# --- Evaluation (PRC-4) --------------------------------------------------------------------------------------


def evaluation_team_assign(*, user, project: Project, data: dict, team: EvaluationTeam | None = None) -> EvaluationTeam:
    """PRC-4: a team of the purchaser and a third-party organisation evaluates the project. The organisation may not
    hold a station service contract during that time (checked here; the award checks the other end)."""
    errors: dict[str, list[str]] = {}
    organisation = data.get("organisation")
    start, end = data.get("start_on"), data.get("end_on")
    if start and end and end < start:
        _add(errors, "end_on", _("The end date is before the start date."))
    elif organisation is not None and start and end:
        _add(errors, "organisation", prc4_contract_conflict(organisation=organisation, start_on=start, end_on=end))
    _errors(errors)
    t = team or EvaluationTeam(project=project)
    for name in ("organisation", "purchaser_members", "start_on", "end_on"):
        if name in data:
            setattr(t, name, data[name])

    def save():
        t.full_clean(validate_unique=False, validate_constraints=False)
        t.save()
        return t

    return _saved(save)


def evaluation_record(*, user, contract: Contract, data: dict) -> Evaluation:
    """PRC-4: a mid-term or final evaluation of a contract by the project's evaluation team, each criterion scored
    0–100 (the total is their mean), with findings. One of each kind per contract."""
    errors: dict[str, list[str]] = {}
    team = data.get("team")
    if team is None or team.project_id != contract.project_id:
        _add(errors, "team", _("PRC-4: choose the evaluation team of this contract's project."))
    for name in EVALUATION_FIELDS.values():
        if data.get(name) is None:
            _add(errors, name, _("PRC-4: score every criterion (0–100)."))
        else:
            _add(errors, name, rules.score_problem(data[name], Evaluation._meta.get_field(name).verbose_name, "PRC-4"))
    on = data.get("evaluated_on")
    if on and on > timezone.localdate():
        _add(errors, "evaluated_on", _("The date lies in the future."))
    if data.get("kind") and Evaluation.objects.filter(contract=contract, kind=data["kind"]).exists():
        _add(errors, "kind", _("PRC-4: this evaluation of the contract is already recorded."))
    _errors(errors)
    e = Evaluation(contract=contract, recorded_by=user if getattr(user, "pk", None) else None)
    for name in ("team", "kind", "evaluated_on", "findings", *EVALUATION_FIELDS.values()):
        if name in data:
            setattr(e, name, data[name])
    e.total = rules.evaluation_total({f: getattr(e, f) for f in EVALUATION_FIELDS.values()})

    def save():
        e.full_clean(validate_unique=False, validate_constraints=False)
        e.save()
        return e

    return _saved(save)


# --- Organisation accounts (provider staff, evaluators) ---------------------------------------------------------


def organisation_account_save(*, user, account_user, organisation: Organisation) -> OrganisationAccount:
    """Say which organisation a provider-staff or evaluator account works for: provider staff then reach the stations
    of its contracts in force, evaluators the projects it evaluates."""
    if not may_write(user):
        raise PermissionDenied(_("Your role may only read."))
    if account_user.role not in (Role.PROVIDER_STAFF, Role.EVALUATOR):
        raise ValidationError({"user": [_("Only provider-staff and evaluator accounts work for an organisation.")]})
    if not can(user, CHANGE, organisation):
        raise ValidationError({"organisation": [_("This organisation is registered outside your places.")]})

    def save():
        account, _created = OrganisationAccount.objects.update_or_create(
            user=account_user, defaults={"organisation": organisation}
        )
        return account

    account = _saved(save)
    account_user.__dict__.pop("_procurement_organisation", None)
    forget_scope(account_user)
    return account


# --- Provider access by contract (point 5) --------------------------------------------------------------------


def provider_places(user, action: str) -> list[str]:
    """The township prefixes a provider-staff account reaches: the stations of its organisation's contracts in force
    today (for reading and, its role writing, for changing). Nothing once a contract ends."""
    from .models import account_organisation_id, in_force_q

    org = account_organisation_id(user)
    if org is None:
        return []
    codes = (
        Station.objects.filter(
            pk__in=Contract.objects.filter(in_force_q(timezone.localdate()), provider_id=org).values("stations")
        )
        .values_list("place_id", flat=True)
        .distinct()
    )
    return [code[:9] for code in codes]


def assignment_contract_labels(assignment_ids: list[int], user) -> dict[int, tuple[str, str]]:
    """For the workforce deadline list: {assignment id: (contract number, its page — empty when the user may not
    open the contract)}."""
    rows = ContractAssignment.objects.filter(assignment_id__in=assignment_ids).select_related("contract")
    visible = set(
        Contract.objects.restrict(user).filter(pk__in=[r.contract_id for r in rows]).values_list("pk", flat=True)
    )
    return {
        r.assignment_id: (r.contract.number, r.contract.get_absolute_url() if r.contract_id in visible else "")
        for r in rows
    }

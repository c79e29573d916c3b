"""The records behind a stored value, limited to what the user may see (explanation pages).

Each function takes the user, the place and the value's date and returns (headers, rows); every
query goes through ``restrict`` (CONVENTIONS 3), so a list never shows records outside the scope.
"""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Count, Max, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from network.models import Place
from network.rule_settings import rule_int
from stations.choices import COUNTED_STATUSES, ServiceKind, StationStatus, TargetGroup
from stations.models import ServiceRecord, Station, StationStatusChange
from stations.rules import sql_date, standard_items, tgt_std_item_sql, tgt_std_sql
from workforce.choices import Grade
from workforce.models import Assignment, Organisation, Worker
from workforce.rules import prc2_overdue_assignments, tgt_org_organisations

from .sup1 import RECORDS as SUP1_RECORDS

LIMIT = 500


def _status_on(on: datetime.date, station_ref: str):
    return Subquery(
        StationStatusChange.objects.filter(station=OuterRef(station_ref), effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values("status")[:1]
    )


def _status_label(value) -> str:
    return str(StationStatus(value).label) if value in StationStatus.values else _("No station")


def coverage(user, place: Place, on: datetime.date):
    qs = (
        Place.objects.restrict(user)
        .filter(level="township", code__startswith=place.prefix)
        .annotate(
            status_on=_status_on(on, "station"),
            parent_name=Subquery(Place.objects.filter(code=OuterRef("parent_id")).values("name")[:1]),
        )
        .order_by("code")[:LIMIT]
    )
    rows = [
        [
            p.code,
            p.parent_name,
            p.name,
            _status_label(p.status_on),
            _("Yes") if p.status_on in COUNTED_STATUSES else _("No"),
        ]
        for p in qs
    ]
    return [
        _("Code"),
        _("County-level unit"),
        _("Township / street"),
        _("Station status on the date"),
        _("Counted"),
    ], rows


def _stationed_on(on):
    return Count(
        "assignments",
        filter=Q(assignments__role="stationed", assignments__start_on__lte=on)
        & (Q(assignments__end_on__isnull=True) | Q(assignments__end_on__gte=on)),
        distinct=True,
    )


def stations(user, place: Place, on: datetime.date):
    """TGT-STD and PRC-2: each station on the date — its status, every item of the standard check (the same
    SQL the indicator counts, ``stations.rules``) and whether it meets the standard."""
    table = Station._meta.db_table
    station, day = f'"{table}"."id"', sql_date(on)
    specs = standard_items()
    items = {f"item_{i}": tgt_std_item_sql(s.code, station=station, on=day) for i, s in enumerate(specs)}
    qs = (
        Station.objects.restrict(user)
        .filter(place__code__startswith=place.prefix)
        .select_related("place")
        .annotate(
            status_on=_status_on(on, "pk"),
            stationed=_stationed_on(on),
            standard_met=RawSQL(tgt_std_sql(station=station, on=day), [], output_field=BooleanField()),
            **{k: RawSQL(sql, [], output_field=BooleanField()) for k, sql in items.items()},
        )
        .order_by("place_id")[:LIMIT]
    )
    need = rule_int("PRC-2.workers_per_station")
    rows = []
    for s in qs:
        counted = s.status_on in COUNTED_STATUSES
        rows.append(
            [
                s.place_id,
                s.place.name,
                _status_label(s.status_on),
                *[_("Yes") if getattr(s, k) else _("No") for k in items],
                s.stationed,
                _("Yes") if s.stationed >= need else _("No"),
                (_("Yes") if s.standard_met else _("No")) if counted else _("Not counted"),
            ]
        )
    return [
        _("Code"),
        _("Township / street"),
        _("Station status on the date"),
        *[f"{s.label} ({s.rule})" for s in specs],
        _("Stationed workers"),
        _("Enough stationed workers"),
        _("Meets the standard (TGT-STD)"),
    ], rows


def certified(user, place: Place, on: datetime.date, grade: int | None = None):
    """TGT-CERT: the people certified on the date (of the given highest grade), at their highest grade."""
    valid = Q(qualifications__obtained_on__lte=on) & (
        Q(qualifications__revoked_on__isnull=True) | Q(qualifications__revoked_on__gt=on)
    )
    qs = (
        Worker.objects.restrict(user)
        .filter(place__code__startswith=place.prefix)
        .annotate(top=Max("qualifications__grade", filter=valid))
        .filter(top__isnull=False)
    )
    if grade is not None:
        qs = qs.filter(top=grade)
    qs = qs.select_related("place").order_by("place_id", "name")[:LIMIT]
    rows = [[w.name, w.place.name, str(Grade(w.top).label)] for w in qs]
    return [pgettext("person", "Name"), _("Registered at"), _("Highest grade held on the date")], rows


def _certified_grade(grade: int):
    def records(user, place: Place, on: datetime.date):
        return certified(user, place, on, grade=grade)

    return records


def organisations(user, place: Place, on: datetime.date):
    """TGT-ORG: the organisations that count for the value's year (``workforce.rules``)."""
    qs = (
        tgt_org_organisations(as_of_year=on.year, within=place.prefix, qs=Organisation.objects.restrict(user))
        .select_related("county")
        .order_by("county_id", "name")[:LIMIT]
    )
    return [_("Name"), _("County-level unit"), _("Year incubated"), _("Incubation base")], [
        [o.name, o.county.name, o.incubated_year, o.incubation_base] for o in qs
    ]


def county_plans(user, place: Place, on: datetime.date):
    """PLAN-1: each county-level unit — its plan whose filed version is in force on the date, if any
    (``supervision.rules_plans.plan1_in_force``), else its latest plan and where that stands."""
    from supervision.choices_plans import PlanStatus
    from supervision.models import CountyPlan, PlanVersion
    from supervision.rules_plans import plan1_in_force

    counties = Place.objects.restrict(user).filter(level="county", code__startswith=place.prefix).order_by("code")
    plans: dict[str, list] = {}
    for p in CountyPlan.objects.restrict(user).filter(county__code__startswith=place.prefix).order_by("-first_year"):
        plans.setdefault(p.county_id, []).append(p)
    filed = {}
    for v in PlanVersion.objects.filter(plan__in=[p for ps in plans.values() for p in ps], filed_on__lte=on).order_by(
        "filed_on", "number"
    ):
        filed[v.plan_id] = v  # the version filed last on or before the date
    rows = []
    for c in counties[:LIMIT]:
        found = next(
            (
                (p, filed[p.pk])
                for p in plans.get(c.code, [])
                if p.pk in filed and plan1_in_force(filed_on=filed[p.pk].filed_on, last_year=p.last_year, on=on)
            ),
            None,
        )
        latest = (plans.get(c.code) or [None])[0]
        if found:
            plan, version = found
            rows.append([c.code, c.name, str(plan), f"v{version.number}", version.filed_on, _("Yes")])
        else:
            state = (
                str(PlanStatus(latest.versions.order_by("-number").values_list("status", flat=True)[0]).label)
                if latest and latest.versions.exists()
                else _("No plan yet")
            )
            rows.append([c.code, c.name, str(latest) if latest else "—", state, "—", _("No")])
    return [
        _("Code"),
        _("County-level unit"),
        _("Plan"),
        _("Version in force"),
        _("Filed on"),
        _("Filed plan in force"),
    ], rows


def overdue(user, place: Place, on: datetime.date):
    """PRC-2: the stationed workers overdue on the date (``workforce.rules.prc2_overdue_assignments``)."""
    qs = Assignment.objects.restrict(user).filter(station__place__code__startswith=place.prefix)
    rows = [
        [a.worker.name, a.station.place.name, a.clock_start, a.deadline]
        for a in prc2_overdue_assignments(qs, on)[:LIMIT]
    ]
    return [
        pgettext("person", "Name"),
        _("Station"),
        _("First day stationed at any station"),
        _("Qualification deadline"),
    ], rows


def _services(kind: str | None = None, group: str | None = None):
    """SRV: the service records of the year up to the date at the place's stations (of the method, or
    serving a recipient of the target group)."""

    def records(user, place: Place, on: datetime.date):
        qs = ServiceRecord.objects.restrict(user).filter(
            station__place__code__startswith=place.prefix,
            served_on__gte=datetime.date(on.year, 1, 1),
            served_on__lte=on,
        )
        if kind:
            qs = qs.filter(kind=kind)
        if group:
            qs = (
                qs.filter(target_groups__contains=[group])
                if _json_contains()
                else qs.filter(target_groups__icontains=f'"{group}"')
            )
        qs = (
            qs.select_related("station__place")
            .annotate(served=Count("recipients", distinct=True))
            .order_by("-served_on", "-id")[:LIMIT]
        )
        return [_("Date"), _("Station"), _("Kind of service"), _("Number of recipients served"), _("Participants")], [
            [r.served_on, r.station.place.name, r.get_kind_display(), r.served, r.participant_count] for r in qs
        ]

    return records


def _json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


# --- Procurement and funds: the records behind a value, through the Python forms of procurement.rules ---------


def _contracts_in_force(user, place: Place, on: datetime.date):
    from procurement.models import Contract, in_force_q

    return (
        Contract.objects.restrict(user)
        .filter(in_force_q(on), project__county__code__startswith=place.prefix[:6])
        .select_related("provider", "project__county")
        .order_by("project__county_id", "number")[:LIMIT]
    )


def contracts_clauses(user, place: Place, on: datetime.date):
    """PRC-5: the contracts in force on the date and the clauses each does not state."""
    from procurement.rules import prc5_missing_clauses

    rows = []
    for c in _contracts_in_force(user, place, on):
        missing = prc5_missing_clauses(vars(c))
        rows.append([c.number, c.provider.name, c.project.county.name, "、".join(str(m.label) for m in missing) or "—"])
    return [_("Contract"), _("Provider"), _("County-level unit"), _("Clauses missing (PRC-5)")], rows


def contracts_fee(user, place: Place, on: datetime.date):
    """PRC-3: the contracts in force on the date with their management fee's share and whether it is within the cap."""
    from procurement.rules import prc3_fee_share, prc3_fee_within

    rows = [
        [
            c.number,
            c.provider.name,
            f"{c.value:,.2f}",
            f"{c.management_fee:,.2f}",
            prc3_fee_share(c.management_fee, c.value),
            _("Yes") if prc3_fee_within(c.management_fee, c.value) else _("No"),
        ]
        for c in _contracts_in_force(user, place, on)
    ]
    return [
        _("Contract"),
        _("Provider"),
        _("Contract value (yuan)"),
        _("Management fee (yuan)"),
        _("Share (%)"),
        _("Within the cap"),
    ], rows


def stations_contracted(user, place: Place, on: datetime.date):
    """The stations and the contracts in force covering them on the date, with their stationed workers under
    contract (PRC-2)."""
    from procurement.models import ContractAssignment, in_force_q

    qs = (
        Station.objects.restrict(user)
        .filter(place__code__startswith=place.prefix)
        .select_related("place")
        .annotate(status_on=_status_on(on, "pk"))
        .order_by("place_id")[:LIMIT]
    )
    stations = list(qs)
    from procurement.models import Contract

    covering: dict[int, list[str]] = {}
    for number, station_id in Contract.objects.filter(in_force_q(on), stations__in=stations).values_list(
        "number", "stations"
    ):
        covering.setdefault(station_id, []).append(number)
    staffed = dict(
        ContractAssignment.objects.filter(
            in_force_q(on, "contract__"),
            Q(assignment__end_on__isnull=True) | Q(assignment__end_on__gte=on),
            assignment__start_on__lte=on,
            assignment__station__in=stations,
        )
        .values("assignment__station_id")
        .annotate(n=Count("assignment__worker_id", distinct=True))
        .values_list("assignment__station_id", "n")
    )
    rows = [
        [
            s.place_id,
            s.place.name,
            _status_label(s.status_on),
            "、".join(covering.get(s.pk, [])) or "—",
            staffed.get(s.pk, 0),
        ]
        for s in stations
    ]
    return [
        _("Code"),
        _("Township / street"),
        _("Station status on the date"),
        _("Contracts in force"),
        _("Stationed workers under contract"),
    ], rows


def pay_floor(user, place: Place, on: datetime.date):
    """PRC-3: the pay lines of the year up to the date with their floor (``procurement.selectors.pay_check``)."""
    from procurement.models import PayLine
    from procurement.selectors import pay_check, pay_lines_with_floor

    qs = pay_lines_with_floor(
        PayLine.objects.restrict(user).filter(
            station__place__code__startswith=place.prefix, month__gte=datetime.date(on.year, 1, 1), month__lte=on
        )
    ).select_related("worker", "station__place", "contract")
    checks = pay_check(qs.order_by("meets_floor", "-month", "station__place_id", "id")[:LIMIT])
    return [
        _("Month"),
        _("Worker"),
        _("Station"),
        _("Contract"),
        _("Monthly pay (yuan)"),
        _("Floor (yuan)"),
        _("Meets the floor (PRC-3)"),
    ], [
        [
            f"{c.line.month:%Y-%m}",
            c.line.worker.name,
            c.line.station.place.name,
            c.line.contract.number,
            f"{c.line.amount:,.2f}",
            f"{c.floor:,.2f}" if c.floor is not None else "—",
            _("Yes") if c.ok else c.problem,
        ]
        for c in checks
    ]


def funds(user, place: Place, on: datetime.date):
    """FUND-1: each county's social-assistance funds used for purchased services in the year against its funds."""
    from procurement.models import CountyFund, Project
    from procurement.selectors import fund_statuses

    statuses = fund_statuses(
        projects=Project.objects.restrict(user).filter(county__code__startswith=place.prefix[:6], budget_year=on.year),
        funds=CountyFund.objects.restrict(user).filter(county__code__startswith=place.prefix[:6], year=on.year),
    )
    return [
        _("County-level unit"),
        _("Year"),
        _("Used (yuan)"),
        _("Special funds (yuan)"),
        _("Share (%)"),
        _("Within (FUND-1)"),
    ], [
        [
            str(s.county),
            s.year,
            f"{s.used:,.2f}",
            f"{s.funds:,.2f}" if s.funds is not None else "—",
            s.share if s.share is not None else "—",
            _("Yes") if s.within else (_("No") if s.within is False else "—"),
        ]
        for s in statuses
    ]


def evaluations_due(user, place: Place, on: datetime.date):
    """PRC-4: contracts whose final evaluation was due by the date, and whether it was done on time."""
    from procurement.choices import EvaluationKind
    from procurement.models import Contract, Evaluation
    from procurement.rules import DONE_ON_TIME, prc4_final_due, prc4_final_state

    contracts = [
        c
        for c in Contract.objects.restrict(user)
        .filter(project__county__code__startswith=place.prefix[:6])
        .select_related("provider")
        .order_by("end_on", "id")
        if prc4_final_due(c.end_on) <= on
    ][:LIMIT]
    done = dict(
        Evaluation.objects.filter(contract__in=contracts, kind=EvaluationKind.FINAL).values_list(
            "contract_id", "evaluated_on"
        )
    )
    rows = []
    for c in contracts:
        state = prc4_final_state(end_on=c.end_on, done_on=done.get(c.pk), today=on)
        rows.append(
            [
                c.number,
                c.provider.name,
                prc4_final_due(c.end_on),
                done.get(c.pk) or "—",
                _("Yes") if state == DONE_ON_TIME else _("No"),
            ]
        )
    return [_("Contract"), _("Provider"), _("Due by"), _("Done on"), _("On time")], rows


def training(user, place: Place, on: datetime.date):
    """SUP-2: the workers stationed in the year to the date at the place's stations, with their hours against the
    hours required (``supervision.selectors_training``, the rule of ``supervision.rules_training``)."""
    from supervision.selectors_training import STANDING_HEADERS, standing_cells, training_standings

    rows = training_standings(user=user, year=on.year, as_of=on, place_prefix=place.prefix)[:LIMIT]
    return [str(h) for h in STANDING_HEADERS], [standing_cells(r) for r in rows]


RECORDS = {
    "training": training,
    "contracts_clauses": contracts_clauses,
    "contracts_fee": contracts_fee,
    "stations_contracted": stations_contracted,
    "pay_floor": pay_floor,
    "funds": funds,
    "evaluations_due": evaluations_due,
    "coverage": coverage,
    "stations": stations,
    "certified": certified,
    "organisations": organisations,
    "county_plans": county_plans,
    "overdue": overdue,
    "townships_certified": certified,
    **{f"certified_grade_{g}": _certified_grade(g) for g in Grade.values},
    "services": _services(),
    **{f"services_kind_{k}": _services(kind=k) for k in ServiceKind.values},
    **{f"services_group_{g}": _services(group=g) for g in TargetGroup.values},
    **SUP1_RECORDS,
}


def records_for(indicator, user, place: Place, on: datetime.date):
    fn = RECORDS.get(indicator.records)
    return fn(user, place, on) if fn else ([], [])

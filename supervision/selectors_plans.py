"""Reads of the county plans (PLAN-1): the counties' filing overview, the latest version of each plan, the
comparison of two versions, the alerts. Every query goes through ``restrict``."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.html import escape
from django.utils.safestring import mark_safe

from network.choices import PlaceLevel
from network.models import Place

from .choices_plans import PlanStatus
from .models import CountyPlan, PlanVersion
from .rules_plans import SECTIONS, plan1_in_force


def plans_with_latest(qs):
    """Plans annotated with their latest version's number and status (one query)."""
    latest = PlanVersion.objects.filter(plan=OuterRef("pk")).order_by("-number")
    return qs.annotate(
        latest_number=Subquery(latest.values("number")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        latest_id=Subquery(latest.values("pk")[:1]),
    )


@dataclass
class CountyFiling:
    """One county-level unit's filing state (PLAN-1), for the city's overview."""

    county: Place
    plan: CountyPlan | None
    in_force: PlanVersion | None
    latest_status: str | None
    latest_number: int | None
    in_force_today: bool

    @property
    def latest_status_label(self) -> str:
        return str(PlanStatus(self.latest_status).label) if self.latest_status else ""


def county_filings(user, *, on: datetime.date, year: int | None = None) -> list[CountyFiling]:
    """PLAN-1: every county-level unit the user may see, with its plan covering ``year`` (without a year: its
    latest plan), the version in force, when it was filed and where the latest version stands."""
    counties = Place.objects.restrict(user).filter(level=PlaceLevel.COUNTY).order_by("code")
    plans = CountyPlan.objects.restrict(user)
    if year:
        plans = plans.filter(first_year__lte=year, last_year__gte=year)
    plans = plans_with_latest(plans.select_related("in_force", "county").order_by("county_id", "-first_year"))
    by_county: dict[str, CountyPlan] = {}
    for p in plans:
        by_county.setdefault(p.county_id, p)
    rows = []
    for county in counties:
        plan = by_county.get(county.code)
        version = plan.in_force if plan else None
        rows.append(
            CountyFiling(
                county=county,
                plan=plan,
                in_force=version,
                latest_status=getattr(plan, "latest_status", None),
                latest_number=getattr(plan, "latest_number", None),
                in_force_today=bool(
                    version and plan1_in_force(filed_on=version.filed_on, last_year=plan.last_year, on=on)
                ),
            )
        )
    return rows


def _diff_html(old: str, new: str) -> str:
    """Character-level differences (Chinese text has no spaces between words): removed text struck through,
    added text marked; everything escaped."""
    parts = []
    matcher = difflib.SequenceMatcher(None, old or "", new or "", autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(old[a1:a2]))
            continue
        if op in ("delete", "replace"):
            parts.append(f'<del class="diff-del">{escape(old[a1:a2])}</del>')
        if op in ("insert", "replace"):
            parts.append(f'<ins class="diff-ins">{escape(new[b1:b2])}</ins>')
    return mark_safe("".join(parts).replace("\n", "<br>"))  # every piece is escaped above


@dataclass
class SectionComparison:
    label: str
    rule: str
    old: str
    new: str
    changed: bool
    diff: str


def versions_compare(a: PlanVersion, b: PlanVersion) -> list[SectionComparison]:
    """PLAN-1: two versions side by side, section by section, with the changes from ``a`` to ``b`` marked."""
    rows = []
    for s in SECTIONS:
        old, new = getattr(a, s.field) or "", getattr(b, s.field) or ""
        rows.append(SectionComparison(str(s.label), s.rule, old, new, old != new, _diff_html(old, new)))
    return rows


def versions_waiting(user):
    """PLAN-1: submitted versions the user may see, awaiting the city's filing or return."""
    return (
        PlanVersion.objects.restrict(user)
        .filter(status=PlanStatus.SUBMITTED)
        .select_related("plan__county")
        .order_by("submitted_at", "pk")
    )


def plans_needing_county(user):
    """PLAN-1: plans the user may change whose latest version is a draft (to submit) or returned (to revise)."""
    return (
        plans_with_latest(CountyPlan.objects.restrict(user, "change").select_related("county"))
        .filter(latest_status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED])
        .order_by("county_id", "-first_year")
    )


def counties_without_plan(user, *, year: int):
    """PLAN-1: county-level units the user may change that have no plan covering ``year``."""
    covered = CountyPlan.objects.filter(first_year__lte=year, last_year__gte=year).values("county_id")
    return (
        Place.objects.restrict(user, "change")
        .filter(level=PlaceLevel.COUNTY)
        .exclude(code__in=covered)
        .order_by("code")
    )

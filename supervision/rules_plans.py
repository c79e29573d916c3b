"""The rules of the county plans, computed here only (PLAN-1, SUP-4).

PLAN-1: each county writes an implementation plan (实施方案) covering nine sections — task goals, station siting,
workforce, funding, service content, schedule, supervision and training, performance evaluation, safeguards — and
files it (备案) with the city civil-affairs bureau. SUP-4: each county makes its supervision, training and evaluation
plans, deployed together with its station projects. Every section is required when a version is submitted.

A county "has a filed plan in force" on a date when a version of one of its plans was filed on or before that date
and the plan's period has not ended before that date's year (a 2021–2023 plan filed in March 2021 counts from then
until 31 December 2023). The Python form (``plan1_in_force``) serves the pages; the SQL form (``plan1_in_force_sql``)
the indicator, and a parity test keeps them identical.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Section:
    field: str
    label: object
    rule: str
    help: object


# The nine sections the plan requires (PLAN-1), then the three plans of SUP-4, in the order of the document.
SECTIONS: tuple[Section, ...] = (
    Section(
        "goals",
        pgettext_lazy("plan section", "Task goals"),
        "PLAN-1",
        _("The county's targets for stations and the workforce, by year"),
    ),
    Section(
        "siting",
        pgettext_lazy("plan section", "Station siting"),
        "PLAN-1",
        _("Where the stations and village/community rooms are set up"),
    ),
    Section(
        "workforce",
        pgettext_lazy("plan section", "Workforce"),
        "PLAN-1",
        _("Stationed workers, qualifications, training of the workforce, incentives"),
    ),
    Section(
        "funding", pgettext_lazy("plan section", "Funding"), "PLAN-1", _("Sources and amounts of the funds (FUND-1)")
    ),
    Section(
        "services",
        pgettext_lazy("plan section", "Service content"),
        "PLAN-1",
        _("Target groups and services (SRV-1…SRV-3)"),
    ),
    Section(
        "schedule", pgettext_lazy("plan section", "Schedule"), "PLAN-1", _("The steps of the work and their dates")
    ),
    Section(
        "supervision_training",
        pgettext_lazy("plan section", "Supervision and training"),
        "PLAN-1",
        _("How supervision and training are organised (SUP-1…SUP-3)"),
    ),
    Section(
        "evaluation",
        pgettext_lazy("plan section", "Performance evaluation"),
        "PLAN-1",
        _("How the stations and projects are evaluated (PRC-4)"),
    ),
    Section(
        "safeguards",
        pgettext_lazy("plan section", "Safeguards"),
        "PLAN-1",
        _("Leadership, funding guarantees, oversight and publicity"),
    ),
    Section(
        "supervision_plan",
        pgettext_lazy("plan section", "Supervision plan"),
        "SUP-4",
        _("The county's supervision plan, deployed together with the station projects"),
    ),
    Section(
        "training_plan",
        pgettext_lazy("plan section", "Training plan"),
        "SUP-4",
        _("The county's training plan, deployed together with the station projects"),
    ),
    Section(
        "evaluation_plan",
        pgettext_lazy("plan section", "Evaluation plan"),
        "SUP-4",
        _("The county's evaluation plan, deployed together with the station projects"),
    ),
)
SECTION_FIELDS = tuple(s.field for s in SECTIONS)


def plan1_missing_sections(values: dict) -> list[Section]:
    """PLAN-1 / SUP-4: the sections left empty (blank or whitespace only) in a version's text."""
    return [s for s in SECTIONS if not str(values.get(s.field) or "").strip()]


def plan1_in_force(*, filed_on: datetime.date | None, last_year: int, on: datetime.date) -> bool:
    """PLAN-1: a version filed on ``filed_on`` of a plan running to ``last_year`` is in force on ``on``."""
    return filed_on is not None and filed_on <= on and on.year <= last_year


def plan1_in_force_sql(*, county: str, on: str) -> str:
    """PLAN-1, the SQL form of ``plan1_in_force`` for a county code expression and a date expression: whether the
    county has a filed plan in force on the date."""
    return f"""EXISTS (SELECT 1 FROM supervision_planversion pv
                JOIN supervision_countyplan cp ON cp.id = pv.plan_id
                WHERE cp.county_id = {county} AND pv.filed_on IS NOT NULL AND pv.filed_on <= {on}
                  AND EXTRACT(YEAR FROM {on}) <= cp.last_year)"""

"""Workbench alerts of the county plans (PLAN-1), registered from ``SupervisionConfig.ready``: for the city, the
submitted plans waiting to be filed or returned; for a county, its plans returned or still to be submitted (and a
county with no plan covering the current year)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.roles import may_draft_county_plans, may_file_county_plans, may_write
from network.workbench import AlertItem, AlertSource

from . import selectors_plans as selectors
from .choices_plans import PlanStatus


def waiting_items(user, today: datetime.date):
    for v in selectors.versions_waiting(user):
        yield AlertItem(
            key=f"plan1:waiting:{v.pk}",
            title=_("%(county)s: %(title)s v%(n)s awaits filing")
            % {
                "county": v.plan.county.name,
                "title": v.plan.title,
                "n": v.number,
            },
            url=v.get_absolute_url(),
            due_on=v.submitted_at.date() if v.submitted_at else None,
            place_code=v.plan.county_id,
        )


def county_items(user, today: datetime.date):
    for p in selectors.plans_needing_county(user):
        if p.latest_status == PlanStatus.RETURNED:
            title = _("%(county)s: %(title)s v%(n)s was returned; revise it in a new version")
        else:
            title = _("%(county)s: %(title)s v%(n)s is a draft to complete and submit")
        yield AlertItem(
            key=f"plan1:county:{p.pk}:{p.latest_number}:{p.latest_status}",
            title=title % {"county": p.county.name, "title": p.title, "n": p.latest_number},
            url=reverse("supervision:plan_version_detail", args=[p.latest_id]),
            place_code=p.county_id,
        )
    for county in selectors.counties_without_plan(user, year=today.year):
        yield AlertItem(
            key=f"plan1:none:{county.code}:{today.year}",
            title=_("%(county)s has no implementation plan covering %(year)s")
            % {"county": county.name, "year": today.year},
            url=reverse("supervision:plan_create"),
            place_code=county.code,
        )


SOURCES = [
    AlertSource(
        code="plan1-waiting",
        label=gettext_lazy("County plans waiting to be filed or returned"),
        rule="PLAN-1",
        items=waiting_items,
        list_url=lambda user: reverse("supervision:plan_list") + "?status=submitted",
        applies=may_file_county_plans,
        severity="warning",
        order=80,
    ),
    AlertSource(
        code="plan1-county",
        label=gettext_lazy("County plans returned or to be submitted"),
        rule="PLAN-1",
        items=county_items,
        list_url=lambda user: reverse("supervision:plan_list"),
        applies=lambda user: may_write(user) and may_draft_county_plans(user) and not may_file_county_plans(user),
        severity="warning",
        order=81,
    ),
]


def register() -> None:
    from network.workbench import alert_source_register

    for source in SOURCES:
        alert_source_register(source)

"""Rules computed for stations: the standard check (TGT-STD) and the NET-2 demonstration count.

These functions are the only place the rules are computed; pages, the API, imports and the demo
data all call them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from network.choices import PlaceLevel
from network.models import Place
from network.rule_settings import rule_int

from .choices import STANDARD_ITEM_RULE, StandardItem
from .models import CatalogueItem, Station

SIX_HAVES = (StandardItem.HAS_VENUE, StandardItem.HAS_EQUIPMENT, StandardItem.HAS_PERSONNEL,
             StandardItem.HAS_SERVICE_FUNCTIONS, StandardItem.HAS_WORKFLOW, StandardItem.HAS_RULES)


@dataclass(frozen=True)
class StandardItemResult:
    item: str
    rule: str
    ok: bool
    detail: str

    @property
    def label(self) -> str:
        return str(StandardItem(self.item).label)

    def as_dict(self) -> dict:
        return {"item": self.item, "rule": self.rule, "ok": self.ok, "detail": self.detail}


def stationed_worker_count(*, station: Station, on: datetime.date | None = None) -> int:
    """PRC-2: workers stationed at the station on the date (current ``workforce.Assignment`` rows)."""
    from workforce.choices import AssignmentRole
    from workforce.models import Assignment

    on = on or timezone.localdate()
    return (Assignment.objects.filter(station=station, role=AssignmentRole.STATIONED, start_on__lte=on)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=on)).values("worker").distinct().count())


def station_standard_items(*, station: Station, on: datetime.date | None = None) -> list[StandardItemResult]:
    """TGT-STD: each item of the standard check with its rule and result.

    NET-3 six haves; NET-2/SRV-2 a published service catalogue; PRC-2 at least
    ``PRC-2.workers_per_station`` stationed workers. SUP-1 (monthly supervision) joins the check once
    supervision visits are recorded in the portal.
    """
    results = []
    for item in SIX_HAVES:
        ok = bool(getattr(station, item.value))
        results.append(StandardItemResult(item.value, STANDARD_ITEM_RULE[item], ok,
                                          _("present") if ok else _("missing")))
    published = CatalogueItem.objects.filter(station=station, published=True).count()
    results.append(StandardItemResult(
        StandardItem.CATALOGUE.value, STANDARD_ITEM_RULE[StandardItem.CATALOGUE], published > 0,
        _("%(n)s published services") % {"n": published}))
    needed = rule_int("PRC-2.workers_per_station")
    stationed = stationed_worker_count(station=station, on=on)
    results.append(StandardItemResult(
        StandardItem.STATIONED_WORKERS.value, STANDARD_ITEM_RULE[StandardItem.STATIONED_WORKERS],
        stationed >= needed, _("%(n)s stationed, at least %(m)s required") % {"n": stationed, "m": needed}))
    return results


def station_standard_missing(*, station: Station) -> list[StandardItemResult]:
    return [r for r in station_standard_items(station=station) if not r.ok]


def station_six_haves_met(station: Station) -> bool:
    """NET-3: all six haves present."""
    return all(getattr(station, item.value) for item in SIX_HAVES)


@dataclass(frozen=True)
class DemonstrationWarning:
    county: Place
    count: int
    minimum: int
    maximum: int

    @property
    def message(self) -> str:
        return _("NET-2: %(county)s has %(n)s demonstration stations; each county cultivates %(a)s–%(b)s.") % {
            "county": self.county.name, "n": self.count, "a": self.minimum, "b": self.maximum}


def county_demonstration_warnings(*, counties) -> list[DemonstrationWarning]:
    """NET-2: counties with fewer than ``NET-2.demonstration_min`` or more than ``NET-2.demonstration_max``
    demonstration stations (defaults 1 and 2). One query for all counties."""
    low, high = rule_int("NET-2.demonstration_min"), rule_int("NET-2.demonstration_max")
    rows = counties.filter(level=PlaceLevel.COUNTY).annotate(
        demo=Count("children__station", filter=Q(children__station__is_demonstration=True)))
    return [DemonstrationWarning(c, c.demo, low, high) for c in rows if c.demo < low or c.demo > high]

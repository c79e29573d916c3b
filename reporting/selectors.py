"""Reads for dashboards, explanations and the workbook: stored values only, a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max

from network.models import Place

from .catalogue import BY_CODE, INDICATORS, Indicator
from .choices import PeriodKind
from .models import IndicatorValue

CHILD_LEVEL = {"city": "county", "county": "township"}


@dataclass
class PlaceDashboard:
    place: Place
    period: str | None
    periods: list[str]
    values: dict[str, IndicatorValue]  # indicator -> value at the current period
    trends: dict[str, dict[str, IndicatorValue]]  # indicator -> year -> value
    children: list[Place] = field(default_factory=list)
    child_values: dict[str, dict[str, IndicatorValue]] = field(default_factory=dict)  # place -> indicator -> v
    computed_at: object = None
    pending: int = 0  # changes under the place not yet recomputed

    def cards(self) -> list[tuple[Indicator, IndicatorValue | None]]:
        return [(i, self.values.get(i.code)) for i in INDICATORS if self.place.level in i.levels]


def current_period(values) -> str | None:
    months = sorted({v.period for v in values if v.period_kind == PeriodKind.MONTH})
    return months[-1] if months else None


def computed_at_by_indicator() -> dict[str, object]:
    """When each indicator was last computed (confirmed or changed): from the recent runs, one query."""
    from .models import Computation

    out: dict[str, object] = {}
    for finished, codes in Computation.objects.order_by("-finished_at").values_list("finished_at", "indicators")[:50]:
        for code in codes:
            out.setdefault(code, finished)
    return out


def place_freshness(place: Place) -> tuple[object, int]:
    """When the place's values were last computed — by a full run, or by an incremental run that recomputed
    this place — and how many recorded changes under it are still waiting for their recompute (from the
    dirty store ``reporting.PendingChange``; a change to every place counts everywhere). One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT max(finished_at) FROM reporting_computation
                       WHERE "full" OR places @> to_jsonb(CAST(%s AS text))),
                      (SELECT count(*) FROM reporting_pendingchange WHERE place_code LIKE %s OR place_code = '')""",
            [place.code, f"{place.prefix}%"],
        )
        return cursor.fetchone()


def place_dashboard(*, place: Place, period: str | None = None) -> PlaceDashboard:
    """Everything the place's dashboard shows, in three queries whatever the size of the network."""
    own = list(IndicatorValue.objects.filter(place=place))
    periods = sorted({v.period for v in own})
    period = period if period in periods else current_period(own)
    values = {v.indicator: v for v in own if v.period == period}
    trends: dict[str, dict[str, IndicatorValue]] = defaultdict(dict)
    for v in own:
        if v.period_kind == PeriodKind.YEAR:
            trends[v.indicator][v.period] = v
    computed_at, pending = place_freshness(place)
    board = PlaceDashboard(
        place=place,
        period=period,
        periods=periods,
        values=values,
        trends=dict(trends),
        computed_at=computed_at if own else None,
        pending=pending,
    )
    child_level = CHILD_LEVEL.get(place.level)
    if child_level and period:
        rows = (
            IndicatorValue.objects.filter(place__code__startswith=place.prefix, level=child_level, period=period)
            .select_related("place")
            .order_by("place_id")
        )
        children: dict[str, Place] = {}
        for v in rows:
            children.setdefault(v.place_id, v.place)
            board.child_values.setdefault(v.place_id, {})[v.indicator] = v
        board.children = list(children.values())
    return board


def alerts(board: PlaceDashboard) -> list[dict]:
    """County alerts from the stored township values: missing stations, uncertified townships,
    understaffed stations, passed qualification deadlines."""
    out = []
    checks = [
        ("TGT-COV", lambda v: v.value == 0, "missing_station"),
        ("TGT-EVERY", lambda v: v.value == 0, "uncertified"),
        ("PRC-2-STAFF", lambda v: v.denominator and v.value == 0, "understaffed"),
        ("PRC-2-OVERDUE", lambda v: v.value and v.value > 0, "overdue"),
    ]
    for place in board.children:
        vals = board.child_values.get(place.code, {})
        for code, test, kind in checks:
            v = vals.get(code)
            if v is not None and test(v):
                out.append({"place": place, "kind": kind, "indicator": BY_CODE[code], "value": v})
    return out


def value_get(*, indicator: str, place: Place, period: str | None) -> IndicatorValue | None:
    qs = IndicatorValue.objects.filter(indicator=indicator, place=place)
    if period:
        return qs.filter(period=period).first()
    return qs.filter(period_kind=PeriodKind.MONTH).order_by("-period").first()


def indicator_children_values(*, indicator: str, place: Place, period: str):
    """The indicator's values for the places one level below, for an explanation's breakdown."""
    return (
        IndicatorValue.objects.filter(
            indicator=indicator, place__code__startswith=place.prefix, period=period, level=CHILD_LEVEL[place.level]
        )
        .select_related("place")
        .order_by("place_id")
    )


def last_computed_at():
    from .models import Computation

    return Computation.objects.aggregate(at=Max("finished_at"))["at"]


def report_rows(*, place: Place, period: str) -> tuple[list[Place], dict[str, dict[str, IndicatorValue]]]:
    """The place's children and the place itself (last) with their values for the period (one query)."""
    child_level = CHILD_LEVEL.get(place.level)
    rows = (
        IndicatorValue.objects.filter(
            place__code__startswith=place.prefix, period=period, level__in=[place.level, child_level]
        )
        .select_related("place")
        .order_by("place_id")
    )
    places: dict[str, Place] = {}
    values: dict[str, dict[str, IndicatorValue]] = {}
    for v in rows:
        if v.place_id != place.code and v.level != child_level:
            continue
        places.setdefault(v.place_id, v.place)
        values.setdefault(v.place_id, {})[v.indicator] = v
    ordered = [p for code, p in sorted(places.items()) if code != place.code]
    if place.code in places:
        ordered.append(places[place.code])
    return ordered, values

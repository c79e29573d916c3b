"""Dashboards (city, county, township), indicator explanations, recompute and workbook jobs.

Dashboards read stored values only (``reporting.selectors``); places outside the user's scope
answer 404 through ``Place.objects.restrict``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from network.choices import PlaceLevel
from network.jobs import jobs_visible_to
from network.models import Place
from network.roles import is_city_admin, may_start_jobs
from network.rule_settings import rule_int, rule_value
from network.scope import reaches
from network.selectors import user_home_places
from network.views import city_admin_required

from . import selectors, services, workbook
from .catalogue import BY_CODE, INDICATORS, MAP_CODE, SPEC_CODES, TREND_CODES, rule_text
from .choices import IndicatorStatus
from .records import records_for

DASHBOARD_LEVELS = (PlaceLevel.CITY, PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP)


def _visible_place(user, code: str) -> Place:
    return get_object_or_404(
        Place.objects.restrict(user).select_related("parent"), code=code, level__in=DASHBOARD_LEVELS
    )


def _num(v):
    return None if v is None else float(v)


def _chart_data(board) -> dict:
    years = sorted({y for series in board.trends.values() for y in series})
    trends = []
    for code in TREND_CODES:
        ind = BY_CODE[code]
        series = board.trends.get(code, {})
        if not series:
            continue
        trends.append(
            {
                "code": code,
                "name": ind.name,
                "unit": ind.unit,
                "values": [_num(getattr(series.get(y), "value", None)) for y in years],
                "targets": [_num(getattr(series.get(y), "target", None)) for y in years],
            }
        )
    spec = [
        {
            "name": BY_CODE[c].name,
            "value": _num(getattr(board.values.get(c), "value", None)),
            "url": reverse("reporting:explanation", args=[board.place.code, c]),
        }
        for c in SPEC_CODES
        if c in board.values
    ]
    data = {
        "years": years,
        "trends": trends,
        "spec": spec,
        "spec_line": _num(rule_value("TGT-SPEC.min_share")),
        "labels": {"target": _("Target"), "value": pgettext("indicator", "Value")},
    }
    if board.place.level == PlaceLevel.CITY:
        items, zones = [], []
        for child in board.children:
            v = board.child_values.get(child.code, {}).get(MAP_CODE)
            entry = {
                "name": child.name,
                "code": child.code,
                "value": _num(getattr(v, "value", None)),
                "url": reverse("reporting:place_dashboard", args=[child.code]),
            }
            (zones if child.is_functional_zone else items).append(entry)
        data["map"] = {"geojson": static("vendor/geo/liuzhou.geojson"), "items": items, "title": BY_CODE[MAP_CODE].name}
        data["zones"] = zones
    return data


def _render_dashboard(request, place: Place):
    board = selectors.place_dashboard(place=place, period=request.GET.get("period"))
    child_indicators = [i for i in INDICATORS if selectors.CHILD_LEVEL.get(place.level) in i.levels and i.in_ranking]
    ranking = []
    for child in board.children:
        vals = board.child_values.get(child.code, {})
        ranking.append(
            {
                "place": child,
                "cells": [vals.get(i.code) for i in child_indicators],
                "sort": getattr(vals.get(MAP_CODE), "value", None) or 0,
            }
        )
    ranking.sort(key=lambda r: (-r["sort"], r["place"].code))
    parent = place.parent if place.level != PlaceLevel.CITY else None
    return render(
        request,
        "reporting/dashboard.html",
        {
            "title": _("Indicators: %(place)s") % {"place": place.name},
            "place": place,
            "board": board,
            "cards": board.cards(),
            "ranking": ranking,
            "child_indicators": child_indicators,
            "alerts": selectors.alerts(board) if place.level == PlaceLevel.COUNTY else [],
            "chart_data": _chart_data(board),
            "parent": parent,
            # Links up only to the places the user may open (a county officer does not see the city).
            "parent_visible": parent is not None and reaches(request.user, parent.code),
            "city_visible": parent is not None and bool(parent.parent_id) and reaches(request.user, parent.parent_id),
            "can_recompute": is_city_admin(request.user),
            "can_report": place.level in (PlaceLevel.CITY, PlaceLevel.COUNTY) and may_start_jobs(request.user),
            "spec_line": rule_value("TGT-SPEC.min_share"),
            "workers_per_station": rule_int("PRC-2.workers_per_station"),
        },
    )


@login_required
def dashboard(request):
    """The user's own dashboard: the highest place they hold (city, county or township)."""
    places = [p for p in user_home_places(request.user) if p.level in DASHBOARD_LEVELS]
    if not places:
        raise Http404(_("No place to report on."))
    return _render_dashboard(request, places[0])


@login_required
def place_dashboard(request, code: str):
    return _render_dashboard(request, _visible_place(request.user, code))


@login_required
def explanation(request, code: str, indicator: str):
    """A figure's explanation: rule text, numerator, denominator, target and the records behind it."""
    place = _visible_place(request.user, code)
    ind = BY_CODE.get(indicator)
    if ind is None or place.level not in ind.levels:
        raise Http404
    value = selectors.value_get(indicator=ind.code, place=place, period=request.GET.get("period"))
    headers, rows = records_for(ind, request.user, place, value.as_of) if value else ([], [])
    children = []
    child_level = selectors.CHILD_LEVEL.get(place.level)
    if value and child_level in ind.levels:
        children = list(selectors.indicator_children_values(indicator=ind.code, place=place, period=value.period))
    return render(
        request,
        "reporting/explanation.html",
        {
            "title": ind.name,
            "place": place,
            "indicator": ind,
            "value": value,
            "rule_text": rule_text(ind.rule),
            "headers": headers,
            "rows": rows,
            "children": children,
            "limit": len(rows) >= 500,
            "computed_at": selectors.place_freshness(place)[0] if value else None,
        },
    )


@city_admin_required
def recompute(request):
    """A city administrator starts a full recompute and watches its progress."""
    if request.method == "POST":
        job = services.indicators_recompute_start(user=request.user)
        return redirect("network:job_detail", job.pk)
    jobs = jobs_visible_to(request.user).filter(kind="reporting.recompute")[:10]
    return render(
        request,
        "reporting/recompute.html",
        {"title": _("Recompute indicators"), "jobs": jobs, "computed_at": selectors.last_computed_at()},
    )


@login_required
@require_POST
def report_start(request, code: str):
    """Start the report workbook for a city or county the user may see (a county officer: their county)."""
    if not may_start_jobs(request.user):
        raise PermissionDenied(_("Read-only roles read the dashboards; a role that writes makes the report workbook."))
    place = _visible_place(request.user, code)
    if place.level not in (PlaceLevel.CITY, PlaceLevel.COUNTY):
        raise PermissionDenied(_("Reports are made for the city or a county-level unit."))
    board_period = selectors.value_get(indicator=MAP_CODE, place=place, period=request.POST.get("period") or None)
    if board_period is None:
        raise Http404(_("Nothing has been computed yet."))
    job = workbook.report_workbook_start(user=request.user, place=place, period=board_period.period)
    return redirect("network:job_detail", job.pk)


STATUS_CSS = {
    IndicatorStatus.MET: "success",
    IndicatorStatus.ON_TRACK: "info",
    IndicatorStatus.AT_RISK: "warning",
    IndicatorStatus.MISSED: "danger",
    IndicatorStatus.NONE: "secondary",
}

"""The user's key figures on the workbench, from the stored indicator values (``reporting.IndicatorValue``): the
city for the city's staff, the county for a county officer, the township for a station worker. Registered into
``network.workbench`` in ``ReportingConfig.ready``."""

from __future__ import annotations

import datetime

from django.urls import reverse

from network.selectors import user_home_places
from network.workbench import KeyFigure

from .catalogue import INDICATORS
from .choices import PeriodKind
from .models import IndicatorValue
from .templatetags.indicators import fmt_value

FIGURE_LEVELS = ("city", "county", "township")
MAX_FIGURES = 8


def key_figures(user, today: datetime.date) -> list[KeyFigure]:
    """The current month's computed values of the user's own (highest) place; those with a target first."""
    places = [p for p in user_home_places(user) if p.level in FIGURE_LEVELS]
    if not places:
        return []
    place = places[0]
    values = list(IndicatorValue.objects.filter(place=place, period_kind=PeriodKind.MONTH))
    if not values:
        return []
    period = max(v.period for v in values)
    current = {v.indicator: v for v in values if v.period == period}
    figures = []
    for indicator in INDICATORS:
        v = current.get(indicator.code)
        if v is None or place.level not in indicator.levels:
            continue
        figures.append(
            KeyFigure(
                code=indicator.code,
                label=indicator.name,
                value=fmt_value(v, indicator.unit),
                status=v.status,
                status_label=v.get_status_display() if v.status else "",
                target=fmt_value(v.target, indicator.unit) if v.target is not None else "",
                url=reverse("reporting:explanation", args=[place.code, indicator.code]) + f"?period={period}",
                place=place.name,
            )
        )
    figures.sort(key=lambda f: 0 if f.status else 1)
    return figures[:MAX_FIGURES]

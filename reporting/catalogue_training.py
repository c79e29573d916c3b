"""The training indicators (SUP-2), their rule text and their group, added to the catalogue
(``reporting.catalogue`` imports this module at the end of its list)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from network.rule_settings import PLAN_FIRST_YEAR

from . import queries
from .catalogue import CITY, COUNTY, GROUPS, RULE_TEXT, TOWNSHIP, Indicator
from .choices import IndicatorKind

GROUPS["training"] = _("Training (SUP-2)")

RULE_TEXT["SUP-2"] = _(
    "Each stationed social worker receives at least %(train_hours)s hours of training a year, online and offline. "
    "A worker stationed part of the year owes %(train_hours)s hours × the days stationed in the year ÷ the days of "
    "the year (365 or 366), to 0.1 hour; a day on two assignments counts once. For the current year the hours "
    "required and the hours attended run from 1 January to the date (the pro-rata path). A worker counts at the "
    "station of their last assignment in the year."
)

TRAINING_INDICATORS = [
    Indicator(
        "SUP-2-MET",
        "SUP-2",
        "培训学时达标驻站社工比例",
        "Stationed workers with the required training hours",
        _(
            "Workers stationed at a station in the year up to the date whose training hours attended from 1 January "
            "to the date reach %(train_hours)s hours pro rata to the days stationed, over those workers."
        ),
        _("Stationed workers with the required hours"),
        _("Workers stationed in the year to the date"),
        "%",
        IndicatorKind.SHARE,
        queries.training_met,
        "training",
        levels=(CITY, COUNTY, TOWNSHIP),
        target=lambda year: Decimal(100) if year >= PLAN_FIRST_YEAR else None,
        records="training",
    ),
    Indicator(
        "SUP-2-AVG",
        "SUP-2",
        "驻站社工人均培训学时",
        "Average training hours per stationed worker",
        _(
            "Training hours attended from 1 January to the date by the workers stationed in the year up to the date, "
            "over those workers (the requirement is %(train_hours)s hours a year, pro rata)."
        ),
        _("Training hours attended"),
        _("Workers stationed in the year to the date"),
        _("hours"),
        IndicatorKind.AVERAGE,
        queries.training_average,
        "training",
        levels=(CITY, COUNTY),
        records="training",
        in_ranking=False,
    ),
]

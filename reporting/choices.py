from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorStatus(models.TextChoices):
    """How a stored value stands against its target (see reporting.status)."""

    NONE = "", _("No target")
    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    MISSED = "missed", _("Missed")


class IndicatorKind(models.TextChoices):
    SHARE = "share", _("Share (numerator ÷ denominator, %)")
    COUNT = "count", _("Count")
    AVERAGE = "average", _("Average (numerator ÷ denominator)")
    DERIVED = "derived", _("Derived from another indicator")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year-end (31 Dec)")
    MONTH = "month", _("Current month to date")

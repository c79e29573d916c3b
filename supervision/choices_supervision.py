"""Choices of supervision (SUP-1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionMethod(models.TextChoices):
    """How a supervisor works with the station during a session (the plan's 督导方式)."""

    CASEWORK = "casework", _("Accompanying casework")
    GROUP = "group", _("Accompanying group work")
    COMMUNITY = "community", _("Accompanying community work")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    TRAINING = "training", _("Training on site")


class LogStatus(models.TextChoices):
    """A log is recorded by the supervisor's provider (or the county) and confirmed by the station."""

    RECORDED = "recorded", _("Awaiting the station's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the station")


class MonthState(models.TextChoices):
    """SUP-1 for one station and month, as the heat map colours it."""

    MET = "met", _("Met")
    PARTIAL = "partial", _("Partial")
    NONE = "none", _("No supervision")
    NOT_DUE = "not_due", _("Not yet due")

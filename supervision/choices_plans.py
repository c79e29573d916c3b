"""Choices of the county plans (PLAN-1, SUP-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """Where a version of a county plan stands in the filing workflow (PLAN-1): the county drafts and submits, the
    city civil-affairs bureau files it (备案) or returns it with comments; a filed version is replaced only by a newer
    version filed again, and is then superseded."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting filing")
    RETURNED = "returned", _("Returned with comments")
    FILED = "filed", _("Filed")
    SUPERSEDED = "superseded", _("Superseded by a newer filed version")


# A version in one of these states is still being worked on: a plan has at most one at a time.
OPEN_STATUSES = (PlanStatus.DRAFT, PlanStatus.SUBMITTED)
# A new version may be started from the latest one when it is in one of these states.
REVISABLE_STATUSES = (PlanStatus.RETURNED, PlanStatus.FILED)

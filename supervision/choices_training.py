"""Choices of the training area (SUP-2, SUP-3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    """SUP-3: the city offers basic-policy, basic-competence and field-specific courses."""

    BASIC_POLICY = "basic_policy", _("Basic policy")
    BASIC_COMPETENCE = "basic_competence", _("Basic competence")
    FIELD_SPECIFIC = "field_specific", _("Field-specific")


class CourseMode(models.TextChoices):
    """SUP-2: training is online and offline."""

    OFFLINE = "offline", _("Offline")
    ONLINE = "online", _("Online")


class OrganiserLevel(models.TextChoices):
    """Who organises a course: the city, a county, a provider, or the national social-work information system's
    online training."""

    CITY = "city", _("City")
    COUNTY = "county", _("County")
    PROVIDER = "provider", _("Service provider")
    NATIONAL_ONLINE = "national_online", _("National social-work information system (online)")


class AttendanceSource(models.TextChoices):
    FORM = "form", _("Recorded on the page")
    IMPORT = "import", _("Imported sign-in sheet")
    API = "api", _("API")

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationStatus(models.TextChoices):
    """NET-3 station life cycle; TGT-COV counts established and operating."""

    PLANNED = "planned", _("Planned")
    ESTABLISHED = "established", _("Established")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


COUNTED_STATUSES = (StationStatus.ESTABLISHED, StationStatus.OPERATING)

# Which status may follow which (NET-3 life cycle).
ALLOWED_TRANSITIONS = {
    None: {StationStatus.PLANNED, StationStatus.ESTABLISHED, StationStatus.OPERATING},
    StationStatus.PLANNED: {StationStatus.ESTABLISHED, StationStatus.OPERATING, StationStatus.CLOSED},
    StationStatus.ESTABLISHED: {StationStatus.OPERATING, StationStatus.SUSPENDED, StationStatus.CLOSED},
    StationStatus.OPERATING: {StationStatus.SUSPENDED, StationStatus.CLOSED},
    StationStatus.SUSPENDED: {StationStatus.OPERATING, StationStatus.CLOSED},
    StationStatus.CLOSED: {StationStatus.ESTABLISHED, StationStatus.OPERATING},
}


class SharedVenue(models.TextChoices):
    """NET-3: the venues a station's casework and group rooms may be shared with."""

    CIVILISATION_PRACTICE = "civilisation_practice", _("New-Era Civilisation Practice centre/station")
    MINORS_PROTECTION = "minors_protection", _("Minors-protection workstation")
    WOMEN_SUNSHINE = "women_sunshine", _("Women's volunteer sunshine station")
    WOMENS_HOME = "womens_home", _("Women's home")
    ELDERLY_CARE = "elderly_care", _("Elderly-care institution")


class SixHaves(models.TextChoices):
    """NET-3 "six haves" (六有)."""

    VENUE = "has_venue", _("Venue")
    EQUIPMENT = "has_equipment", _("Equipment")
    PERSONNEL = "has_personnel", _("Personnel")
    SERVICE_FUNCTIONS = "has_service_functions", _("Service functions")
    WORKFLOW = "has_workflow", _("Workflow")
    RULES = "has_rules", _("Rules and regulations")


class ServiceField(models.TextChoices):
    """SRV-2 fields of a station's service catalogue."""

    LIVELIHOOD = "livelihood", _("Basic livelihood security")
    GOVERNANCE = "governance", _("Grassroots social governance")
    SOCIAL_SERVICES = "social_services", _("Basic social services")


class RoomStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")

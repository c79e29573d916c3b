from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    ACTIVE = "active", pgettext_lazy("room status", "Active")
    CLOSED = "closed", _("Closed")


class TargetGroup(models.TextChoices):
    """SRV-1: the ten target groups of station services; a person may belong to several."""

    MINIMUM_ALLOWANCE = "dibao", _("Minimum-living-allowance recipient")
    MARGINAL = "dibao_margin", _("Family on the margin of the allowance")
    EXTREME_POVERTY = "tekun", _("Person in extreme poverty")
    TEMPORARY_ASSISTANCE = "temporary", _("Temporary-assistance recipient")
    ORPHAN = "orphan", _("Orphan")
    UNSUPPORTED_CHILD = "unsupported_child", _("De-facto-unsupported child")
    LEFT_BEHIND = "left_behind", _("Rural left-behind person (child, woman, elderly)")
    ELDERLY_DIFFICULTY = "elderly_difficulty", _("Elderly person in special difficulty")
    DISABILITY = "disability", _("Person with disabilities")
    HOMELESS = "homeless", _("Homeless vagrant or beggar")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class NeedLevel(models.TextChoices):
    """SRV-3: how pressing a need is, at each of the material, psychological and social levels."""

    NONE = "none", _("No need")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ServiceKind(models.TextChoices):
    """SRV-3 methods recorded as services."""

    HOME_VISIT = "home_visit", _("Home visit")
    CASEWORK = "casework", _("Casework session")
    GROUP = "group", _("Group session")
    COMMUNITY = "community", _("Community activity")


class StandardItem(models.TextChoices):
    """TGT-STD: the items of a station's standard check that the stations app contributes (the six haves of
    NET-3 and the NET-2 service catalogue). Other apps contribute theirs to the registry of
    ``stations.rules`` (workforce: the PRC-2 stationed workers)."""

    HAS_VENUE = "has_venue", _("Venue")
    HAS_EQUIPMENT = "has_equipment", _("Equipment")
    HAS_PERSONNEL = "has_personnel", _("Personnel")
    HAS_SERVICE_FUNCTIONS = "has_service_functions", _("Service functions")
    HAS_WORKFLOW = "has_workflow", _("Workflow")
    HAS_RULES = "has_rules", _("Rules and regulations")
    CATALOGUE = "catalogue", _("Published service catalogue")


SIX_HAVES_FIELDS = (
    StandardItem.HAS_VENUE,
    StandardItem.HAS_EQUIPMENT,
    StandardItem.HAS_PERSONNEL,
    StandardItem.HAS_SERVICE_FUNCTIONS,
    StandardItem.HAS_WORKFLOW,
    StandardItem.HAS_RULES,
)

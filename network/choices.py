from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceLevel(models.TextChoices):
    """The five levels of the statistical division code (RULES.md, Places)."""

    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County-level unit")
    TOWNSHIP = "township", _("Township / town / street")
    VILLAGE = "village", _("Village / community")


class PlaceKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    COUNTY_CITY = "city_county", _("County-level city")
    ZONE = "zone", _("Functional zone")
    STREET = "street", _("Street")
    TOWN = "town", _("Town")
    TOWNSHIP = "township", _("Township")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City administrator")
    CITY_VIEWER = "city_viewer", _("City viewer")
    COUNTY_OFFICER = "county_officer", _("County officer")
    STATION_WORKER = "station_worker", _("Station worker")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    EVALUATOR = "evaluator", _("Evaluator")
    API_CLIENT = "api_client", _("API client")


# Roles that may only read, whatever places they hold.
READ_ONLY_ROLES = frozenset({Role.CITY_VIEWER, Role.EVALUATOR, Role.API_CLIENT})
# Roles that see personal data (ID numbers, phones) unmasked.
PERSONAL_DATA_ROLES = frozenset({Role.CITY_ADMIN, Role.COUNTY_OFFICER, Role.STATION_WORKER})
# The place level each role is granted at, checked when a grant is made.
ROLE_PLACE_LEVEL = {
    Role.CITY_ADMIN: PlaceLevel.CITY,
    Role.CITY_VIEWER: PlaceLevel.CITY,
    Role.COUNTY_OFFICER: PlaceLevel.COUNTY,
    Role.STATION_WORKER: PlaceLevel.TOWNSHIP,
}


class CentreLevel(models.TextChoices):
    CITY = "city", _("City social-work development centre (NET-1)")
    COUNTY = "county", _("County guidance centre (NET-2)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")

    @classmethod
    def finished(cls) -> list[str]:
        return [cls.DONE, cls.FAILED]


class PersonalDataAction(models.TextChoices):
    """What happened to personal data (PIPL Art. 51): each unmasked read, and each refused ID number."""

    VIEW = "view", _("Viewed unmasked on a page")
    EXPORT = "export", _("Exported unmasked")
    API = "api", _("Read unmasked through the API")
    REFUSED_ID = "refused_id", _("ID number of a person outside the user's places entered")

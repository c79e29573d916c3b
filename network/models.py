"""The place tree (RULES.md "Places"), the portal's users and their grants, centres, rule settings."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from .choices import CentreLevel, JobStatus, PlaceKind, PlaceLevel, Role
from .scope import ScopedQuerySet

# Significant digits of a 12-digit division code at each level: the descendants of a
# place are exactly the codes that start with its prefix.
LEVEL_PREFIX_LENGTH = {
    PlaceLevel.PROVINCE: 2,
    PlaceLevel.CITY: 4,
    PlaceLevel.COUNTY: 6,
    PlaceLevel.TOWNSHIP: 9,
    PlaceLevel.VILLAGE: 12,
}


class Place(models.Model):
    """A division of the statistical list, keyed by its 12-digit code, or a functional zone."""

    code = models.CharField(_("division code"), max_length=12, primary_key=True,
                            help_text=_("12-digit statistical division code"))
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=PlaceLevel.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PlaceKind.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    is_functional_zone = models.BooleanField(
        _("functional zone"), default=False,
        help_text=_("Not a statistical division; acts as a county-level unit for the plan (RULES.md)"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "code"

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]

    def get_absolute_url(self):
        return reverse("network:place_detail", args=[self.pk])

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: LEVEL_PREFIX_LENGTH[self.level]]

    def ancestor_codes(self) -> list[str]:
        """Codes of the county and city above this place (derived from the code, no queries)."""
        codes = []
        for level in (PlaceLevel.CITY, PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP):
            n = LEVEL_PREFIX_LENGTH[level]
            if n < LEVEL_PREFIX_LENGTH[self.level]:
                codes.append(self.code[:n].ljust(12, "0"))
        return codes


class User(AbstractUser):
    """A portal account. Its role says what it may do; its granted places say where."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITY_VIEWER)
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True,
                                    help_text=_("Provider or evaluating organisation, for those roles"))
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("network:user_edit", args=[self.pk])


class PlaceUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key table: a user granted an action on a place."""

    content_object = models.ForeignKey(Place, on_delete=models.CASCADE)
    history = HistoricalRecords()  # who granted or revoked which place, and when

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("place grant")
        verbose_name_plural = _("place grants")


class PlaceGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Place, on_delete=models.CASCADE)


class Centre(models.Model):
    """NET-1 city development centre or NET-2 county guidance centre."""

    level = models.CharField(_("level"), max_length=10, choices=CentreLevel.choices)
    place = models.OneToOneField(Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="centre")
    name = models.CharField(_("name"), max_length=100)
    host = models.CharField(_("host institution"), max_length=100, blank=True,
                            help_text=_("NET-2: housed in the county civil-affairs bureau"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["place_id"]

    def get_absolute_url(self):
        return reverse("network:centre_detail", args=[self.pk])

    def __str__(self):
        return self.name


class RuleSetting(models.Model):
    """A number of RULES.md the city centre may change; absent rows mean the plan's default."""

    key = models.CharField(_("key"), max_length=60, primary_key=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")

    def __str__(self):
        return f"{self.key}={self.value}"


class Job(models.Model):
    """A long-running task (import, recompute, report) whose progress a page can show.

    Tasks take the job id, update ``progress`` as they go and store the outcome; only the user who
    started a job (and superusers) can see it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, help_text=_("percent done"))
    message = models.TextField(_("message"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    upload = models.FileField(_("uploaded file"), upload_to="jobs/in/%Y/%m/", blank=True)
    output = models.FileField(_("output file"), upload_to="jobs/out/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True,
                                   on_delete=models.SET_NULL, related_name="jobs")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.get_status_display()} {self.progress}%"

    def get_absolute_url(self):
        return reverse("network:job_detail", args=[self.pk])

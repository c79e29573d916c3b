"""The place tree (RULES.md "Places"), the portal's users and their grants, centres, rule settings."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.lookups import Regex
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from liuzhou_social.validators import text_limit

from .choices import CentreLevel, JobStatus, PersonalDataAction, PlaceKind, PlaceLevel, Role
from .history import PortalHistoricalRecords
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

    code = models.CharField(
        _("division code"), max_length=12, primary_key=True, help_text=_("12-digit statistical division code")
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=PlaceLevel.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PlaceKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_functional_zone = models.BooleanField(
        _("functional zone"),
        default=False,
        help_text=_("Not a statistical division; acts as a county-level unit for the plan (RULES.md)"),
    )
    history = PortalHistoricalRecords()

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
    organisation = models.CharField(
        _("organisation"),
        max_length=100,
        blank=True,
        help_text=_("Provider or evaluating organisation, for those roles"),
    )
    history = PortalHistoricalRecords(excluded_fields=["password", "last_login"])

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
    history = PortalHistoricalRecords()  # who granted or revoked which place, and when

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
    host = models.CharField(
        _("host institution"),
        max_length=100,
        blank=True,
        help_text=_("NET-2: housed in the county civil-affairs bureau"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["place_id"]
        constraints = [
            # NET-1: the city centre sits at the city (a code ending in 8 zeros); NET-2: a guidance centre at
            # a county-level unit (6 zeros, not 8). One centre per place is the one-to-one key.
            models.CheckConstraint(
                condition=(
                    models.Q(Regex(models.F("place"), r"^\d{4}0{8}$"), level="city")
                    | models.Q(
                        Regex(models.F("place"), r"^\d{6}0{6}$"),
                        ~models.Q(Regex(models.F("place"), r"^\d{4}0{8}$")),
                        level="county",
                    )
                ),
                name="centre_level_matches_place",
                violation_error_message=_("NET-1/NET-2: a centre's level must match its place."),
            )
        ]

    def get_absolute_url(self):
        return reverse("network:centre_detail", args=[self.pk])

    def __str__(self):
        return self.name


class RuleSetting(models.Model):
    """A number of RULES.md the city centre may change; absent rows mean the plan's default."""

    key = models.CharField(_("key"), max_length=60, primary_key=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    history = PortalHistoricalRecords()

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(
        _("last news"), default=timezone.now, help_text=_("when the job was queued or last reported progress")
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.get_status_display()} {self.progress}%"

    def get_absolute_url(self):
        return reverse("network:job_detail", args=[self.pk])


class PersonalDataEvent(models.Model):
    """PIPL Art. 28/51: who read unmasked ID numbers or phones (a page, an export, the API), when, from
    where and why (exports ask a reason); and who entered the ID number of a person registered outside
    their places. The city administrator reads this log; nobody edits it."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=12, choices=PersonalDataAction.choices)
    subject = models.CharField(_("records of"), max_length=60, help_text=_("the kind of record, e.g. recipients"))
    object_ids = models.JSONField(_("record ids"), default=list, blank=True, help_text=_("at most 1,000 are kept"))
    count = models.PositiveIntegerField(_("records"), default=0)
    path = models.CharField(_("address"), max_length=300, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("personal-data event")
        verbose_name_plural = _("personal-data events")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.subject} ×{self.count}"


class RetiredFile(models.Model):
    """An uploaded file a record no longer uses (evidence replaced by a new scan, or its record deleted). It is
    kept for ``EVIDENCE_RETENTION_DAYS`` — the change history still names it — and then deleted from storage by the
    nightly ``network.tasks.files_purge`` (PIPL Art. 47: personal information is deleted once its purpose ends)."""

    name = models.CharField(_("file"), max_length=300, help_text=_("the file's name in the media storage"))
    retired_at = models.DateTimeField(_("no longer used since"), auto_now_add=True, db_index=True)
    record = models.CharField(_("record"), max_length=100, blank=True, help_text=_("what used the file"))

    class Meta:
        verbose_name = _("retired file")
        verbose_name_plural = _("retired files")
        ordering = ["retired_at"]

    def __str__(self):
        return self.name


# --- The workbench: notifications and notices ---------------------------------------------------------------------


class NotificationQuerySet(models.QuerySet):
    def open_for(self, user):
        """The user's own notifications whose alert still stands (a resolved alert leaves the open list)."""
        return self.filter(user=user, resolved_at__isnull=True)


class Notification(models.Model):
    """An alert item of the workbench registry (``network.workbench``) delivered to one user. The beat task creates
    it once per item key and recipient (the unique constraint makes a second run a no-op), marks it resolved once
    the alert no longer lists the item, and the daily digest e-mails the new ones to those who asked for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("item"), max_length=200, help_text=_("the record and the reason, e.g. srv3:followup:42"))
    source = models.CharField(_("kind"), max_length=40, help_text=_("the code of the alert kind"))
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, help_text=_("the page of the record"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    resolved_at = models.DateTimeField(
        _("resolved at"), null=True, blank=True, help_text=_("when the alert stopped listing the item")
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="notification_once_per_item_and_user",
                violation_error_message=_("This item was already notified to this user."),
            )
        ]
        indexes = [models.Index(fields=["user", "resolved_at", "read_at"], name="notification_open")]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """A user's choice about notifications: the daily e-mail digest is optional and off until asked for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email_digest = models.BooleanField(
        _("daily e-mail digest"),
        default=False,
        help_text=_("Send me, once a day, an e-mail listing the new notifications (to the address of my account)."),
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


class Notice(models.Model):
    """A notice (通知公告) published by the city centre for the city, or by a county for its own area, to the users
    of the chosen levels in the chosen places. Who it is addressed to is fixed when it is published: one receipt
    per addressed user, which records when they read it."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), **text_limit(10000))
    place = models.ForeignKey(
        Place,
        verbose_name=_("published for"),
        on_delete=models.PROTECT,
        related_name="notices",
        help_text=_("the city or the county-level unit whose area the notice addresses"),
    )
    levels = models.JSONField(
        _("addressed levels"), default=list, help_text=_("the levels of the users it is addressed to")
    )
    audience = models.ManyToManyField(
        Place,
        verbose_name=_("addressed places"),
        blank=True,
        related_name="+",
        help_text=_("only these places of the area (none: the whole area)"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="notices_published",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:notice_detail", args=[self.pk])


class NoticeAttachment(models.Model):
    """A file attached to a notice (the portal's upload checks: type by content, size)."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="notices/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)

    objects = ScopedQuerySet.as_manager()
    scope_field = "notice__place__code"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.name


class NoticeReceipt(models.Model):
    """A notice addressed to one user, and when they read it (the publisher sees who has read and who has not)."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("addressee"), on_delete=models.CASCADE, related_name="notice_receipts"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["notice_id", "user_id"]
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_receipt_once")]

    def __str__(self):
        return f"{self.notice} · {self.user}"

"""Township stations (NET-3) with dated status history, their service catalogue, village rooms (NET-4)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuzhou_social.fields import EncryptedCharField, KeyedHashField
from liuzhou_social.validators import text_limit, validate_id_number, validate_phone
from network.history import PortalHistoricalRecords
from network.models import Place
from network.scope import ScopedQuerySet

from .choices import Gender, NeedLevel, RoomStatus, ServiceField, ServiceKind, SharedVenue, StationStatus


class Station(models.Model):
    """One social-work station per township/street (NET-3)."""

    place = models.OneToOneField(
        Place,
        verbose_name=_("township / street"),
        on_delete=models.PROTECT,
        related_name="station",
        error_messages={"unique": _("NET-3: this township already has a station.")},
    )
    status = models.CharField(
        _("current status"),
        max_length=12,
        choices=StationStatus.choices,
        default=StationStatus.PLANNED,
        db_index=True,
        editable=False,
        help_text=_("Kept equal to the latest entry of the status history"),
    )
    # The six haves as they are today, kept equal to the latest entry of their dated history
    # (``SixHavesChange``), which the standard on a past date is computed from (TGT-STD).
    has_venue = models.BooleanField(_("venue"), default=False, help_text=_("NET-3 six haves: venue"))
    has_equipment = models.BooleanField(_("equipment"), default=False, help_text=_("NET-3 six haves: equipment"))
    has_personnel = models.BooleanField(_("personnel"), default=False, help_text=_("NET-3 six haves: personnel"))
    has_service_functions = models.BooleanField(
        _("service functions"), default=False, help_text=_("NET-3 six haves: service functions")
    )
    has_workflow = models.BooleanField(_("workflow"), default=False, help_text=_("NET-3 six haves: workflow"))
    has_rules = models.BooleanField(
        _("rules and regulations"), default=False, help_text=_("NET-3 six haves: rules and regulations")
    )
    independent_office = models.BooleanField(
        _("independent office"), default=False, help_text=_("NET-3: the office is relatively independent")
    )
    shared_venues = models.JSONField(
        _("shared venues"),
        default=list,
        blank=True,
        help_text=_("NET-3: venues the casework and group rooms are shared with"),
    )
    is_demonstration = models.BooleanField(
        _("demonstration station"),
        default=False,
        help_text=_("NET-2: each county cultivates a few demonstration stations (numbers in the rule settings)"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True, **text_limit(2000))
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["place_id"]

    def get_absolute_url(self):
        return reverse("stations:station_detail", args=[self.pk])

    def __str__(self):
        return self.sign_text

    @property
    def sign_text(self) -> str:
        from .services import station_sign_text

        return station_sign_text(self.place)

    @property
    def shared_venue_labels(self) -> list[str]:
        return [str(SharedVenue(v).label) for v in self.shared_venues if v in SharedVenue.values]


class StationStatusChange(models.Model):
    """A dated entry of a station's status history; entries are added, never overwritten."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=12, choices=StationStatus.choices)
    effective_on = models.DateField(_("effective on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "station__place__code"

    class Meta:
        verbose_name = _("station status change")
        verbose_name_plural = _("station status changes")
        ordering = ["station_id", "effective_on", "id"]
        indexes = [models.Index(fields=["station", "effective_on"])]

    def __str__(self):
        return f"{self.get_status_display()} {self.effective_on}"


class SixHavesChange(models.Model):
    """A dated entry of a station's six haves (NET-3): from ``effective_on`` on, the station has exactly the
    haves ticked here, until the next entry. Entries are added, never overwritten, like the status history,
    so the standard check (TGT-STD) on a past date reads what was true then."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="six_haves_changes"
    )
    effective_on = models.DateField(_("effective on"))
    has_venue = models.BooleanField(_("venue"), default=False, help_text=_("NET-3 six haves: venue"))
    has_equipment = models.BooleanField(_("equipment"), default=False, help_text=_("NET-3 six haves: equipment"))
    has_personnel = models.BooleanField(_("personnel"), default=False, help_text=_("NET-3 six haves: personnel"))
    has_service_functions = models.BooleanField(
        _("service functions"), default=False, help_text=_("NET-3 six haves: service functions")
    )
    has_workflow = models.BooleanField(_("workflow"), default=False, help_text=_("NET-3 six haves: workflow"))
    has_rules = models.BooleanField(
        _("rules and regulations"), default=False, help_text=_("NET-3 six haves: rules and regulations")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "station__place__code"

    class Meta:
        verbose_name = _("six haves change")
        verbose_name_plural = _("six haves history")
        ordering = ["station_id", "effective_on", "id"]
        indexes = [models.Index(fields=["station", "effective_on"], name="st_sixhaves_station_on")]

    def __str__(self):
        return f"{self.station_id} {self.effective_on}"


class CatalogueItem(models.Model):
    """An entry of a station's service catalogue (NET-2 guides it, SRV-2 fields).

    It is published from ``published_on`` (empty: a draft) until the day before ``withdrawn_on``; the
    standard check (TGT-STD) on a date counts the entries published on that date. A service offered again
    after being withdrawn is entered anew, so the withdrawn period stays in the record."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="catalogue")
    field = models.CharField(_("field"), max_length=20, choices=ServiceField.choices)
    title = models.CharField(_("service"), max_length=100)
    description = models.TextField(_("description"), blank=True, **text_limit(2000))
    published_on = models.DateField(
        _("published on"), null=True, blank=True, help_text=_("From this date the service is offered; empty: a draft")
    )
    withdrawn_on = models.DateField(
        _("withdrawn on"), null=True, blank=True, help_text=_("From this date the service is no longer offered")
    )
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "station__place__code"

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("service catalogue")
        ordering = ["station_id", "field", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | (models.Q(published_on__isnull=False) & models.Q(withdrawn_on__gt=models.F("published_on"))),
                name="st_catalogue_withdrawn_after_published",
            )
        ]

    def __str__(self):
        return self.title

    def published_on_date(self, on) -> bool:
        """Offered on the date (TGT-STD counts the entries published on the date)."""
        return (
            self.published_on is not None
            and self.published_on <= on
            and (self.withdrawn_on is None or self.withdrawn_on > on)
        )

    @property
    def published(self) -> bool:
        from django.utils import timezone

        return self.published_on_date(timezone.localdate())


class Room(models.Model):
    """A village/community social-work room (NET-4), inside the party-mass service centre."""

    place = models.OneToOneField(
        Place,
        verbose_name=_("village / community"),
        on_delete=models.PROTECT,
        related_name="room",
        error_messages={"unique": _("NET-4: this village/community already has a room.")},
    )
    status = models.CharField(_("status"), max_length=10, choices=RoomStatus.choices, default=RoomStatus.ACTIVE)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    in_party_mass_centre = models.BooleanField(
        _("inside the party-mass service centre"),
        default=True,
        help_text=_("NET-4: no separate space; the room is inside the community party-mass service centre"),
    )
    staffing_note = models.CharField(
        _("staffing"),
        max_length=200,
        blank=True,
        help_text=_("NET-4: existing village/community personnel who staff the room"),
    )
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"

    class Meta:
        verbose_name = _("village/community room")
        verbose_name_plural = _("village/community rooms")
        ordering = ["place_id"]

    def get_absolute_url(self):
        return reverse("stations:room_detail", args=[self.pk])

    def __str__(self):
        return f"{self.place.name}社工服务室"


class StandardCheck(models.Model):
    """A county officer's on-site confirmation of a station's standard check (TGT-STD), with the evidence.

    Whether a station meets the standard on a date is computed from the dated items
    (``stations.rules.tgt_std_check``); a confirmation attests what the officer saw and is recorded only when
    every item passes. ``items`` keeps the result of every item as it was when confirmed, so the record stays
    true even when the station changes later.
    """

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="standard_checks"
    )
    confirmed_on = models.DateField(_("confirmed on"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    items = models.JSONField(_("items"), default=list, help_text=_("Each item of the check with its rule and result"))
    evidence_note = models.TextField(
        _("evidence note"), help_text=_("What the officer saw and where it is kept"), **text_limit(2000)
    )
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to="standards/%Y/",
        blank=True,
        help_text=_("Optional photo or document (jpg, png, pdf, docx, xlsx)"),
    )
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "station__place__code"

    class Meta:
        verbose_name = _("standard check")
        verbose_name_plural = _("standard checks")
        ordering = ["station_id", "-confirmed_on", "-id"]

    def __str__(self):
        return f"{self.station_id} {self.confirmed_on}"


class Recipient(models.Model):
    """A person served by a station (SRV-1), registered in a village/community of its township."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    # PIPL Art. 51: stored encrypted; found and kept unique by its keyed hash (liuzhou_social.fields).
    id_number = EncryptedCharField(
        _("ID number"),
        max_length=18,
        validators=[validate_id_number],
        help_text=_("18-character resident ID number (GB 11643)"),
    )
    id_number_hash = KeyedHashField(
        _("ID number key"),
        source="id_number",
        unique=True,
        help_text=_("Keyed hash of the ID number: one person, one record, found by the whole number only"),
        error_messages={"unique": _("A recipient with this ID number is already registered.")},
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    village = models.ForeignKey(
        Place,
        verbose_name=_("village / community"),
        on_delete=models.PROTECT,
        related_name="recipients",
        help_text=_("Where the person lives; decides the station that serves them"),
    )
    target_groups = models.JSONField(
        _("target groups"), default=list, help_text=_("SRV-1: one or more of the ten target groups")
    )
    household_notes = models.TextField(
        _("household notes"), blank=True, help_text=_("Household members and circumstances"), **text_limit(2000)
    )
    registered_on = models.DateField(_("registered on"), help_text=_("When the station took the person on"))
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "village__code"

    class Meta:
        verbose_name = _("service recipient")
        verbose_name_plural = _("service recipients")
        ordering = ["village_id", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stations:recipient_detail", args=[self.pk])

    @property
    def target_group_labels(self) -> list[str]:
        from .choices import TargetGroup

        return [str(TargetGroup(v).label) for v in self.target_groups if v in TargetGroup.values]


class NeedsAssessment(models.Model):
    """SRV-3: an assessment of a recipient's needs at the material, psychological and social levels."""

    recipient = models.ForeignKey(
        Recipient, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    material = models.CharField(
        _("material needs"), max_length=8, choices=NeedLevel.choices, help_text=_("SRV-3: food, housing, income, care")
    )
    material_notes = models.TextField(_("material notes"), blank=True, **text_limit(2000))
    psychological = models.CharField(
        _("psychological needs"),
        max_length=8,
        choices=NeedLevel.choices,
        help_text=_("SRV-3: emotional state, stress, loneliness"),
    )
    psychological_notes = models.TextField(_("psychological notes"), blank=True, **text_limit(2000))
    social = models.CharField(
        _("social needs"),
        max_length=8,
        choices=NeedLevel.choices,
        help_text=_("SRV-3: family ties, community links, participation"),
    )
    social_notes = models.TextField(_("social notes"), blank=True, **text_limit(2000))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "recipient__village__code"

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["recipient_id", "-assessed_on", "-id"]

    def __str__(self):
        return f"{self.recipient_id} {self.assessed_on}"


class ServiceRecord(models.Model):
    """SRV-3/SRV-4: one service delivered by a station, with its workers, participants and linked resources."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="service_records"
    )
    kind = models.CharField(_("kind of service"), max_length=12, choices=ServiceKind.choices)
    served_on = models.DateField(_("date"), db_index=True)
    duration_hours = models.DecimalField(
        _("duration (hours)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Time spent, in hours"),
    )
    workers = models.ManyToManyField(
        "workforce.Worker", verbose_name=_("social workers"), blank=True, related_name="service_records"
    )
    recipients = models.ManyToManyField(
        Recipient, verbose_name=_("recipients served"), blank=True, related_name="service_records"
    )
    # SRV-1: the groups served, kept as they were when the recipients were recorded, so a count of a
    # past year does not move when a person's circumstances change later (stations.signals keeps it).
    target_groups = models.JSONField(
        _("target groups served"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("SRV-1: the target groups of the recipients served, as recorded"),
    )
    participant_count = models.PositiveIntegerField(
        _("participants"), default=0, help_text=_("Everyone who took part, recipients included")
    )
    volunteer_count = models.PositiveIntegerField(
        _("volunteers"), default=0, help_text=_("SRV-4: community volunteers linked to this service")
    )
    volunteer_names = models.TextField(
        _("volunteer names"), blank=True, help_text=_("SRV-4: “social worker + volunteer”"), **text_limit(1000)
    )
    charity_resources = models.TextField(
        _("charity resources"),
        blank=True,
        help_text=_("SRV-4: “social worker + charity”: donors and what they gave"),
        **text_limit(2000),
    )
    charity_value = models.DecimalField(
        _("charity value (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("SRV-4: value of the charitable resources linked"),
    )
    summary = models.TextField(_("summary"), blank=True, **text_limit(4000))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The people served and the workers are part of the record's history (who changed them, when).
    history = PortalHistoricalRecords(m2m_fields=[workers, recipients])

    objects = ScopedQuerySet.as_manager()
    scope_field = "station__place__code"

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_hours__gte=0),
                name="st_record_duration_not_negative",
                violation_error_message=_("The duration of a service cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(charity_value__isnull=True) | models.Q(charity_value__gte=0),
                name="st_record_charity_not_negative",
                violation_error_message=_("The value of charitable resources cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.served_on}"

    def get_absolute_url(self):
        return reverse("stations:record_detail", args=[self.pk])


class FollowUpPlan(models.Model):
    """SRV-3 scheduled follow-up of a recipient; overdue when the due date passes without it being done."""

    recipient = models.ForeignKey(
        Recipient, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("due on"), db_index=True)
    action = models.CharField(_("planned action"), max_length=200)
    worker = models.ForeignKey(
        "workforce.Worker",
        verbose_name=_("responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, **text_limit(2000))
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "recipient__village__code"

    class Meta:
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.action} {self.due_on}"

    def get_absolute_url(self):
        return reverse("stations:recipient_detail", args=[self.recipient_id])

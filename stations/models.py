"""Township stations (NET-3) with dated status history, their service catalogue, village rooms (NET-4)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from network.models import Place
from network.scope import ScopedQuerySet

from .choices import RoomStatus, ServiceField, SharedVenue, StationStatus


class Station(models.Model):
    """One social-work station per township/street (NET-3)."""

    place = models.OneToOneField(Place, verbose_name=_("township / street"), on_delete=models.PROTECT,
                                 related_name="station",
                                 error_messages={"unique": _("NET-3: this township already has a station.")})
    status = models.CharField(_("current status"), max_length=12, choices=StationStatus.choices,
                              default=StationStatus.PLANNED, db_index=True, editable=False,
                              help_text=_("Kept equal to the latest entry of the status history"))
    has_venue = models.BooleanField(_("venue"), default=False, help_text=_("NET-3 six haves: venue"))
    has_equipment = models.BooleanField(_("equipment"), default=False, help_text=_("NET-3 six haves: equipment"))
    has_personnel = models.BooleanField(_("personnel"), default=False, help_text=_("NET-3 six haves: personnel"))
    has_service_functions = models.BooleanField(_("service functions"), default=False,
                                                help_text=_("NET-3 six haves: service functions"))
    has_workflow = models.BooleanField(_("workflow"), default=False, help_text=_("NET-3 six haves: workflow"))
    has_rules = models.BooleanField(_("rules and regulations"), default=False,
                                    help_text=_("NET-3 six haves: rules and regulations"))
    independent_office = models.BooleanField(_("independent office"), default=False,
                                             help_text=_("NET-3: the office is relatively independent"))
    shared_venues = models.JSONField(_("shared venues"), default=list, blank=True,
                                     help_text=_("NET-3: venues the casework and group rooms are shared with"))
    is_demonstration = models.BooleanField(_("demonstration station"), default=False,
                                           help_text=_("NET-2: each county cultivates 1–2 demonstration stations"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

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

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.CASCADE,
                                related_name="status_changes")
    status = models.CharField(_("status"), max_length=12, choices=StationStatus.choices)
    effective_on = models.DateField(_("effective on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
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


class CatalogueItem(models.Model):
    """An entry of a station's service catalogue (NET-2 guides it, SRV-2 fields)."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.CASCADE,
                                related_name="catalogue")
    field = models.CharField(_("field"), max_length=20, choices=ServiceField.choices)
    title = models.CharField(_("service"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "station__place__code"

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("service catalogue")
        ordering = ["station_id", "field", "title"]

    def __str__(self):
        return self.title


class Room(models.Model):
    """A village/community social-work room (NET-4), inside the party-mass service centre."""

    place = models.OneToOneField(Place, verbose_name=_("village / community"), on_delete=models.PROTECT,
                                 related_name="room",
                                 error_messages={"unique": _("NET-4: this village/community already has a room.")})
    status = models.CharField(_("status"), max_length=10, choices=RoomStatus.choices, default=RoomStatus.ACTIVE)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    in_party_mass_centre = models.BooleanField(
        _("inside the party-mass service centre"), default=True,
        help_text=_("NET-4: no separate space; the room is inside the community party-mass service centre"))
    staffing_note = models.CharField(_("staffing"), max_length=200, blank=True,
                                     help_text=_("NET-4: existing village/community personnel who staff the room"))
    history = HistoricalRecords()

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

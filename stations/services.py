"""Station and room rules: NET-3 (one per township, life cycle), NET-3a (sign text), NET-4 (rooms)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network.choices import PlaceLevel
from network.models import Place

from .choices import ALLOWED_TRANSITIONS, SharedVenue, StationStatus
from .models import Room, Station, StationStatusChange


def station_sign_text(place: Place) -> str:
    """NET-3a: the fixed sign text ``××县（市、区）××乡镇（街道）社会工作服务站`` from the place names."""
    county = place.parent.name if place.parent_id else ""
    return f"{county}{place.name}社会工作服务站"


def station_validate_place(place: Place) -> None:
    """NET-3: a station belongs to a township/street, one per township."""
    if place.level != PlaceLevel.TOWNSHIP:
        raise ValidationError({"place": _("NET-3: a station belongs to a township, town or street, not to “%(p)s”.")
                               % {"p": place.name}})


def station_validate_shared_venues(values) -> list[str]:
    bad = [v for v in values if v not in SharedVenue.values]
    if bad:
        raise ValidationError({"shared_venues": _("NET-3: a station may share rooms only with the listed venues; "
                                                  "unknown: %(v)s") % {"v": ", ".join(map(str, bad))}})
    return list(dict.fromkeys(values))


@transaction.atomic
def station_create(*, place: Place, status: str, effective_on: datetime.date, user=None, **fields) -> Station:
    station_validate_place(place)
    if Station.objects.filter(place=place).exists():
        raise ValidationError({"place": _("NET-3: %(p)s already has a station.") % {"p": place.name}})
    fields["shared_venues"] = station_validate_shared_venues(fields.get("shared_venues", []))
    station = Station(place=place, **fields)
    station.full_clean(exclude=["place"])
    station.save()
    station_change_status(station=station, status=status, effective_on=effective_on, user=user)
    return station


@transaction.atomic
def station_change_status(*, station: Station, status: str, effective_on: datetime.date, note: str = "",
                          user=None) -> StationStatusChange:
    """Append a dated status (NET-3 life cycle). History is never rewritten: a change must not
    predate the latest one, nor lie in the future."""
    if status not in StationStatus.values:
        raise ValidationError({"status": _("Unknown station status.")})
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _("The date of a status change cannot lie in the future.")})
    last = station.status_changes.order_by("-effective_on", "-id").first()
    previous = last.status if last else None
    if last and effective_on < last.effective_on:
        raise ValidationError({"effective_on": _(
            "NET-3: the status history is kept in date order; the latest change is on %(d)s.") % {
            "d": last.effective_on}})
    if status not in ALLOWED_TRANSITIONS[previous]:
        raise ValidationError({"status": _("NET-3: a station cannot go from “%(a)s” to “%(b)s”.") % {
            "a": StationStatus(previous).label if previous else _("(none)"), "b": StationStatus(status).label}})
    change = StationStatusChange.objects.create(station=station, status=status, effective_on=effective_on,
                                                note=note, recorded_by=user)
    station.status = status
    station.save(update_fields=["status"])
    return change


def room_validate_place(place: Place) -> None:
    """NET-4: a room belongs to a village/community."""
    if place.level != PlaceLevel.VILLAGE:
        raise ValidationError({"place": _("NET-4: a room belongs to a village or community, not to “%(p)s”.")
                               % {"p": place.name}})


@transaction.atomic
def room_create(*, place: Place, **fields) -> Room:
    room_validate_place(place)
    if Room.objects.filter(place=place).exists():
        raise ValidationError({"place": _("NET-4: %(p)s already has a room.") % {"p": place.name}})
    room = Room(place=place, **fields)
    room.full_clean(exclude=["place"])
    room.save()
    return room

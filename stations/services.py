"""Station and room rules: NET-3 (one per township, life cycle), NET-3a (sign text), NET-4 (rooms)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuzhou_social.validators import upload_type
from network.choices import PlaceLevel
from network.models import Place
from network.personal_data import id_number_taken_error
from network.roles import may_confirm_standard, may_keep_stations
from network.scope import CHANGE

from .choices import (
    ALLOWED_TRANSITIONS,
    COUNTED_STATUSES,
    SIX_HAVES_FIELDS,
    NeedLevel,
    ServiceKind,
    SharedVenue,
    StationStatus,
    TargetGroup,
)
from .models import (
    CatalogueItem,
    FollowUpPlan,
    NeedsAssessment,
    Recipient,
    Room,
    ServiceRecord,
    SixHavesChange,
    StandardCheck,
    Station,
    StationStatusChange,
)
from .rules import service_workers_problem

SIX_HAVES_NAMES = [f.value for f in SIX_HAVES_FIELDS]


def station_sign_text(place: Place) -> str:
    """NET-3a: the fixed sign text ``××县（市、区）××乡镇（街道）社会工作服务站`` from the place names."""
    county = place.parent.name if place.parent_id else ""
    return f"{county}{place.name}社会工作服务站"


def station_validate_place(place: Place) -> None:
    """NET-3: a station belongs to a township/street, one per township."""
    if place.level != PlaceLevel.TOWNSHIP:
        raise ValidationError(
            {"place": _("NET-3: a station belongs to a township, town or street, not to “%(p)s”.") % {"p": place.name}}
        )


def station_validate_shared_venues(values) -> list[str]:
    bad = [v for v in values if v not in SharedVenue.values]
    if bad:
        raise ValidationError(
            {
                "shared_venues": _("NET-3: a station may share rooms only with the listed venues; unknown: %(v)s")
                % {"v": ", ".join(map(str, bad))}
            }
        )
    return list(dict.fromkeys(values))


@transaction.atomic
def station_keeping_check(user) -> None:
    """NET-3: stations are registered, edited and suspended or closed by the civil-affairs side and the stationed
    worker (``network.roles.may_keep_stations``), not by a provider's staff. ``user`` None: the portal itself
    (demo data, migrations)."""
    if user is not None and not may_keep_stations(user):
        raise PermissionDenied(station_keeping_message())


def station_keeping_message() -> str:
    return _("NET-3: stations are registered, suspended and closed by the county or the stationed worker.")


def station_create(
    *, place: Place, status: str, effective_on: datetime.date, user=None, six_haves_on=None, **fields
) -> Station:
    """A new station with its first dated status; its six haves are recorded from that date on (NET-3)."""
    station_keeping_check(user)
    station_validate_place(place)
    if Station.objects.filter(place=place).exists():
        raise ValidationError({"place": _("NET-3: %(p)s already has a station.") % {"p": place.name}})
    fields["shared_venues"] = station_validate_shared_venues(fields.get("shared_venues", []))
    station = Station(place=place, **fields)
    station.full_clean(exclude=["place"])
    station.save()
    station_change_status(station=station, status=status, effective_on=effective_on, user=user)
    six_haves_record(station=station, effective_on=six_haves_on or effective_on, user=user)
    return station


def six_haves_step_problem(*, previous_on: datetime.date | None, effective_on: datetime.date) -> str | None:
    """NET-3: what is wrong with recording the six haves as changed on ``effective_on`` after the latest entry
    (dated ``previous_on``); None when allowed. Like the status history, it is kept in date order and
    never lies in the future."""
    if effective_on > timezone.localdate():
        return _("The date the six haves changed cannot lie in the future.")
    if previous_on and effective_on < previous_on:
        return _("NET-3: the six-haves history is kept in date order; the latest change is on %(d)s.") % {
            "d": previous_on
        }
    return None


def six_haves_record(
    *, station: Station, effective_on: datetime.date | None = None, user=None, note: str = ""
) -> SixHavesChange | None:
    """NET-3/TGT-STD: append the station's current six haves to their dated history when they differ from
    the entry in force (returns the new entry, or None when nothing changed). ``effective_on`` defaults to
    today for a change, and to the first date of the status history for a station without any entry."""
    last = station.six_haves_changes.order_by("-effective_on", "-id").first()
    flags = {name: bool(getattr(station, name)) for name in SIX_HAVES_NAMES}
    if last is not None and all(getattr(last, name) == value for name, value in flags.items()):
        return None
    if effective_on is None:
        first = None if last else station.status_changes.order_by("effective_on", "id").first()
        effective_on = first.effective_on if first else timezone.localdate()
    problem = six_haves_step_problem(previous_on=last.effective_on if last else None, effective_on=effective_on)
    if problem:
        raise ValidationError({"six_haves_on": problem})
    return SixHavesChange.objects.create(
        station=station, effective_on=effective_on, note=note, recorded_by=user, **flags
    )


def six_haves_history_append(*, stations, user=None, note: str = "") -> int:
    """The same for many stations at once (the station import): each station whose six haves differ from
    its latest entry gets a new entry, dated today, or from its first status for a station without one.
    Returns the number of entries added."""
    stations = [s for s in stations if s.pk]
    ids = [s.pk for s in stations]
    latest, first_status = {}, {}
    for entry in SixHavesChange.objects.filter(station_id__in=ids).order_by("station_id", "effective_on", "id"):
        latest[entry.station_id] = entry
    for change in StationStatusChange.objects.filter(station_id__in=ids).order_by("station_id", "-effective_on"):
        first_status[change.station_id] = change.effective_on
    today = timezone.localdate()
    added = []
    for station in stations:
        flags = {name: bool(getattr(station, name)) for name in SIX_HAVES_NAMES}
        last = latest.get(station.pk)
        if last is not None and all(getattr(last, name) == value for name, value in flags.items()):
            continue
        on = today if last is not None else first_status.get(station.pk, today)
        if last is not None and on < last.effective_on:
            on = last.effective_on
        added.append(SixHavesChange(station=station, effective_on=on, note=note, recorded_by=user, **flags))
    SixHavesChange.objects.bulk_create(added, batch_size=2000)
    return len(added)


def station_status_step_problem(
    *, previous: str | None, previous_on: datetime.date | None, status: str, effective_on: datetime.date
) -> tuple[str, str] | None:
    """NET-3 life cycle: what is wrong with appending ``status`` on ``effective_on`` after the latest entry
    (``previous`` on ``previous_on``), as (field, message); None when the step is allowed. History is
    never rewritten: a change must not predate the latest one, nor lie in the future."""
    if effective_on > timezone.localdate():
        return "effective_on", _("The date of a status change cannot lie in the future.")
    if previous_on and effective_on < previous_on:
        return "effective_on", _("NET-3: the status history is kept in date order; the latest change is on %(d)s.") % {
            "d": previous_on
        }
    if status not in ALLOWED_TRANSITIONS[previous]:
        return "status", _("NET-3: a station cannot go from “%(a)s” to “%(b)s”.") % {
            "a": StationStatus(previous).label if previous else _("(none)"),
            "b": StationStatus(status).label,
        }
    return None


@transaction.atomic
def station_change_status(
    *, station: Station, status: str, effective_on: datetime.date, note: str = "", user=None
) -> StationStatusChange:
    """Append a dated status (NET-3 life cycle). History is never rewritten: a change must not
    predate the latest one, nor lie in the future."""
    station_keeping_check(user)
    if status not in StationStatus.values:
        raise ValidationError({"status": _("Unknown station status.")})
    last = station.status_changes.order_by("-effective_on", "-id").first()
    problem = station_status_step_problem(
        previous=last.status if last else None,
        previous_on=last.effective_on if last else None,
        status=status,
        effective_on=effective_on,
    )
    if problem:
        raise ValidationError({problem[0]: problem[1]})
    change = StationStatusChange.objects.create(
        station=station, status=status, effective_on=effective_on, note=note, recorded_by=user
    )
    station.status = status
    station.save(update_fields=["status"])
    return change


def room_validate_place(place: Place) -> None:
    """NET-4: a room belongs to a village/community."""
    if place.level != PlaceLevel.VILLAGE:
        raise ValidationError(
            {"place": _("NET-4: a room belongs to a village or community, not to “%(p)s”.") % {"p": place.name}}
        )


def room_validate_established_on(value: datetime.date | None) -> None:
    """NET-4: a room's establishment date does not lie in the future."""
    if value and value > timezone.localdate():
        raise ValidationError({"established_on": _("The date a room was established cannot lie in the future.")})


@transaction.atomic
def room_create(*, place: Place, **fields) -> Room:
    room_validate_place(place)
    if Room.objects.filter(place=place).exists():
        raise ValidationError({"place": _("NET-4: %(p)s already has a room.") % {"p": place.name}})
    room_validate_established_on(fields.get("established_on"))
    room = Room(place=place, **fields)
    room.full_clean(exclude=["place"])
    room.save()
    return room


@transaction.atomic
def room_update(*, room: Room, place: Place | None = None, **fields) -> Room:
    """Edit a room's status and details. NET-4: a room belongs to its village; it never moves to another
    (the page's form shows the village read-only; the API says so)."""
    if place is not None and place.pk != room.place_id:
        raise ValidationError(
            {
                "place": _("NET-4: a room stays in its village or community; create a room in %(p)s instead.")
                % {"p": place.name}
            }
        )
    for name, value in fields.items():
        setattr(room, name, value)
    room.full_clean(exclude=["place"])
    room.save()
    return room


@transaction.atomic
def station_update(*, station: Station, user=None, six_haves_on: datetime.date | None = None, **fields) -> Station:
    """Save edited NET-3 fields. A change of the six haves is appended to their dated history, effective on
    ``six_haves_on`` (default today), so the standard on a past date stays as it was (TGT-STD)."""
    station_keeping_check(user)
    if "shared_venues" in fields:
        fields["shared_venues"] = station_validate_shared_venues(fields["shared_venues"])
    for name, value in fields.items():
        setattr(station, name, value)
    station.full_clean(exclude=["place"])
    station.save()
    six_haves_record(station=station, effective_on=six_haves_on, user=user)
    return station


def catalogue_item_check(
    *, published_on: datetime.date | None, withdrawn_on: datetime.date | None
) -> dict[str, list[str]]:
    """NET-2: the dates of a catalogue entry: not in the future; a withdrawal follows the publication."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    for name, value in (("published_on", published_on), ("withdrawn_on", withdrawn_on)):
        if value and value > today:
            errors[name] = [_("The date lies in the future.")]
    if withdrawn_on and not published_on:
        errors.setdefault("withdrawn_on", []).append(_("Only a published service can be withdrawn."))
    elif withdrawn_on and published_on and withdrawn_on <= published_on:
        errors.setdefault("withdrawn_on", []).append(_("The service is withdrawn after the day it was published."))
    return errors


@transaction.atomic
def catalogue_item_save(*, data: dict, item: CatalogueItem | None = None) -> CatalogueItem:
    """An entry of a station's service catalogue (NET-2, SRV-2 fields) with the dates it is offered, which
    the standard check reads (TGT-STD)."""
    item = item or CatalogueItem()
    for name, value in data.items():
        setattr(item, name, value)
    errors = catalogue_item_check(published_on=item.published_on, withdrawn_on=item.withdrawn_on)
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    item.save()
    return item


# ---------------------------------------------------------------- uploads

EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".xlsx")


def upload_validate_evidence(upload) -> None:
    """Evidence uploads: a photo or document of an accepted type (checked by its first bytes, not only its
    name) and no larger than ``UPLOAD_MAX_BYTES``."""
    from django.conf import settings

    name = (upload.name or "").lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "evidence_file": _(
                    "Evidence must be a photo or document (jpg, png, pdf, docx, xlsx); “%(name)s” is not accepted."
                )
                % {"name": upload.name}
            }
        )
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "evidence_file": _("The file is %(size)s MB; at most %(max)s MB may be uploaded.")
                % {"size": round(upload.size / 1048576, 1), "max": settings.UPLOAD_MAX_BYTES // 1048576}
            }
        )
    if upload_type(upload, EVIDENCE_TYPES) is None:
        raise ValidationError(
            {
                "evidence_file": _(
                    "The content of “%(name)s” does not match its type; the file may be damaged or renamed."
                )
                % {"name": upload.name}
            }
        )


# ---------------------------------------------------------------- standardisation (TGT-STD)


@transaction.atomic
def station_confirm_standard(
    *, station: Station, user, evidence_note: str, evidence_file=None, confirmed_on: datetime.date | None = None
) -> StandardCheck:
    """TGT-STD: a county officer records an on-site confirmation of the standard check, with evidence.

    Every item of the check (``stations.rules``: NET-3 six haves, NET-2 catalogue, PRC-2 stationed workers …)
    must pass on the date; otherwise nothing is recorded and the missing items are named. The
    confirmation is evidence: whether the station meets the standard is the check itself.
    """
    from django.core.exceptions import PermissionDenied

    from .rules import tgt_std_check

    if not may_confirm_standard(user):
        raise PermissionDenied(_("TGT-STD: only a county officer confirms standardisation."))
    confirmed_on = confirmed_on or timezone.localdate()
    if confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": _("The confirmation date cannot lie in the future.")})
    if not (evidence_note or "").strip():
        raise ValidationError({"evidence_note": _("TGT-STD: describe the evidence you checked.")})
    if evidence_file:
        upload_validate_evidence(evidence_file)
    items = tgt_std_check(station=station, on=confirmed_on).items
    missing = [f"{r.label} ({r.rule})" for r in items if not r.ok]
    if missing:
        raise ValidationError(
            _("TGT-STD: the station does not yet meet the standard; missing: %(m)s.") % {"m": "、".join(missing)}
        )
    check = StandardCheck(
        station=station,
        confirmed_on=confirmed_on,
        confirmed_by=user,
        items=[r.as_dict() for r in items],
        evidence_note=evidence_note.strip(),
    )
    if evidence_file:
        check.evidence_file.save(evidence_file.name, evidence_file, save=False)
    check.save()
    return check


# ---------------------------------------------------------------- recipients (SRV-1, SRV-3)


def stations_established_on(*, place_ids) -> dict[str, datetime.date]:
    """Township code → the first date its station was established or operating (NET-3 history); one query."""
    from django.db.models import Min

    rows = (
        StationStatusChange.objects.filter(station__place_id__in=list(place_ids), status__in=COUNTED_STATUSES)
        .values("station__place_id")
        .annotate(first=Min("effective_on"))
    )
    return {r["station__place_id"]: r["first"] for r in rows}


def station_established_on(*, place_id: str) -> datetime.date | None:
    """The first date the township's station was established or operating (NET-3 history), if any."""
    return stations_established_on(place_ids=[place_id]).get(place_id)


TARGET_GROUPS = frozenset(TargetGroup.values)


def recipient_validate_target_groups(values) -> list[str]:
    """SRV-1: at least one of the ten target groups, no unknown values."""
    values = list(dict.fromkeys(values or []))
    if not values:
        raise ValidationError({"target_groups": _("SRV-1: choose at least one target group.")})
    bad = [v for v in values if v not in TARGET_GROUPS]
    if bad:
        raise ValidationError({"target_groups": _("SRV-1: unknown target group: %(v)s") % {"v": ", ".join(bad)}})
    return values


def recipient_village_check(*, village: Place, changeable: bool) -> None:
    """A recipient lives in a village/community the user may change (a station worker: their station's);
    ``changeable``: whether the user may change the village (the import knows it for all its rows at once)."""
    if village.level != PlaceLevel.VILLAGE:
        raise ValidationError(
            {"village": _("A recipient is registered in a village or community, not in “%(p)s”.") % {"p": village.name}}
        )
    if not changeable:
        raise ValidationError(
            {
                "village": _(
                    "%(p)s lies outside the places you may change; a station worker "
                    "registers recipients of their own station only."
                )
                % {"p": village.name}
            }
        )


def recipient_validate_village(*, village: Place, user) -> None:
    recipient_village_check(
        village=village,
        changeable=user is None or Place.objects.restrict(user, CHANGE).filter(pk=village.pk).exists(),
    )


def recipient_registered_on_check(
    *, registered_on: datetime.date, established_on: datetime.date | None, today: datetime.date | None = None
) -> None:
    """A registration date does not lie in the future nor before the township's station was established
    (``established_on``, see ``stations_established_on``); ``today`` defaults to ``timezone.localdate()``."""
    if registered_on > (today or timezone.localdate()):
        raise ValidationError({"registered_on": _("The registration date cannot lie in the future.")})
    if established_on and registered_on < established_on:
        raise ValidationError(
            {
                "registered_on": _("The registration date lies before the station was established (%(d)s).")
                % {"d": established_on}
            }
        )


def recipient_validate_date(*, registered_on: datetime.date, village: Place) -> None:
    recipient_registered_on_check(
        registered_on=registered_on, established_on=station_established_on(place_id=village.parent_id)
    )


@transaction.atomic
def recipient_create(*, user, village: Place, target_groups, registered_on: datetime.date, **fields) -> Recipient:
    """Register a service recipient (SRV-1) in a village of the user's scope."""
    recipient_validate_village(village=village, user=user)
    recipient_validate_date(registered_on=registered_on, village=village)
    fields["id_number"] = normalise_id(fields.get("id_number", ""))
    recipient = Recipient(
        village=village,
        target_groups=recipient_validate_target_groups(target_groups),
        registered_on=registered_on,
        **fields,
    )
    recipient_validate_id_number_free(recipient=recipient, user=user)
    recipient.full_clean(validate_unique=False)
    recipient.save()
    return recipient


def recipient_validate_id_number_free(*, recipient: Recipient, user) -> None:
    """One person, one record (SRV-1). The answer for a number registered elsewhere reveals nothing
    about that person outside the user's places (``network.personal_data``)."""
    taken = Recipient.objects.filter(id_number=recipient.id_number).exclude(pk=recipient.pk).first()
    if recipient.id_number and taken is not None:
        raise id_number_taken_error(user=user, existing=taken)


@transaction.atomic
def recipient_update(*, recipient: Recipient, user, **fields) -> Recipient:
    if "target_groups" in fields:
        fields["target_groups"] = recipient_validate_target_groups(fields["target_groups"])
    if "id_number" in fields:
        fields["id_number"] = normalise_id(fields["id_number"])
    for name, value in fields.items():
        setattr(recipient, name, value)
    if "village" in fields:
        recipient_validate_village(village=recipient.village, user=user)
    if "village" in fields or "registered_on" in fields:
        recipient_validate_date(registered_on=recipient.registered_on, village=recipient.village)
    recipient_validate_id_number_free(recipient=recipient, user=user)
    recipient.full_clean(validate_unique=False)
    recipient.save()
    return recipient


def normalise_id(value: str) -> str:
    from liuzhou_social.validators import normalise_id_number

    return normalise_id_number(value)


@transaction.atomic
def assessment_create(
    *, recipient: Recipient, user, assessed_on: datetime.date, material: str, psychological: str, social: str, **notes
) -> NeedsAssessment:
    """SRV-3: assess the recipient's needs at the material, psychological and social levels."""
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot lie in the future.")})
    if assessed_on < recipient.registered_on:
        raise ValidationError(
            {
                "assessed_on": _("The assessment lies before the person was registered (%(d)s).")
                % {"d": recipient.registered_on}
            }
        )
    for key, value in (("material", material), ("psychological", psychological), ("social", social)):
        if value not in NeedLevel.values:
            raise ValidationError({key: _("SRV-3: assess each of the material, psychological and social levels.")})
    assessment = NeedsAssessment(
        recipient=recipient,
        assessed_on=assessed_on,
        material=material,
        psychological=psychological,
        social=social,
        assessed_by=user,
        **notes,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


# ---------------------------------------------------------------- service records (SRV-3, SRV-4)


def service_record_validate(
    *, station: Station, served_on: datetime.date, recipients, workers, user, participant_count: int
) -> None:
    errors = {}
    if served_on > timezone.localdate():
        errors["served_on"] = _("The service date cannot lie in the future.")
    else:
        established = station_established_on(place_id=station.place_id)
        if established is None or served_on < established:
            errors["served_on"] = _(
                "SRV-3: a service is recorded from the day the station was established (%(d)s)."
            ) % {"d": established or _("not yet established")}
    outside = [r.name for r in recipients if r.village.parent_id != station.place_id]
    if outside:
        errors["recipients"] = _("These recipients live outside the station's township: %(n)s") % {
            "n": "、".join(outside)
        }
    if user is not None:
        Worker = ServiceRecord.workers.field.related_model  # the model behind the relation

        visible = set(Worker.objects.restrict(user).filter(pk__in=[w.pk for w in workers]).values_list("pk", flat=True))
        hidden = [w.name for w in workers if w.pk not in visible]
        if hidden:
            errors["workers"] = _("These workers lie outside your places: %(n)s") % {"n": "、".join(hidden)}
    if "workers" not in errors and "served_on" not in errors:
        problem = service_workers_problem(station=station, on=served_on, workers=workers)
        if problem:
            errors["workers"] = problem
    if participant_count < len(recipients):
        errors["participant_count"] = _("There are fewer participants than recipients served (%(n)s).") % {
            "n": len(recipients)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def service_record_create(
    *,
    user,
    station: Station,
    kind: str,
    served_on: datetime.date,
    recipients=(),
    workers=(),
    participant_count: int | None = None,
    **fields,
) -> ServiceRecord:
    """SRV-3/SRV-4: record a home visit, casework or group session or community activity, with the
    workers, the recipients served and the volunteers and charity resources linked."""
    recipients, workers = list(recipients), list(workers)
    if participant_count is None:
        participant_count = len(recipients)
    if kind not in ServiceKind.values:
        raise ValidationError({"kind": _("Unknown kind of service.")})
    service_record_validate(
        station=station,
        served_on=served_on,
        recipients=recipients,
        workers=workers,
        user=user,
        participant_count=participant_count,
    )
    record = ServiceRecord(
        station=station, kind=kind, served_on=served_on, participant_count=participant_count, recorded_by=user, **fields
    )
    record.full_clean()
    record.save()
    record.recipients.set(recipients)
    record.workers.set(workers)
    return record


@transaction.atomic
def service_record_update(*, record: ServiceRecord, user, recipients=None, workers=None, **fields) -> ServiceRecord:
    for name, value in fields.items():
        setattr(record, name, value)
    recipients = list(record.recipients.all()) if recipients is None else list(recipients)
    workers = list(record.workers.all()) if workers is None else list(workers)
    service_record_validate(
        station=record.station,
        served_on=record.served_on,
        recipients=recipients,
        workers=workers,
        user=user,
        participant_count=record.participant_count,
    )
    record.full_clean()
    record.save()
    record.recipients.set(recipients)
    record.workers.set(workers)
    return record


def service_record_groups_refresh(record_ids) -> None:
    """SRV-1: store on each record the target groups of its recipients as they are now (sorted, once each).

    Called when a record's recipients change (``stations.signals``) and after bulk loads; a later change
    of a recipient's groups leaves the records already made as they were."""
    ids = list(record_ids or [])
    through = ServiceRecord.recipients.through
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        groups = {pk: set() for pk in chunk}
        for record_id, target_groups in through.objects.filter(servicerecord_id__in=chunk).values_list(
            "servicerecord_id", "recipient__target_groups"
        ):
            groups[record_id].update(target_groups or [])
        records = list(ServiceRecord.objects.filter(pk__in=chunk).only("pk", "target_groups"))
        for record in records:
            record.target_groups = sorted(groups[record.pk])
        ServiceRecord.objects.bulk_update(records, ["target_groups"])


# ---------------------------------------------------------------- follow-ups (SRV-3)


@transaction.atomic
def follow_up_create(*, recipient: Recipient, due_on: datetime.date, action: str, worker=None) -> FollowUpPlan:
    """SRV-3: schedule a follow-up of the recipient."""
    if due_on < recipient.registered_on:
        raise ValidationError(
            {
                "due_on": _("The follow-up is due before the person was registered (%(d)s).")
                % {"d": recipient.registered_on}
            }
        )
    plan = FollowUpPlan(recipient=recipient, due_on=due_on, action=action, worker=worker)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def follow_up_complete(*, plan: FollowUpPlan, done_on: datetime.date, outcome: str = "") -> FollowUpPlan:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The completion date cannot lie in the future.")})
    if done_on < plan.recipient.registered_on:
        raise ValidationError({"done_on": _("The completion date lies before the person was registered.")})
    plan.done_on, plan.outcome = done_on, outcome
    plan.full_clean()
    plan.save()
    return plan

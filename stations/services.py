"""Station and room rules: NET-3 (one per township, life cycle), NET-3a (sign text), NET-4 (rooms)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuzhou_social.validators import upload_type
from network.choices import PlaceLevel
from network.models import Place

from network.scope import CHANGE

from .choices import ALLOWED_TRANSITIONS, COUNTED_STATUSES, NeedLevel, ServiceKind, SharedVenue, StationStatus, TargetGroup
from .models import (FollowUpPlan, NeedsAssessment, Recipient, Room, ServiceRecord, StandardCheck, Station,
                     StationStatusChange)


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


def station_status_step_problem(*, previous: str | None, previous_on: datetime.date | None, status: str,
                                effective_on: datetime.date) -> tuple[str, str] | None:
    """NET-3 life cycle: what is wrong with appending ``status`` on ``effective_on`` after the latest entry
    (``previous`` on ``previous_on``), as (field, message); None when the step is allowed. History is
    never rewritten: a change must not predate the latest one, nor lie in the future."""
    if effective_on > timezone.localdate():
        return "effective_on", _("The date of a status change cannot lie in the future.")
    if previous_on and effective_on < previous_on:
        return "effective_on", _("NET-3: the status history is kept in date order; the latest change is on %(d)s.") % {
            "d": previous_on}
    if status not in ALLOWED_TRANSITIONS[previous]:
        return "status", _("NET-3: a station cannot go from “%(a)s” to “%(b)s”.") % {
            "a": StationStatus(previous).label if previous else _("(none)"), "b": StationStatus(status).label}
    return None


@transaction.atomic
def station_change_status(*, station: Station, status: str, effective_on: datetime.date, note: str = "",
                          user=None) -> StationStatusChange:
    """Append a dated status (NET-3 life cycle). History is never rewritten: a change must not
    predate the latest one, nor lie in the future."""
    if status not in StationStatus.values:
        raise ValidationError({"status": _("Unknown station status.")})
    last = station.status_changes.order_by("-effective_on", "-id").first()
    problem = station_status_step_problem(previous=last.status if last else None,
                                          previous_on=last.effective_on if last else None,
                                          status=status, effective_on=effective_on)
    if problem:
        raise ValidationError({problem[0]: problem[1]})
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


@transaction.atomic
def station_update(*, station: Station, **fields) -> Station:
    """Save edited NET-3 fields; a station that loses one of the six haves is no longer standardised (TGT-STD)."""
    from .rules import station_six_haves_met

    if "shared_venues" in fields:
        fields["shared_venues"] = station_validate_shared_venues(fields["shared_venues"])
    for name, value in fields.items():
        setattr(station, name, value)
    station.full_clean(exclude=["place"])
    if station.standardised_on and not station_six_haves_met(station):
        station.standardised_on = None
    station.save()
    return station


# ---------------------------------------------------------------- uploads

EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".xlsx")


def upload_validate_evidence(upload) -> None:
    """Evidence uploads: a photo or document of an accepted type (checked by its first bytes, not only its
    name) and no larger than ``UPLOAD_MAX_BYTES``."""
    from django.conf import settings

    name = (upload.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise ValidationError({"evidence_file": _("Evidence must be a photo or document (jpg, png, pdf, docx, "
                                                  "xlsx); “%(name)s” is not accepted.") % {"name": upload.name}})
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"evidence_file": _("The file is %(size)s MB; at most %(max)s MB may be uploaded.") % {
            "size": round(upload.size / 1048576, 1), "max": settings.UPLOAD_MAX_BYTES // 1048576}})
    if upload_type(upload, EVIDENCE_TYPES) is None:
        raise ValidationError({"evidence_file": _("The content of “%(name)s” does not match its type; the file "
                                                  "may be damaged or renamed.") % {"name": upload.name}})


# ---------------------------------------------------------------- standardisation (TGT-STD)

def user_may_confirm_standard(user) -> bool:
    """TGT-STD/NET-2: the county guidance centre (county officers) confirms standardisation; the city too."""
    from network.choices import Role

    return bool(user and user.is_authenticated and (user.is_superuser or user.role in (Role.COUNTY_OFFICER,
                                                                                       Role.CITY_ADMIN)))


@transaction.atomic
def station_confirm_standard(*, station: Station, user, evidence_note: str, evidence_file=None,
                             confirmed_on: datetime.date | None = None) -> StandardCheck:
    """TGT-STD: a county officer confirms that a station meets the standard, with evidence.

    Every item of the check (NET-3 six haves, NET-2 catalogue, PRC-2 stationed workers) must pass;
    otherwise nothing is recorded and the missing items are named.
    """
    from django.core.exceptions import PermissionDenied

    from .rules import station_standard_items

    if not user_may_confirm_standard(user):
        raise PermissionDenied(_("TGT-STD: only a county officer confirms standardisation."))
    confirmed_on = confirmed_on or timezone.localdate()
    if confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": _("The confirmation date cannot lie in the future.")})
    if not (evidence_note or "").strip():
        raise ValidationError({"evidence_note": _("TGT-STD: describe the evidence you checked.")})
    if evidence_file:
        upload_validate_evidence(evidence_file)
    items = station_standard_items(station=station, on=confirmed_on)
    missing = [f"{r.label} ({r.rule})" for r in items if not r.ok]
    if missing:
        raise ValidationError(_("TGT-STD: the station does not yet meet the standard; missing: %(m)s.")
                              % {"m": "、".join(missing)})
    check = StandardCheck(station=station, confirmed_on=confirmed_on, confirmed_by=user,
                          items=[r.as_dict() for r in items], evidence_note=evidence_note.strip())
    if evidence_file:
        check.evidence_file.save(evidence_file.name, evidence_file, save=False)
    check.save()
    station.standardised_on = confirmed_on
    station.save(update_fields=["standardised_on"])
    return check


# ---------------------------------------------------------------- recipients (SRV-1, SRV-3)

def station_established_on(*, place_id: str) -> datetime.date | None:
    """The first date the township's station was established or operating (NET-3 history), if any."""
    first = (StationStatusChange.objects.filter(station__place_id=place_id, status__in=COUNTED_STATUSES)
             .order_by("effective_on").values_list("effective_on", flat=True).first())
    return first


def recipient_validate_target_groups(values) -> list[str]:
    """SRV-1: at least one of the ten target groups, no unknown values."""
    values = list(dict.fromkeys(values or []))
    if not values:
        raise ValidationError({"target_groups": _("SRV-1: choose at least one target group.")})
    bad = [v for v in values if v not in TargetGroup.values]
    if bad:
        raise ValidationError({"target_groups": _("SRV-1: unknown target group: %(v)s") % {"v": ", ".join(bad)}})
    return values


def recipient_validate_village(*, village: Place, user) -> None:
    """A recipient lives in a village/community the user may change (a station worker: their station's)."""
    if village.level != PlaceLevel.VILLAGE:
        raise ValidationError({"village": _("A recipient is registered in a village or community, not in “%(p)s”.")
                               % {"p": village.name}})
    if user is not None and not Place.objects.restrict(user, CHANGE).filter(pk=village.pk).exists():
        raise ValidationError({"village": _("%(p)s lies outside the places you may change; a station worker "
                                            "registers recipients of their own station only.") % {"p": village.name}})


def recipient_validate_date(*, registered_on: datetime.date, village: Place) -> None:
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("The registration date cannot lie in the future.")})
    established = station_established_on(place_id=village.parent_id)
    if established and registered_on < established:
        raise ValidationError({"registered_on": _("The registration date lies before the station was "
                                                  "established (%(d)s).") % {"d": established}})


@transaction.atomic
def recipient_create(*, user, village: Place, target_groups, registered_on: datetime.date, **fields) -> Recipient:
    """Register a service recipient (SRV-1) in a village of the user's scope."""
    recipient_validate_village(village=village, user=user)
    recipient_validate_date(registered_on=registered_on, village=village)
    fields["id_number"] = normalise_id(fields.get("id_number", ""))
    recipient = Recipient(village=village, target_groups=recipient_validate_target_groups(target_groups),
                          registered_on=registered_on, **fields)
    recipient.full_clean()
    recipient.save()
    return recipient


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
    recipient.full_clean()
    recipient.save()
    return recipient


def normalise_id(value: str) -> str:
    from liuzhou_social.validators import normalise_id_number

    return normalise_id_number(value)


@transaction.atomic
def assessment_create(*, recipient: Recipient, user, assessed_on: datetime.date, material: str,
                      psychological: str, social: str, **notes) -> NeedsAssessment:
    """SRV-3: assess the recipient's needs at the material, psychological and social levels."""
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot lie in the future.")})
    if assessed_on < recipient.registered_on:
        raise ValidationError({"assessed_on": _("The assessment lies before the person was registered (%(d)s).")
                               % {"d": recipient.registered_on}})
    for key, value in (("material", material), ("psychological", psychological), ("social", social)):
        if value not in NeedLevel.values:
            raise ValidationError({key: _("SRV-3: assess each of the material, psychological and social levels.")})
    assessment = NeedsAssessment(recipient=recipient, assessed_on=assessed_on, material=material,
                                 psychological=psychological, social=social, assessed_by=user, **notes)
    assessment.full_clean()
    assessment.save()
    return assessment


# ---------------------------------------------------------------- service records (SRV-3, SRV-4)

def service_record_validate(*, station: Station, served_on: datetime.date, recipients, workers, user,
                            participant_count: int) -> None:
    errors = {}
    if served_on > timezone.localdate():
        errors["served_on"] = _("The service date cannot lie in the future.")
    else:
        established = station_established_on(place_id=station.place_id)
        if established is None or served_on < established:
            errors["served_on"] = _("SRV-3: a service is recorded from the day the station was established "
                                    "(%(d)s).") % {"d": established or _("not yet established")}
    outside = [r.name for r in recipients if r.village.parent_id != station.place_id]
    if outside:
        errors["recipients"] = _("These recipients live outside the station's township: %(n)s") % {
            "n": "、".join(outside)}
    if user is not None:
        from workforce.models import Worker

        visible = set(Worker.objects.restrict(user).filter(pk__in=[w.pk for w in workers]).values_list(
            "pk", flat=True))
        hidden = [w.name for w in workers if w.pk not in visible]
        if hidden:
            errors["workers"] = _("These workers lie outside your places: %(n)s") % {"n": "、".join(hidden)}
    if participant_count < len(recipients):
        errors["participant_count"] = _("There are fewer participants than recipients served (%(n)s).") % {
            "n": len(recipients)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def service_record_create(*, user, station: Station, kind: str, served_on: datetime.date, recipients=(),
                          workers=(), participant_count: int | None = None, **fields) -> ServiceRecord:
    """SRV-3/SRV-4: record a home visit, casework or group session or community activity, with the
    workers, the recipients served and the volunteers and charity resources linked."""
    recipients, workers = list(recipients), list(workers)
    if participant_count is None:
        participant_count = len(recipients)
    if kind not in ServiceKind.values:
        raise ValidationError({"kind": _("Unknown kind of service.")})
    service_record_validate(station=station, served_on=served_on, recipients=recipients, workers=workers,
                            user=user, participant_count=participant_count)
    record = ServiceRecord(station=station, kind=kind, served_on=served_on, participant_count=participant_count,
                           recorded_by=user, **fields)
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
    service_record_validate(station=record.station, served_on=record.served_on, recipients=recipients,
                            workers=workers, user=user, participant_count=record.participant_count)
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
        chunk = ids[start:start + 1000]
        groups = {pk: set() for pk in chunk}
        for record_id, target_groups in through.objects.filter(servicerecord_id__in=chunk).values_list(
                "servicerecord_id", "recipient__target_groups"):
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
        raise ValidationError({"due_on": _("The follow-up is due before the person was registered (%(d)s).")
                               % {"d": recipient.registered_on}})
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


# ---------------------------------------------------------------- Excel imports run as jobs

# Confirmed imports with more rows than this run in the background and report progress on their job.
BACKGROUND_IMPORT_ROWS = 5000


def import_job_preview_result(*, spec, parsed) -> dict:
    """What the check page shows: row count, the first rows, and every error with sheet/row/column/value."""
    from .excel import MAX_REPORTED_ERRORS

    headers, rows = spec.preview(parsed)
    return {"total": parsed.total, "headers": headers, "rows": [[str(v) for v in row] for row in rows],
            "errors": [{"sheet": e.sheet, "row": e.row, "column": e.column, "value": str(e.value),
                        "message": str(e.message)} for e in parsed.result.errors[:MAX_REPORTED_ERRORS]],
            "error_count": len(parsed.result.errors)}


def import_job_run(*, job_id) -> dict:
    """Import a previewed workbook: re-check every row, then write all rows in one transaction or nothing.

    Idempotent: a job already done is left alone. The outcome (counts, or the errors found) is stored on
    the job so that its page can show it.
    """
    from liuzhou_social.tabular import TableFormatError
    from network.choices import JobStatus
    from network.jobs import job_finish, job_progress
    from network.models import Job

    from .excel import SPECS

    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job.result
    total = max(int(job.result.get("total", 0)), 1)
    message = _("Checking every row")

    def progress(rows):
        job_progress(job.pk, 5 + min(rows * 80 // total, 80), message)

    spec = SPECS[job.params["kind"]](job.created_by, progress=progress)
    job_progress(job.pk, 5, message)
    try:
        with job.upload.open("rb") as handle:
            handle.name = job.upload.name
            parsed = spec.run(handle, commit=True)
    except TableFormatError as exc:
        job_finish(job.pk, message=str(exc), failed=True, result=job.result)
        return job.result
    if not parsed.result.ok:
        result = import_job_preview_result(spec=spec, parsed=parsed)
        job_finish(job.pk, result=result, message=_("Nothing was imported."), failed=True)
        return result
    r = parsed.result
    result = {"created": r.created, "updated": r.updated, "unchanged": r.unchanged, "total": parsed.total}
    job_finish(job.pk, result=result, message=_("Imported: %(c)s new, %(u)s updated, %(n)s unchanged.") % {
        "c": r.created, "u": r.updated, "n": r.unchanged})
    return result


def import_job_confirm(*, job, user) -> bool:
    """Confirm a previewed import. Small files are imported at once (returns True); large ones are queued
    after the transaction commits and report progress on the job (returns False)."""
    from network.choices import JobStatus
    from network.models import Job

    from .tasks import import_workbook

    if job.status in (JobStatus.DONE, JobStatus.RUNNING):
        return job.status == JobStatus.DONE
    if job.result.get("total", 0) > BACKGROUND_IMPORT_ROWS:
        Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=1)
        transaction.on_commit(lambda: import_workbook.delay(str(job.pk)))
        return False
    import_job_run(job_id=job.pk)
    return True

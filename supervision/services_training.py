"""Writes of the training area (SUP-2, SUP-3): the trainer pool, courses and attendance.

Every rule is checked here (through ``supervision.rules_training``) and only here: the pages, the API and the
sign-in sheet import call these functions. Each raises ``ValidationError`` with a message naming the field and
the rule; each is atomic, so nothing is half-saved. Attendance feeds the SUP-2 indicators: every save and
delete leaves a pending change through the reporting app's model signals, and the import announces its bulk
write (``network.changes``), so the figures follow each edit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from network.choices import PlaceLevel

from .choices_training import AttendanceSource, CourseKind, CourseMode, OrganiserLevel
from .models import Attendance, Course, Trainer
from .rules_training import HOURS_PER_DAY_MAX


def _errors(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _add(errors: dict, field: str, message: str | None) -> None:
    if message:
        errors.setdefault(field, []).append(message)


def _saved(save):
    """Run a save; a duplicate the checks did not see first (two saves at once) is an error, never a 500."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as exc:
        raise ValidationError(_("Not saved: the record conflicts with one that already exists.")) from exc


# --- The trainer pool (SUP-3) ---------------------------------------------------------------------------------


def trainer_save(*, user, data: dict, trainer: Trainer | None = None) -> Trainer:
    """Add a trainer to the city's pool or change one (SUP-3): the pool is kept by a city, each trainer teaches
    at least one field."""
    t = trainer or Trainer()
    errors: dict[str, list[str]] = {}
    place = data.get("place", getattr(t, "place", None) if t.pk else None)
    if place is None or place.level != PlaceLevel.CITY:
        _add(errors, "place", _("SUP-3: the trainer pool is kept by the city; choose a city."))
    fields = data.get("fields")
    if fields is not None and not list(fields):
        _add(errors, "fields", _("SUP-3: choose at least one field the trainer teaches."))
    _errors(errors)
    t.place = place
    for name in ("name", "employer", "title", "phone", "specialities", "active"):
        if name in data:
            setattr(t, name, data[name])

    def save():
        t.full_clean(exclude=["fields"], validate_constraints=False)
        t.save()
        if fields is not None:
            t.fields.set(fields)
        return t

    return _saved(save)


# --- Courses (SUP-2, SUP-3) -------------------------------------------------------------------------------------


def course_check(data: dict) -> dict[str, list[str]]:
    """A course's rules: the organiser matches the organising place, a field-specific course names its field,
    the national system's training is online, the last day is not before the first, the hours fit the days."""
    errors: dict[str, list[str]] = {}
    level, place, provider = data.get("organiser_level"), data.get("place"), data.get("provider")
    if place is not None and level:
        wanted = (
            PlaceLevel.CITY if level in (OrganiserLevel.CITY, OrganiserLevel.NATIONAL_ONLINE) else PlaceLevel.COUNTY
        )
        if place.level != wanted:
            _add(
                errors,
                "place",
                _(
                    "A course organised by the city or the national system is kept by the city; a county's or a "
                    "provider's course by its county-level unit."
                )
                if wanted == PlaceLevel.CITY
                else _("A county's or a provider's course is kept by its county-level unit; choose one."),
            )
    if level == OrganiserLevel.PROVIDER:
        if provider is None:
            _add(errors, "provider", _("Choose the provider organising the course."))
        elif place is not None and provider.county_id != place.code:
            _add(errors, "provider", _("The provider is not of the organising county-level unit."))
    elif provider is not None:
        _add(errors, "provider", _("Only a provider's course names a provider."))
    if level == OrganiserLevel.NATIONAL_ONLINE and data.get("mode") != CourseMode.ONLINE:
        _add(errors, "mode", _("The national social-work information system's training is online."))
    if data.get("kind") == CourseKind.FIELD_SPECIFIC and data.get("field") is None:
        _add(errors, "field", _("SUP-3: a field-specific course names its field."))
    start, end, hours = data.get("start_on"), data.get("end_on"), data.get("hours")
    if start and end and end < start:
        _add(errors, "end_on", _("The last day is before the first day."))
    if hours is not None and Decimal(hours) <= 0:
        _add(errors, "hours", _("The course hours must be more than 0."))
    elif start and end and hours is not None and end >= start:
        days = (end - start).days + 1
        if Decimal(hours) > HOURS_PER_DAY_MAX * days:
            _add(
                errors,
                "hours",
                _("%(hours)s hours do not fit in %(days)s day(s) of at most 24 hours each.")
                % {"hours": hours, "days": days},
            )
    return errors


COURSE_FIELDS = (
    "title",
    "kind",
    "field",
    "mode",
    "organiser_level",
    "place",
    "provider",
    "start_on",
    "end_on",
    "hours",
    "venue",
)


def course_save(*, user, data: dict, trainers: Iterable[Trainer] | None = None, course: Course | None = None) -> Course:
    """Record or change a course. A course whose dates change keeps its attendance only if every attended day
    still lies within the new dates."""
    c = course or Course()
    merged = {name: data.get(name, getattr(c, name, None) if c.pk else None) for name in COURSE_FIELDS}
    errors = course_check(merged)
    if c.pk and merged["start_on"] and merged["end_on"]:
        outside = c.attendances.exclude(attended_on__gte=merged["start_on"], attended_on__lte=merged["end_on"])
        if outside.exists():
            _add(errors, "start_on", _("Attendance is recorded on days outside the new dates; correct it first."))
    _errors(errors)
    for name, value in merged.items():
        setattr(c, name, "" if value is None and name in ("venue", "title") else value)

    def save():
        c.full_clean(validate_constraints=False)
        c.save()
        if trainers is not None:
            c.trainers.set(trainers)
        return c

    return _saved(save)


# --- Attendance (SUP-2) ------------------------------------------------------------------------------------------


def attendance_check(
    *,
    course: Course | None,
    worker,
    attended_on: datetime.date | None,
    hours,
    exclude: int | None = None,
    pending: dict[tuple[int, datetime.date], Decimal] | None = None,
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """An attendance row's rules, the same for the page, the API and the sign-in sheet import: the day lies within
    the course's dates and not in the future; the hours are more than 0; a person's hours on one day, across every
    course, are at most 24 (the rows already recorded, ``pending`` rows of the same import, without the row being
    changed, ``exclude``)."""
    errors: dict[str, list[str]] = {}
    today = today or timezone.localdate()
    if course is None:
        _add(errors, "course", _("Choose the course."))
    if worker is None:
        _add(errors, "worker", _("Choose the worker."))
    if attended_on is None:
        _add(errors, "attended_on", _("Enter the date attended."))
    elif attended_on > today:
        _add(errors, "attended_on", _("SUP-2: attendance cannot be recorded for a day in the future."))
    elif course is not None and not (course.start_on <= attended_on <= course.end_on):
        _add(
            errors,
            "attended_on",
            _("SUP-2: the date attended is not a day of the course (%(start)s to %(end)s).")
            % {"start": course.start_on.isoformat(), "end": course.end_on.isoformat()},
        )
    if hours is None:
        _add(errors, "hours", _("Enter the hours attended."))
        return errors
    hours = Decimal(hours)
    if hours <= 0:
        _add(errors, "hours", _("SUP-2: the hours attended must be more than 0."))
    elif worker is not None and attended_on is not None:
        recorded = Attendance.objects.filter(worker=worker, attended_on=attended_on).exclude(pk=exclude).aggregate(
            s=Sum("hours")
        )["s"] or Decimal(0)
        others = (pending or {}).get((worker.pk, attended_on), Decimal(0))
        if recorded + others + hours > HOURS_PER_DAY_MAX:
            _add(
                errors,
                "hours",
                _(
                    "More than 24 hours of training in one day for one person: %(name)s already has %(done)s "
                    "hours on %(day)s."
                )
                % {"name": worker.name, "done": recorded + others, "day": attended_on.isoformat()},
            )
    return errors


def attendance_save(
    *, user, data: dict, attendance: Attendance | None = None, source: str = AttendanceSource.FORM
) -> Attendance:
    """Record or correct a worker's attendance at a course on a day (SUP-2)."""
    a = attendance or Attendance(source=source)
    course = data.get("course", a.course if a.pk else None)
    worker = data.get("worker", a.worker if a.pk else None)
    attended_on = data.get("attended_on", a.attended_on if a.pk else None)
    if attended_on is None and course is not None and course.start_on == course.end_on:
        attended_on = course.start_on  # a one-day course: its day
    hours = data.get("hours", a.hours if a.pk else None)
    errors = attendance_check(course=course, worker=worker, attended_on=attended_on, hours=hours, exclude=a.pk)
    if (
        not errors
        and Attendance.objects.filter(course=course, worker=worker, attended_on=attended_on).exclude(pk=a.pk).exists()
    ):
        _add(errors, "attended_on", _("This worker's attendance at the course on that day is already recorded."))
    _errors(errors)
    a.course, a.worker, a.attended_on, a.hours = course, worker, attended_on, Decimal(hours)
    if "note" in data:
        a.note = data["note"] or ""

    def save():
        a.full_clean(validate_unique=False, validate_constraints=False)
        a.save()
        return a

    return _saved(save)


def attendance_delete(*, user, attendance: Attendance) -> None:
    """Remove an attendance row recorded by mistake (its history keeps it)."""
    with transaction.atomic():
        attendance.delete()

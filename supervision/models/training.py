"""Training (SUP-2, SUP-3): the city trainer pool, courses and each worker's attendance.

SUP-3: the city keeps a trainer pool (培训师资库) by field and offers basic-policy, basic-competence and
field-specific courses. SUP-2: each stationed social worker receives at least 48 hours of training a year
(``network.rule_settings`` "SUP-2.training_hours_per_year"), counted from the attendance recorded here
(``supervision.rules_training``).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuzhou_social.validators import validate_phone
from network.history import PortalHistoricalRecords
from network.models import Place
from network.scope import ScopedQuerySet

from ..choices_training import AttendanceSource, CourseKind, CourseMode, OrganiserLevel

__all__ = ["Attendance", "Course", "Trainer"]

HOURS = {"max_digits": 5, "decimal_places": 1}


class Trainer(models.Model):
    """A trainer of the city's pool (SUP-3), by field: the plan's four (minors protection, social assistance,
    elderly services, judicial protection) and any the city adds (``workforce.SpecialisationCategory``)."""

    place = models.ForeignKey(
        Place,
        verbose_name=_("pool kept by"),
        on_delete=models.PROTECT,
        related_name="trainers",
        help_text=_("The city whose trainer pool this is"),
    )
    name = models.CharField(_("name"), max_length=50)
    employer = models.CharField(_("work unit"), max_length=100, blank=True, help_text=_("e.g. a university"))
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[validate_phone])
    fields = models.ManyToManyField(
        "workforce.SpecialisationCategory",
        verbose_name=_("fields"),
        related_name="trainers",
        help_text=_("SUP-3: the fields the trainer teaches"),
    )
    specialities = models.TextField(_("specialities"), blank=True, help_text=_("What the trainer is expert in"))
    active = models.BooleanField(_("in the pool"), default=True, help_text=_("Trainers who left stay on record"))
    history = PortalHistoricalRecords(m2m_fields=[fields])

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"
    scope_visible_from_below = True  # counties, stations and providers read the city's pool

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["place_id", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supervision:trainer_detail", args=[self.pk])


class Course(models.Model):
    """A training course (SUP-2, SUP-3): its kind, field, mode, organiser, dates, hours and trainers. Kept at the
    place of its organiser (the city, or a county for county and provider courses) and read by every place
    below it."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    field = models.ForeignKey(
        "workforce.SpecialisationCategory",
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_("Required for a field-specific course"),
    )
    mode = models.CharField(_("online or offline"), max_length=10, choices=CourseMode.choices)
    organiser_level = models.CharField(_("organised by"), max_length=20, choices=OrganiserLevel.choices)
    place = models.ForeignKey(
        Place,
        verbose_name=_("organising place"),
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_("The city, or the county-level unit of a county's or a provider's course"),
    )
    provider = models.ForeignKey(
        "workforce.Organisation",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_("The organising provider, for a provider's course"),
    )
    start_on = models.DateField(_("first day"))
    end_on = models.DateField(_("last day"))
    hours = models.DecimalField(
        _("course hours"),
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Hours of the whole course"),
        **HOURS,
    )
    trainers = models.ManyToManyField(Trainer, verbose_name=_("trainers"), blank=True, related_name="courses")
    venue = models.CharField(_("venue or link"), max_length=200, blank=True)
    history = PortalHistoricalRecords(m2m_fields=[trainers])

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"
    scope_visible_from_below = True  # stations and providers read the courses of their county and city

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-start_on", "title", "id"]
        indexes = [models.Index(fields=["start_on"], name="sup_course_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=F("start_on")), name="sup_course_end_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="sup_course_hours_positive"),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("supervision:course_detail", args=[self.pk])


class Attendance(models.Model):
    """A worker's attendance at a course on one day, with the hours attended (SUP-2). Kept where the worker is
    registered, like the worker."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="attendances")
    worker = models.ForeignKey(
        "workforce.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="training_attendances"
    )
    attended_on = models.DateField(_("date attended"), help_text=_("A day of the course"))
    hours = models.DecimalField(
        _("hours attended"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(24)],
        help_text=_("At most 24 hours in one day for one person, across every course"),
        **HOURS,
    )
    source = models.CharField(
        _("recorded through"), max_length=10, choices=AttendanceSource.choices, default=AttendanceSource.FORM
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "worker__place__code"

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendance")
        ordering = ["-attended_on", "worker_id", "id"]
        indexes = [
            models.Index(fields=["worker", "attended_on"], include=["hours"], name="sup_attend_worker_day"),
            models.Index(fields=["course", "attended_on"], name="sup_attend_course_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "worker", "attended_on"],
                name="sup_attendance_once",
                violation_error_message=_("This worker's attendance at the course on that day is already recorded."),
            ),
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="sup_attendance_hours_in_day"),
        ]

    def __str__(self):
        return f"{self.worker} · {self.course.title} · {self.attended_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("supervision:attendance_detail", args=[self.pk])

"""Social workers, their qualifications and specialisations, service organisations, station assignments."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuzhou_social.fields import EncryptedCharField, KeyedHashField
from liuzhou_social.validators import validate_credit_code, validate_id_number, validate_phone
from network.history import PortalHistoricalRecords
from network.models import Place
from network.scope import ScopedQuerySet

from .choices import AssignmentRole, Education, Gender, Grade


class Organisation(models.Model):
    """A social-work service organisation (TGT-ORG, PRC-2)."""

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("An organisation with this credit code exists.")},
    )
    county = models.ForeignKey(
        Place, verbose_name=_("county-level unit"), on_delete=models.PROTECT, related_name="organisations"
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    scope_includes_social_work = models.BooleanField(
        _("business scope includes social work"),
        default=False,
        help_text=_("PRC-2: a provider's registered business scope includes social work"),
    )
    service_fields = models.JSONField(_("service fields"), default=list, blank=True)
    incubation_base = models.CharField(_("incubation base"), max_length=100, blank=True)
    incubated_year = models.PositiveSmallIntegerField(
        _("year incubated"), null=True, blank=True, help_text=_("TGT-ORG: incubated during 2021–2023")
    )
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[validate_phone])
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "county__code"
    scope_visible_from_below = True  # townships read their county's organisations (employer, provider)

    class Meta:
        verbose_name = _("service organisation")
        verbose_name_plural = _("service organisations")
        ordering = ["county_id", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workforce:organisation_detail", args=[self.pk])


class Worker(models.Model):
    """A social worker: one person, one record, keyed by the resident ID number."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    # PIPL Art. 51: stored encrypted; found and kept unique by its keyed hash (liuzhou_social.fields).
    id_number = EncryptedCharField(_("ID number"), max_length=18, validators=[validate_id_number])
    id_number_hash = KeyedHashField(
        _("ID number key"),
        source="id_number",
        unique=True,
        help_text=_("Keyed hash of the ID number: one person, one record, found by the whole number only"),
        error_messages={"unique": _("A worker with this ID number is already registered.")},
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workers",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("registered at"),
        on_delete=models.PROTECT,
        related_name="workers",
        help_text=_("The county-level unit, or the township of the worker's station"),
    )
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"

    class Meta:
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")
        ordering = ["place_id", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workforce:worker_detail", args=[self.pk])


class Qualification(models.Model):
    """A qualification certificate (TGT-CERT): counts from ``obtained_on`` until ``revoked_on``."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="qualifications"
    )
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    certificate_no = models.CharField(
        _("certificate number"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("This certificate number is already recorded.")},
    )
    obtained_on = models.DateField(_("obtained on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="qualifications/%Y/", blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)
    registered_on = models.DateField(
        _("registered in the national system on"),
        null=True,
        blank=True,
        help_text=_(
            "Registration in the national social-work information system; valid for the years set in the rules"
        ),
    )
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "worker__place__code"

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["worker_id", "obtained_on"]
        indexes = [
            models.Index(fields=["obtained_on", "revoked_on"]),
            # Covering index for the set-based certified counts (TGT-CERT): scanned in worker order.
            models.Index(fields=["worker", "obtained_on", "revoked_on", "grade"], name="wf_qual_worker_dates"),
            models.Index(fields=["registered_on"], name="wf_qual_registered"),
        ]

    def __str__(self):
        return f"{self.get_grade_display()} {self.certificate_no}"

    def get_absolute_url(self):
        return reverse("workforce:qualification_detail", args=[self.pk])


class SpecialisationCategory(models.Model):
    """TGT-SPEC categories: the plan's four plus those the city adds."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    in_plan = models.BooleanField(_("one of the plan's four"), default=False)
    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("specialisation category")
        verbose_name_plural = _("specialisation categories")
        ordering = ["-in_plan", "code"]

    def __str__(self):
        return self.name


class Specialisation(models.Model):
    """A worker's dated specialisation (TGT-SPEC); a worker may have several."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="specialisations"
    )
    category = models.ForeignKey(SpecialisationCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "worker__place__code"

    class Meta:
        verbose_name = _("specialisation")
        verbose_name_plural = _("specialisations")
        ordering = ["worker_id", "since"]

    def __str__(self):
        return f"{self.category} {self.since}"


class Assignment(models.Model):
    """A worker stationed at (or supervising) a township station for a provider (PRC-2); history kept."""

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="assignments")
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(
        pgettext_lazy("assignment", "role"),
        max_length=12,
        choices=AssignmentRole.choices,
        default=AssignmentRole.STATIONED,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "station__place__code"

    class Meta:
        verbose_name = _("station assignment")
        verbose_name_plural = _("station assignments")
        ordering = ["station_id", "start_on"]
        indexes = [
            models.Index(fields=["station", "role", "start_on", "end_on"], name="wf_assign_station_dates"),
            models.Index(fields=["worker", "start_on"], name="wf_assign_worker_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="wf_assignment_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.worker} @ {self.station_id} {self.start_on}"

    def get_absolute_url(self):
        return reverse("workforce:assignment_detail", args=[self.pk])


class CertifiedSpan(models.Model):
    """A period during which a worker held at least one valid certificate (TGT-CERT), derived from the
    qualifications: overlapping or touching certificates are merged, so the spans of one worker never overlap and
    counting spans that cover a date counts each person once. ``end_on`` is exclusive (the revocation date);
    empty while still certified. Rebuilt by ``services.certified_spans_refresh`` whenever a worker's
    certificates or place change; never edited by hand, hence no history of its own.
    """

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="certified_spans"
    )
    place_code = models.CharField(
        _("division code"), max_length=12, help_text=_("The worker's place, copied so that counts need no join")
    )
    start_on = models.DateField(_("certified from"))
    end_on = models.DateField(_("certified until"), null=True, blank=True)

    class Meta:
        verbose_name = _("certified period")
        verbose_name_plural = _("certified periods")
        indexes = [models.Index(fields=["worker"], name="wf_span_worker")]

    def __str__(self):
        return f"{self.worker_id} {self.start_on}–{self.end_on or ''}"


class CertifiedGradeSpan(models.Model):
    """A period during which a worker held a certificate of at least ``grade`` (2: social worker, 3: senior),
    derived from the qualifications like ``CertifiedSpan`` (which is the same for grade 1 and above). The people
    whose highest grade on a date is g are those covered at g and not at g + 1 (TGT-CERT: a person counts once,
    at the highest grade held). ``end_on`` is exclusive; rebuilt by ``services.certified_spans_refresh``."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="certified_grade_spans"
    )
    place_code = models.CharField(
        _("division code"), max_length=12, help_text=_("The worker's place, copied so that counts need no join")
    )
    grade = models.PositiveSmallIntegerField(_("at least grade"), choices=Grade.choices)
    start_on = models.DateField(_("certified from"))
    end_on = models.DateField(_("certified until"), null=True, blank=True)

    class Meta:
        verbose_name = _("certified period by grade")
        verbose_name_plural = _("certified periods by grade")
        indexes = [models.Index(fields=["worker"], name="wf_gradespan_worker")]

    def __str__(self):
        return f"{self.worker_id} ≥{self.grade} {self.start_on}–{self.end_on or ''}"

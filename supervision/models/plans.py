"""County implementation plans (PLAN-1) with the county's supervision, training and evaluation plans (SUP-4).

A ``CountyPlan`` is one county's plan for a period (the action plan's 2021–2023); its text lives in numbered
``PlanVersion`` rows. The county drafts a version and submits it; the city civil-affairs bureau files it (备案) or
returns it with comments. A submitted version is never edited again: a returned or filed plan is revised by a new
version, which is filed again, so every version stays as it was and two can be compared. The version in force is the
one filed last (``CountyPlan.in_force``); the one before it is then superseded.

Scoped by the county (``restrict``): the county and the city see and change them; the townships below the county
read them (``scope_visible_from_below``), never change them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuzhou_social.validators import text_limit
from network.history import PortalHistoricalRecords
from network.rule_settings import PLAN_FIRST_YEAR, PLAN_LAST_YEAR
from network.scope import ScopedQuerySet

from ..choices_plans import OPEN_STATUSES, PlanStatus
from ..rules_plans import SECTIONS

__all__ = ["CountyPlan", "PlanVersion"]

SECTION_TEXT = text_limit(20000)


class CountyPlan(models.Model):
    """PLAN-1: one county's implementation plan for a period, filed with the city in versions."""

    county = models.ForeignKey(
        "network.Place",
        verbose_name=_("county-level unit"),
        on_delete=models.PROTECT,
        related_name="county_plans",
        limit_choices_to={"level": "county"},
        help_text=_("The county-level unit whose plan this is"),
    )
    title = models.CharField(
        _("title"), max_length=120, help_text=_("The plan's title as issued, e.g. the county's three-year action plan")
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year"),
        default=PLAN_FIRST_YEAR,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The first year the plan covers"),
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"),
        default=PLAN_LAST_YEAR,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The last year the plan covers; a filed plan is in force until 31 December of it"),
    )
    in_force = models.ForeignKey(
        "supervision.PlanVersion",
        verbose_name=_("version in force"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The version filed last (PLAN-1); set by the filing step only"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "county__code"
    scope_visible_from_below = True

    class Meta:
        verbose_name = _("county plan")
        verbose_name_plural = _("county plans")
        ordering = ["county_id", "-first_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "first_year"],
                name="sup_plan_county_first_year",
                violation_error_message=_("PLAN-1: this county already has a plan starting in that year."),
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="sup_plan_years_ordered",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.first_year}—{self.last_year}）"

    def get_absolute_url(self):
        return reverse("supervision:plan_detail", args=[self.pk])


class PlanVersion(models.Model):
    """One version of a county plan's text (PLAN-1's nine sections and SUP-4's three plans) with its signed PDF and
    where it stands in the filing workflow. Only a draft changes; every later state is kept as it was."""

    plan = models.ForeignKey(CountyPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"), help_text=_("1 for the first version, then 2, 3 …"))
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("revised from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        help_text=_("The returned or filed version this one revises"),
    )
    goals = models.TextField(SECTIONS[0].label, blank=True, help_text=SECTIONS[0].help, **SECTION_TEXT)
    siting = models.TextField(SECTIONS[1].label, blank=True, help_text=SECTIONS[1].help, **SECTION_TEXT)
    workforce = models.TextField(SECTIONS[2].label, blank=True, help_text=SECTIONS[2].help, **SECTION_TEXT)
    funding = models.TextField(SECTIONS[3].label, blank=True, help_text=SECTIONS[3].help, **SECTION_TEXT)
    services = models.TextField(SECTIONS[4].label, blank=True, help_text=SECTIONS[4].help, **SECTION_TEXT)
    schedule = models.TextField(SECTIONS[5].label, blank=True, help_text=SECTIONS[5].help, **SECTION_TEXT)
    supervision_training = models.TextField(SECTIONS[6].label, blank=True, help_text=SECTIONS[6].help, **SECTION_TEXT)
    evaluation = models.TextField(SECTIONS[7].label, blank=True, help_text=SECTIONS[7].help, **SECTION_TEXT)
    safeguards = models.TextField(SECTIONS[8].label, blank=True, help_text=SECTIONS[8].help, **SECTION_TEXT)
    supervision_plan = models.TextField(SECTIONS[9].label, blank=True, help_text=SECTIONS[9].help, **SECTION_TEXT)
    training_plan = models.TextField(SECTIONS[10].label, blank=True, help_text=SECTIONS[10].help, **SECTION_TEXT)
    evaluation_plan = models.TextField(SECTIONS[11].label, blank=True, help_text=SECTIONS[11].help, **SECTION_TEXT)
    signed_pdf = models.FileField(
        _("signed plan (PDF)"),
        upload_to="plans/%Y/",
        blank=True,
        help_text=_("The plan as issued, signed and sealed, as a PDF; required for submission"),
    )
    change_note = models.CharField(
        _("what changed"), max_length=300, blank=True, help_text=_("For a revision: what this version changes")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("filed or returned at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed or returned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_on = models.DateField(
        _("filed on"), null=True, blank=True, help_text=_("PLAN-1: the date the city filed (备案) this version")
    )
    comments = models.TextField(
        _("city's comments"),
        blank=True,
        help_text=_("Why the city returned the version, or remarks made when filing it"),
        **text_limit(4000),
    )
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "plan__county__code"
    scope_visible_from_below = True

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="sup_planversion_number",
                violation_error_message=_("PLAN-1: this plan already has a version with that number."),
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="sup_planversion_one_open",
                violation_error_message=_("PLAN-1: the plan already has a version being drafted or awaiting filing."),
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(status__in=[PlanStatus.FILED, PlanStatus.SUPERSEDED]),
                name="sup_planversion_filed_date",
                violation_error_message=_("PLAN-1: only a filed version has a filing date."),
            ),
        ]

    def __str__(self):
        return f"{self.plan.county.name} · {self.plan.title} · v{self.number}"

    def get_absolute_url(self):
        return reverse("supervision:plan_version_detail", args=[self.pk])

    def sections(self) -> list[tuple]:
        """Each section with its text, in the document's order."""
        return [(s, getattr(self, s.field)) for s in SECTIONS]

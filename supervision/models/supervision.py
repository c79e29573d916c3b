"""Supervision (SUP-1): each provider's supervision plan and the supervision logs of the stations.

The stations a supervisor covers are the supervisor assignments of ``workforce.Assignment`` (one record of who
supervises where, with its SUP-1 load check); a plan names the provider, its contract where there is one, the
period and the planned sessions per month, and lists the supervisor assignments of its provider that fall in it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.history import PortalHistoricalRecords
from network.models import Place
from network.scope import ScopedQuerySet

from ..choices_supervision import LogStatus, SupervisionMethod

__all__ = ["SupervisionLog", "SupervisionPlan"]


class SupervisionPlan(models.Model):
    """SUP-1: a provider has a supervision plan — its supervisors, the stations each covers, the period and the
    planned sessions per month. It belongs to a service contract where there is one (``procurement.Contract``);
    without one, to the provider alone."""

    organisation = models.ForeignKey(
        "workforce.Organisation",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="supervision_plans",
        help_text=_("The service organisation whose senior social workers supervise"),
    )
    contract = models.ForeignKey(
        "procurement.Contract",
        verbose_name=_("service contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_plans",
        help_text=_("Where the provider serves under a contract: the plan covers the contract's stations"),
    )
    county = models.ForeignKey(
        Place,
        verbose_name=_("county-level unit"),
        on_delete=models.PROTECT,
        related_name="supervision_plans",
        help_text=_("The county whose stations the plan covers"),
    )
    start_on = models.DateField(_("plan from"))
    end_on = models.DateField(_("plan until"))
    sessions_per_month = models.PositiveSmallIntegerField(
        _("planned sessions per station per month"),
        default=1,
        help_text=_("SUP-1: at least the supervisions per station per month of the rule settings"),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "county__code"
    scope_visible_from_below = True  # the stations below the county read the plan that supervises them

    class Meta:
        verbose_name = _("supervision plan")
        verbose_name_plural = _("supervision plans")
        ordering = ["county_id", "-start_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_on__gte=models.F("start_on")), name="sup_plan_period_order")
        ]

    def __str__(self):
        return f"{self.organisation} {self.start_on:%Y-%m}–{self.end_on:%Y-%m}"

    def get_absolute_url(self):
        return reverse("supervision:supervision_plan_detail", args=[self.pk])


class SupervisionLog(models.Model):
    """SUP-1: one supervision session at a station. A session of several consecutive days records its first day,
    the number of days and the daily start and end times; its hours are days × (end − start), and it counts, whole,
    for the month of its first day (``supervision.rules_supervision``)."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.PROTECT, related_name="supervision_logs"
    )
    supervisor = models.ForeignKey(
        "workforce.Worker",
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="supervision_logs",
    )
    organisation = models.ForeignKey(
        "workforce.Organisation",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_logs",
        help_text=_("The organisation of the supervisor's assignment at the station on the date"),
    )
    held_on = models.DateField(_("date"), help_text=_("The session's (first) day"))
    days = models.PositiveSmallIntegerField(
        _("consecutive days"), default=1, help_text=_("A session over several consecutive days, same hours each day")
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=2, help_text=_("Computed: days × (end time − start time)")
    )
    method = models.CharField(_("method"), max_length=20, choices=SupervisionMethod.choices)
    content = models.TextField(_("content"), max_length=4000)
    follow_up = models.TextField(_("follow-up actions"), blank=True, max_length=4000)
    workers_present = models.ManyToManyField(
        "workforce.Worker",
        verbose_name=_("stationed workers present"),
        blank=True,
        related_name="supervisions_attended",
    )
    status = models.CharField(_("status"), max_length=10, choices=LogStatus.choices, default=LogStatus.RECORDED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    history = PortalHistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_field = "station__place__code"

    class Meta:
        verbose_name = _("supervision log")
        verbose_name_plural = _("supervision logs")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["station", "held_on"], name="sup_log_station_day"),
            models.Index(fields=["supervisor", "held_on"], name="sup_log_supervisor_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")), name="sup_log_time_order"),
            models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=7), name="sup_log_days_range"),
        ]

    def __str__(self):
        return f"{self.held_on} · {self.supervisor}"

    def get_absolute_url(self):
        return reverse("supervision:log_detail", args=[self.pk])

    @property
    def last_day(self):
        import datetime

        return self.held_on + datetime.timedelta(days=self.days - 1)

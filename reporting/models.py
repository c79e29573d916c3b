"""Stored indicator values: one row per indicator, place and period, written only by the recompute."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network.models import Place
from network.scope import ScopedQuerySet

from .choices import IndicatorStatus, PeriodKind


class IndicatorValue(models.Model):
    """The value of a catalogue indicator for a place on a period's reference date.

    Dashboards, the workbook and the API read these rows only; ``reporting.services`` writes them
    with set-based upserts, so a row is replaced in place when the same period is recomputed.
    """

    indicator = models.CharField(_("indicator"), max_length=40, help_text=_("Code of the catalogue entry"))
    # No separate index on place: (place, period) serves it, and fewer indexes keep upserts HOT.
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    level = models.CharField(_("level"), max_length=10, help_text=_("Level of the place, copied for filtering"))
    period = models.CharField(
        _("period"), max_length=7, help_text=_("A year (its 31 Dec) or a month (YYYY-MM, to the computation date)")
    )
    period_kind = models.CharField(_("period kind"), max_length=5, choices=PeriodKind.choices)
    as_of = models.DateField(_("as of"), help_text=_("The date the value describes"))
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(
        pgettext_lazy("indicator", "value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=IndicatorStatus.choices, blank=True)
    changed_at = models.DateTimeField(
        _("value changed at"),
        help_text=_("When a run last wrote a different value; every run confirms the others (see Computation)"),
    )

    objects = ScopedQuerySet.as_manager()
    scope_field = "place__code"

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "place_id", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "place", "period"], name="reporting_value_unique")]
        indexes = [
            # Pattern opclasses: a place prefix (scope, descendants) is an index range.
            models.Index(
                fields=["place", "period"],
                name="reporting_value_place_period",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # Filter by period and level, in the API's order (indicator, place).
            models.Index(fields=["period", "level", "indicator", "place"], name="reporting_value_period_level"),
            # A level and period within a scope's prefix (a city's townships of a month): a few thousand rows to
            # sort, where the index above walks every place of the country for each indicator (migration 0004
            # also lets the planner see how few rows a prefix holds).
            models.Index(
                fields=["level", "period", "place"],
                name="reporting_value_scope_month",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.place_id} {self.period} = {self.value}"


class Computation(models.Model):
    """One run of the recompute: when it ran and what it wrote (the API's Last-Modified).

    A full run computes every place and period; an incremental run (after edits) only the places and
    periods the pending changes reach, listed in ``places`` and ``periods``."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), db_index=True)
    rows = models.PositiveIntegerField(_("values written"), default=0)
    indicators = models.JSONField(_("indicators"), default=list)
    full = models.BooleanField(
        _("full run"), default=True, help_text=_("Every place and period (otherwise only those changes reached)")
    )
    periods = models.JSONField(_("periods"), default=list, help_text=_("The periods the run computed"))
    places = models.JSONField(
        _("places"), default=list, blank=True, help_text=_("An incremental run: the places it computed")
    )

    class Meta:
        verbose_name = _("computation")
        verbose_name_plural = _("computations")
        ordering = ["-finished_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.rows})"


class PendingChange(models.Model):
    """A change to an indicator's input that the stored values do not yet reflect (the dirty store).

    Written in the same transaction as the edit that caused it (model signals and
    ``network.changes.indicator_inputs_changed``), so a committed edit always leaves its mark and a
    rolled-back one never does. The recompute of pending changes removes the marks it read in the
    transaction that writes the new values, so a failed run leaves them for the next one, and a mark
    written while a run is going is left for a run after it. One row per writing transaction and place,
    with the earliest date the transaction's changes affect there.
    """

    place_code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        help_text=_("The place the changed record lies in (village, township or county); empty: every place"),
    )
    since = models.DateField(
        _("affects from"), null=True, blank=True, help_text=_("The first date the change affects; empty: every period")
    )
    txid = models.BigIntegerField(_("transaction"), help_text=_("The database transaction that wrote the change"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["txid", "place_code"], name="reporting_pending_txid_place")]

    def __str__(self):
        return f"{self.place_code or '*'} {self.since or ''}"

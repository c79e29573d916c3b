"""Filters of the supervision lists and API lists; dropdowns offer only what the user may see."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from network.choices import PlaceLevel
from network.models import Place
from stations.models import Station
from workforce.choices import AssignmentRole
from workforce.models import Assignment, Organisation

from .choices_supervision import LogStatus, SupervisionMethod
from .models import SupervisionLog, SupervisionPlan

DATE = forms.DateInput(attrs={"type": "date"})


@extend_schema_field(OpenApiTypes.STR)
class CountyFilter(django_filters.ModelChoiceFilter):
    """A county-level unit chosen by its division code."""


class _Scoped:
    scoped = {
        "county": lambda: Place.objects.filter(level=PlaceLevel.COUNTY),
        "provider": lambda: Organisation.objects.all(),
        "organisation": lambda: Organisation.objects.all(),
        "station": lambda: Station.objects.select_related("place"),
    }

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for name, qs in self.scoped.items():
            if name in self.filters:
                self.filters[name].queryset = qs().restrict(request.user) if request is not None else qs().none()


class SupervisionLogFilterSet(_Scoped, django_filters.FilterSet):
    county = CountyFilter(
        label=_("County-level unit"), queryset=Place.objects.none(), field_name="station__place__parent"
    )
    station = django_filters.ModelChoiceFilter(label=_("Station"), queryset=Station.objects.none())
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"), queryset=Organisation.objects.none(), field_name="organisation"
    )
    method = django_filters.ChoiceFilter(label=_("Method"), choices=SupervisionMethod.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=LogStatus.choices)
    held_from = django_filters.DateFilter(label=_("From"), field_name="held_on", lookup_expr="gte", widget=DATE)
    held_until = django_filters.DateFilter(label=_("Until"), field_name="held_on", lookup_expr="lte", widget=DATE)
    short = django_filters.BooleanFilter(label=_("Shorter than the hours per visit"), method="filter_short")

    class Meta:
        model = SupervisionLog
        fields = ["county", "station", "provider", "method", "status", "held_from", "held_until", "short"]

    def filter_short(self, qs, name, value):
        from network.rule_settings import rule_value

        if value is None:
            return qs
        hours = rule_value("SUP-1.hours_per_visit")
        return qs.filter(hours__lt=hours) if value else qs.filter(hours__gte=hours)


class SupervisionPlanFilterSet(_Scoped, django_filters.FilterSet):
    county = CountyFilter(label=_("County-level unit"), queryset=Place.objects.none())
    organisation = django_filters.ModelChoiceFilter(label=_("Provider"), queryset=Organisation.objects.none())
    in_force_on = django_filters.DateFilter(label=_("In force on"), method="filter_in_force", widget=DATE)

    class Meta:
        model = SupervisionPlan
        fields = ["county", "organisation", "in_force_on"]

    def filter_in_force(self, qs, name, value):
        return qs.filter(start_on__lte=value, end_on__gte=value) if value else qs


class SupervisorStationFilterSet(_Scoped, django_filters.FilterSet):
    county = CountyFilter(
        label=_("County-level unit"), queryset=Place.objects.none(), field_name="station__place__parent"
    )
    organisation = django_filters.ModelChoiceFilter(label=_("Provider"), queryset=Organisation.objects.none())
    on = django_filters.DateFilter(label=_("Supervising on"), method="filter_on", widget=DATE)

    class Meta:
        model = Assignment
        fields = ["county", "organisation", "on"]

    def filter_on(self, qs, name, value):
        from workforce.selectors import active_on_q

        return qs.filter(active_on_q(value)) if value else qs


__all__ = ["AssignmentRole"]

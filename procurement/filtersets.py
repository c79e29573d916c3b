"""Filters of the procurement lists and API lists; dropdowns offer only what the user may see."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from network.choices import PlaceLevel
from network.filtersets import ScopedFilterSet, YearFilter
from network.models import Place
from workforce.models import Organisation

from .choices import EvaluationKind, ProjectStatus
from .models import Contract, CountyFund, Evaluation, PayLine, Project, in_force_q

DATE = forms.DateInput(attrs={"type": "date"})
COUNTIES = Place.objects.filter(level=PlaceLevel.COUNTY)


@extend_schema_field(OpenApiTypes.STR)
class CountyFilter(django_filters.ModelChoiceFilter):
    """A county-level unit chosen by its division code."""


class ProjectFilterSet(ScopedFilterSet):
    county = CountyFilter(label=_("County-level unit"), queryset=COUNTIES)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    formal_procurement = django_filters.BooleanFilter(label=_("Formal government procurement"))
    budget_year = YearFilter(label=_("Budget year"))

    class Meta:
        model = Project
        fields = ["county", "status", "formal_procurement", "budget_year"]


class ContractFilterSet(ScopedFilterSet):
    county = CountyFilter(label=_("County-level unit"), queryset=COUNTIES, field_name="project__county")
    provider = django_filters.ModelChoiceFilter(label=_("Provider"), queryset=Organisation.objects.all())
    in_force_on = django_filters.DateFilter(label=_("In force on"), widget=DATE, method="filter_in_force")

    class Meta:
        model = Contract
        fields = ["county", "provider", "in_force_on"]

    def filter_in_force(self, qs, name, value):
        return qs.filter(in_force_q(value or timezone.localdate()))


class PayLineFilterSet(ScopedFilterSet):
    county = CountyFilter(label=_("County-level unit"), queryset=COUNTIES, method="filter_county")
    month = django_filters.DateFilter(
        label=_("Month"),
        method="filter_month",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    contract = django_filters.CharFilter(label=_("Contract number"), field_name="contract__number")
    below_floor = django_filters.BooleanFilter(label=_("Below the floor (PRC-3)"), method="filter_below")

    class Meta:
        model = PayLine
        fields = ["county", "month", "contract", "below_floor"]

    def filter_county(self, qs, name, value):
        return qs.filter(station__place__code__startswith=value.code[:6]) if value else qs

    def filter_month(self, qs, name, value):
        return qs.filter(month=value.replace(day=1)) if value else qs

    def filter_below(self, qs, name, value):
        if value is None:
            return qs
        if "meets_floor" not in qs.query.annotations:
            from .selectors import pay_lines_with_floor

            qs = pay_lines_with_floor(qs)
        return qs.filter(meets_floor=not value)


class EvaluationFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EvaluationKind.choices)
    county = CountyFilter(label=_("County-level unit"), queryset=COUNTIES, field_name="contract__project__county")

    class Meta:
        model = Evaluation
        fields = ["kind", "county"]


class CountyFundFilterSet(ScopedFilterSet):
    county = CountyFilter(label=_("County-level unit"), queryset=COUNTIES)
    year = YearFilter(label=_("Year"))

    class Meta:
        model = CountyFund
        fields = ["county", "year"]

"""Filters of the county-plan lists (pages and API); dropdowns offer only what the user may see."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from network.choices import PlaceLevel
from network.filtersets import YearFilter
from network.models import Place

from .choices_plans import PlanStatus
from .models import CountyPlan, PlanVersion


@extend_schema_field(OpenApiTypes.STR)
class CountyFilter(django_filters.ModelChoiceFilter):
    """A county-level unit chosen by its division code."""


class _ScopedCounty:
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        counties = Place.objects.filter(level=PlaceLevel.COUNTY)
        self.filters["county"].queryset = counties.restrict(request.user) if request is not None else counties.none()


class CountyPlanFilterSet(_ScopedCounty, django_filters.FilterSet):
    county = CountyFilter(label=_("County-level unit"), queryset=Place.objects.none())
    status = django_filters.ChoiceFilter(
        label=_("Latest version"), choices=PlanStatus.choices, field_name="latest_status"
    )
    filed = django_filters.BooleanFilter(
        label=_("Has a filed version"), field_name="in_force", lookup_expr="isnull", exclude=True
    )
    year = YearFilter(label=_("Covers the year"), method="covers_year")

    class Meta:
        model = CountyPlan
        fields = ["county", "status", "filed", "year"]

    def covers_year(self, queryset, name, value):
        return queryset.filter(first_year__lte=value, last_year__gte=value)


class PlanVersionFilterSet(_ScopedCounty, django_filters.FilterSet):
    county = CountyFilter(label=_("County-level unit"), queryset=Place.objects.none(), field_name="plan__county")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices)
    plan = django_filters.NumberFilter(label=_("Plan"), field_name="plan_id")

    class Meta:
        model = PlanVersion
        fields = ["county", "status", "plan"]

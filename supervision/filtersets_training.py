"""Filters of the training lists and API lists; dropdowns offer only what the user may see."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from network.choices import PlaceLevel
from network.filtersets import YearFilter
from network.models import Place
from workforce.models import SpecialisationCategory

from .choices_training import CourseKind, CourseMode, OrganiserLevel
from .models import Attendance, Course, Trainer


@extend_schema_field(OpenApiTypes.STR)
class PlaceFilter(django_filters.ModelChoiceFilter):
    """A place chosen by its division code."""


class _Scoped:
    scoped: dict = {}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for name, qs in self.scoped.items():
            if name in self.filters:
                self.filters[name].queryset = qs().restrict(request.user) if request is not None else qs().none()


class TrainerFilterSet(django_filters.FilterSet):
    field = django_filters.ModelChoiceFilter(
        label=_("Field"), queryset=SpecialisationCategory.objects.all(), field_name="fields", distinct=True
    )
    active = django_filters.BooleanFilter(label=_("In the pool"))

    class Meta:
        model = Trainer
        fields = ["field", "active"]


class CourseFilterSet(_Scoped, django_filters.FilterSet):
    scoped = {"place": lambda: Place.objects.filter(level__in=[PlaceLevel.CITY, PlaceLevel.COUNTY])}
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CourseKind.choices)
    field = django_filters.ModelChoiceFilter(label=_("Field"), queryset=SpecialisationCategory.objects.all())
    mode = django_filters.ChoiceFilter(label=_("Online or offline"), choices=CourseMode.choices)
    organiser_level = django_filters.ChoiceFilter(label=_("Organised by"), choices=OrganiserLevel.choices)
    place = PlaceFilter(label=_("Organising place"), queryset=Place.objects.none())
    year = YearFilter(label=_("Year"), field_name="start_on", lookup_expr="year")

    class Meta:
        model = Course
        fields = ["kind", "field", "mode", "organiser_level", "place", "year"]


class AttendanceFilterSet(_Scoped, django_filters.FilterSet):
    scoped = {"county": lambda: Place.objects.filter(level=PlaceLevel.COUNTY)}
    county = PlaceFilter(label=_("County-level unit"), queryset=Place.objects.none(), method="filter_county")
    year = YearFilter(label=_("Year"), field_name="attended_on", lookup_expr="year")
    course = django_filters.NumberFilter(label=_("Course"), field_name="course")
    worker = django_filters.NumberFilter(label=_("Worker"), field_name="worker")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CourseKind.choices, field_name="course__kind")
    mode = django_filters.ChoiceFilter(
        label=_("Online or offline"), choices=CourseMode.choices, field_name="course__mode"
    )

    class Meta:
        model = Attendance
        fields = ["county", "year", "kind", "mode"]

    def filter_county(self, qs, name, value):
        return qs.filter(worker__place__code__startswith=value.code[:6]) if value else qs

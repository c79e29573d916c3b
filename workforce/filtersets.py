"""Roster filters: county, station, grade, specialisation, organisation, certified on a date (TGT-CERT)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from network.choices import PlaceLevel
from network.filtersets import ScopedFilterSet
from network.models import Place
from stations.models import Station

from . import selectors
from .choices import AssignmentRole, Grade
from .models import Assignment, Organisation, Qualification, SpecialisationCategory, Worker

DATE = forms.DateInput(attrs={"type": "date"})


@extend_schema_field(OpenApiTypes.STR)
class KeyChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its key (division code, category code) whose filtering is a method."""


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its numeric id whose filtering is a method."""


class WorkerFilterSet(ScopedFilterSet):
    county = KeyChoiceFilter(
        label=_("County-level unit"), queryset=Place.objects.filter(level=PlaceLevel.COUNTY), method="filter_county"
    )
    station = IdChoiceFilter(
        label=_("Station"), queryset=Station.objects.select_related("place__parent"), method="filter_station"
    )
    organisation = django_filters.ModelChoiceFilter(label=_("Employer"), queryset=Organisation.objects.all())
    grade = django_filters.ChoiceFilter(label=_("Highest grade"), choices=Grade.choices, method="filter_grade")
    specialisation = KeyChoiceFilter(
        label=_("Specialisation"), queryset=SpecialisationCategory.objects.all(), method="filter_specialisation"
    )
    certified_on = django_filters.DateFilter(
        label=_("Certified on"),
        widget=DATE,
        method="filter_certified_on",
        help_text=_("TGT-CERT: holding a certificate obtained on or before the date and not revoked by then"),
    )

    class Meta:
        model = Worker
        fields = ["county", "station", "organisation", "grade", "specialisation", "certified_on"]

    def _on(self):
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return data.get("certified_on") or timezone.localdate()

    def filter_county(self, qs, name, value):
        return qs.filter(place__code__startswith=value.prefix) if value else qs

    def filter_station(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(
            id__in=Assignment.objects.filter(selectors.active_on_q(self._on()), station=value).values("worker_id")
        )

    def filter_grade(self, qs, name, value):
        """TGT-CERT: the highest grade held on the date (today unless "certified on" is given)."""
        if not value:
            return qs
        return qs.annotate(top_grade=selectors.highest_grade_on(self._on())).filter(top_grade=int(value))

    def filter_specialisation(self, qs, name, value):
        if not value:
            return qs
        on = self._on()
        return (
            qs.filter(specialisations__category=value, specialisations__since__lte=on)
            .filter(Q(specialisations__until__isnull=True) | Q(specialisations__until__gte=on))
            .distinct()
        )

    def filter_certified_on(self, qs, name, value):
        return qs.filter(id__in=selectors.certified_worker_ids_on(value)) if value else qs


class QualificationFilterSet(ScopedFilterSet):
    county = KeyChoiceFilter(
        label=_("County-level unit"), queryset=Place.objects.filter(level=PlaceLevel.COUNTY), method="filter_county"
    )
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    revoked = django_filters.BooleanFilter(
        label=_("Revoked"), field_name="revoked_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Qualification
        fields = ["county", "grade", "revoked"]

    def filter_county(self, qs, name, value):
        return qs.filter(worker__place__code__startswith=value.prefix) if value else qs


class OrganisationFilterSet(ScopedFilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("County-level unit"), queryset=Place.objects.filter(level=PlaceLevel.COUNTY)
    )
    incubated_year = django_filters.NumberFilter(label=_("Year incubated"))
    scope_includes_social_work = django_filters.BooleanFilter(label=_("Business scope includes social work"))

    class Meta:
        model = Organisation
        fields = ["county", "incubated_year", "scope_includes_social_work"]


class AssignmentFilterSet(ScopedFilterSet):
    county = KeyChoiceFilter(
        label=_("County-level unit"), queryset=Place.objects.filter(level=PlaceLevel.COUNTY), method="filter_county"
    )
    station = django_filters.ModelChoiceFilter(
        label=_("Station"), queryset=Station.objects.select_related("place__parent")
    )
    organisation = django_filters.ModelChoiceFilter(label=_("Provider"), queryset=Organisation.objects.all())
    role = django_filters.ChoiceFilter(label=pgettext_lazy("assignment", "Role"), choices=AssignmentRole.choices)
    active_on = django_filters.DateFilter(label=_("Active on"), widget=DATE, method="filter_active_on")

    class Meta:
        model = Assignment
        fields = ["county", "station", "organisation", "role", "active_on"]

    def filter_county(self, qs, name, value):
        return qs.filter(station__place__code__startswith=value.prefix) if value else qs

    def filter_active_on(self, qs, name, value):
        return qs.filter(selectors.active_on_q(value)) if value else qs

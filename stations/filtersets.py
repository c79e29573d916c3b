import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.filtersets import ScopedFilterSet
from network.models import Place

from .choices import NeedLevel, RoomStatus, ServiceKind, StationStatus, TargetGroup
from .models import FollowUpPlan, Recipient, Room, ServiceRecord, Station


class StationFilterSet(ScopedFilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("County-level unit"), field_name="place__parent", queryset=Place.objects.filter(level="county")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StationStatus.choices)
    is_demonstration = django_filters.BooleanFilter(label=_("Demonstration station"))
    standardised = django_filters.BooleanFilter(label=_("Meets the standard today (TGT-STD)"), method="filter_standard")

    class Meta:
        model = Station
        fields = ["county", "status", "is_demonstration", "standardised"]

    def filter_standard(self, queryset, name, value):
        """TGT-STD on today, by the same rule as the station page and the indicator."""
        from .selectors import stations_with_standard

        if value is None:
            return queryset
        if "standard_met" not in queryset.query.annotations:
            queryset = stations_with_standard(queryset)
        return queryset.filter(standard_met=value)


class RoomFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RoomStatus.choices)
    township = django_filters.CharFilter(label=_("Township code"), field_name="place__parent_id")

    class Meta:
        model = Room
        fields = ["status", "township"]


class RecipientFilterSet(ScopedFilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("County-level unit"),
        field_name="village__parent__parent",
        queryset=Place.objects.filter(level="county"),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Station (township)"), field_name="village__parent", queryset=Place.objects.filter(level="township")
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), choices=TargetGroup.choices, method="filter_target_group"
    )

    class Meta:
        model = Recipient
        fields = ["county", "township", "target_group"]

    def filter_target_group(self, queryset, name, value):
        return queryset.filter(target_groups__contains=[value]) if value else queryset


class ServiceRecordFilterSet(ScopedFilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("County-level unit"), field_name="station__place__parent", queryset=Place.objects.filter(level="county")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Station (township)"), field_name="station__place", queryset=Place.objects.filter(level="township")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of service"), choices=ServiceKind.choices)
    served_from = django_filters.DateFilter(label=_("From"), field_name="served_on", lookup_expr="gte")
    served_to = django_filters.DateFilter(label=_("To"), field_name="served_on", lookup_expr="lte")
    recipient = django_filters.NumberFilter(label=_("Recipient"), field_name="recipients")

    class Meta:
        model = ServiceRecord
        fields = ["county", "township", "kind", "served_from", "served_to", "recipient"]


class FollowUpFilterSet(ScopedFilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("County-level unit"),
        field_name="recipient__village__parent__parent",
        queryset=Place.objects.filter(level="county"),
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Station (township)"),
        field_name="recipient__village__parent",
        queryset=Place.objects.filter(level="township"),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = FollowUpPlan
        fields = ["county", "township", "overdue"]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value is True:
            return queryset.filter(done_on__isnull=True, due_on__lt=today)
        if value is False:
            return queryset.exclude(done_on__isnull=True, due_on__lt=today)
        return queryset


__all__ = [
    "FollowUpFilterSet",
    "NeedLevel",
    "RecipientFilterSet",
    "RoomFilterSet",
    "ServiceRecordFilterSet",
    "StationFilterSet",
]

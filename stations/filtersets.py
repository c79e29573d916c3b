import django_filters
from django.utils.translation import gettext_lazy as _

from network.models import Place

from .choices import RoomStatus, StationStatus
from .models import Room, Station


class StationFilterSet(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("County-level unit"), field_name="place__parent", queryset=Place.objects.filter(level="county"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StationStatus.choices)
    is_demonstration = django_filters.BooleanFilter(label=_("Demonstration station"))

    class Meta:
        model = Station
        fields = ["county", "status", "is_demonstration"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["county"].queryset = Place.objects.restrict(request.user).filter(level="county")


class RoomFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RoomStatus.choices)
    township = django_filters.CharFilter(label=_("Township code"), field_name="place__parent_id")

    class Meta:
        model = Room
        fields = ["status", "township"]

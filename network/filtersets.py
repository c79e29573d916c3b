import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import CentreLevel, PlaceLevel, Role
from .models import Centre, PersonalDataEvent, Place, User
from .scope import VIEW, restrict_choices


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number within the years the portal keeps (a date's ``year`` lookup fails on 0
    or 10000, so they are refused as bad input, 400 in the API)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)


class ScopedFilterSet(django_filters.FilterSet):
    """A filter form whose dropdowns offer only what the user may see, through the one primitive, on a page
    and in the API alike (both pass the request)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for f in self.filters.values():
            queryset = getattr(f, "queryset", None)
            if queryset is not None and not callable(queryset):
                f.queryset = restrict_choices(queryset, user, VIEW)


class PlaceFilterSet(ScopedFilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=PlaceLevel.choices)
    parent = django_filters.CharFilter(label=_("Parent code"), field_name="parent_id")

    class Meta:
        model = Place
        fields = ["level", "parent"]


class CentreFilterSet(ScopedFilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=CentreLevel.choices)

    class Meta:
        model = Centre
        fields = ["level"]


class UserFilterSet(ScopedFilterSet):
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)

    class Meta:
        model = User
        fields = ["role", "is_active"]


class PersonalDataEventFilterSet(ScopedFilterSet):
    """The city administrator's view of the personal-data log: by user, action and date."""

    user = django_filters.CharFilter(field_name="user__username", label=_("Username"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = PersonalDataEvent
        fields = ["action", "user", "since", "until"]

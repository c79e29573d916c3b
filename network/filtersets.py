import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import CentreLevel, PlaceLevel, Role
from .models import Centre, Place, User


class PlaceFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=PlaceLevel.choices)
    parent = django_filters.CharFilter(label=_("Parent code"), field_name="parent_id")

    class Meta:
        model = Place
        fields = ["level", "parent"]


class CentreFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=CentreLevel.choices)

    class Meta:
        model = Centre
        fields = ["level"]


class UserFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)

    class Meta:
        model = User
        fields = ["role", "is_active"]

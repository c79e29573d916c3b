"""Reads on the network: the places a user holds and the summaries their home page shows."""

from __future__ import annotations

from .choices import PlaceLevel
from .models import LEVEL_PREFIX_LENGTH, Place


def user_home_places(user) -> list[Place]:
    """The highest places the user holds (what their home page starts from)."""
    from .scope import has_derived_places, scope_prefixes

    if has_derived_places(user):  # places from records of a higher app (provider staff: contracts in force)
        codes = [p.ljust(12, "0") for p in scope_prefixes(user)]
        return list(Place.objects.filter(code__in=codes).select_related("parent").order_by("code"))
    places = list(
        Place.objects.restrict(user)
        .filter(placeuserobjectpermission__user=user, placeuserobjectpermission__permission__codename="view_place")
        .distinct()
        .select_related("parent")
    )
    if user.is_superuser and not places:
        places = list(Place.objects.filter(level=PlaceLevel.CITY))
    places.sort(key=lambda p: (LEVEL_PREFIX_LENGTH[p.level], p.code))
    return places


def home_level(places: list[Place]) -> str:
    return places[0].level if places else ""

"""Reads on the network: the places a user holds and the summaries their home page shows."""

from __future__ import annotations

from django.db.models import Count, Q

from .choices import PlaceLevel
from .models import LEVEL_PREFIX_LENGTH, Place


def user_home_places(user) -> list[Place]:
    """The highest places the user holds (what their home page starts from)."""
    places = list(Place.objects.restrict(user).filter(
        placeuserobjectpermission__user=user,
        placeuserobjectpermission__permission__codename="view_place").distinct().select_related("parent"))
    if user.is_superuser and not places:
        places = list(Place.objects.filter(level=PlaceLevel.CITY))
    places.sort(key=lambda p: (LEVEL_PREFIX_LENGTH[p.level], p.code))
    return places


def home_level(places: list[Place]) -> str:
    return places[0].level if places else ""


def child_summaries(parent: Place):
    """Children of a city or county with their township and station counts (one query)."""
    from stations.choices import COUNTED_STATUSES

    qs = Place.objects.filter(parent=parent).order_by("code")
    if parent.level == PlaceLevel.CITY:
        return qs.annotate(
            townships=Count("children", distinct=True),
            stations_counted=Count("children__station", filter=Q(children__station__status__in=COUNTED_STATUSES),
                                   distinct=True),
            stations_total=Count("children__station", distinct=True),
        )
    return qs.select_related("station").annotate(villages=Count("children", distinct=True),
                                                 rooms=Count("children__room", distinct=True))

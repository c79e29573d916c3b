"""The one scoping primitive (CONVENTIONS 3).

A user is granted places (guardian object permissions ``view_place`` / ``change_place``) and
reaches every place whose division code starts with a granted place's prefix. Every scoped
model declares ``scope_field``, the path to a place code, and uses ``ScopedQuerySet``; every
list, detail, form field, export, API viewset and task calls ``restrict(user, action)``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)

ALL_PLACES = ("",)  # the empty prefix matches every code


def scope_prefixes(user, action: str = VIEW) -> tuple[str, ...]:
    """Code prefixes the user may reach for the action; cached on the user object for the request."""
    if action not in ACTIONS:
        raise ValueError(f"unknown scope action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cache = user.__dict__.setdefault("_scope_prefixes", {})
    if action not in cache:
        cache[action] = _compute_prefixes(user, action)
    return cache[action]


def _compute_prefixes(user, action: str) -> tuple[str, ...]:
    from .choices import READ_ONLY_ROLES
    from .models import LEVEL_PREFIX_LENGTH, PlaceUserObjectPermission

    if user.is_superuser:
        return ALL_PLACES
    if action == CHANGE and user.role in READ_ONLY_ROLES:
        return ()
    rows = PlaceUserObjectPermission.objects.filter(
        user=user, permission__codename=f"{action}_place"
    ).values_list("content_object__code", "content_object__level")
    prefixes = sorted({code[: LEVEL_PREFIX_LENGTH[level]] for code, level in rows})
    # Drop prefixes already covered by a shorter one.
    kept: list[str] = []
    for p in prefixes:
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(kept)


def forget_scope(user) -> None:
    user.__dict__.pop("_scope_prefixes", None)


def scope_q(field: str, prefixes: tuple[str, ...]) -> Q | None:
    """Q matching codes under the prefixes; None means everything."""
    if "" in prefixes:
        return None
    q = Q(pk__in=[])
    for p in prefixes:
        q |= Q(**{f"{field}__startswith": p})
    return q


def ancestor_codes(prefixes: tuple[str, ...]) -> set[str]:
    """The codes of the city and county (and township) places above each prefix."""
    return {p[:n].ljust(12, "0") for p in prefixes for n in (4, 6, 9) if n < len(p)}


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        field = getattr(self.model, "scope_field", None)
        if field is None:
            raise TypeError(f"{self.model.__name__} declares no scope_field")
        prefixes = scope_prefixes(user, action)
        if not prefixes:
            return self.none()
        q = scope_q(field, prefixes)
        if q is not None and action == VIEW and getattr(self.model, "scope_visible_from_below", False):
            # Records kept at a county (e.g. its service organisations) are visible to the
            # townships below it, for reading only.
            q |= Q(**{f"{field}__in": sorted(ancestor_codes(prefixes))})
        return self if q is None else self.filter(q)


def can(user, action: str, obj) -> bool:
    """Whether the object is inside the user's scope for the action."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()

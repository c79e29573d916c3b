"""The one scoping primitive (CONVENTIONS 3).

A user is granted places (guardian object permissions ``view_place`` / ``change_place``) and
reaches every place whose division code starts with a granted place's prefix. Every scoped
model declares ``scope_field``, the path to a place code, and uses ``ScopedQuerySet``; every
list, detail, form field, export, API viewset and task calls ``restrict(user, action)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models
from django.db.models import Q

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)

ALL_PLACES = ("",)  # the empty prefix matches every code


def scope_prefixes(user, action: str = VIEW) -> tuple[str, ...]:
    """Code prefixes the user may reach for the action; both actions are read at once (one query) and cached on
    the user object for the request."""
    if action not in ACTIONS:
        raise ValueError(f"unknown scope action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cache = user.__dict__.setdefault("_scope_prefixes", {})
    if action not in cache:
        cache.update(_compute_prefixes(user))
    return cache[action]


# Roles whose places come from records of a higher app instead of direct grants: provider staff reach the
# stations of their organisation's contracts in force, which procurement registers here (so that access ends
# the day after a contract ends). A function (user, action) -> iterable of code prefixes.
_DERIVED_PLACES: dict[str, Callable[[object, str], Iterable[str]]] = {}


def derived_places_register(role: str, places: Callable[[object, str], Iterable[str]]) -> None:
    """Let a higher app decide the places of a role (registering again replaces the function)."""
    _DERIVED_PLACES[role] = places


def has_derived_places(user) -> bool:
    """The user's places come from a registered function, not from grants."""
    return bool(user is not None and not user.is_superuser and getattr(user, "role", None) in _DERIVED_PLACES)


def _compute_prefixes(user) -> dict[str, tuple[str, ...]]:
    from .models import LEVEL_PREFIX_LENGTH, PlaceUserObjectPermission
    from .roles import may_write

    if user.is_superuser:
        return dict.fromkeys(ACTIONS, ALL_PLACES)
    found: dict[str, set[str]] = {a: set() for a in ACTIONS}
    if has_derived_places(user):
        for action in ACTIONS:
            found[action] = {p for p in _DERIVED_PLACES[user.role](user, action) if p}
    else:
        rows = PlaceUserObjectPermission.objects.filter(
            user=user, permission__codename__in=[f"{a}_place" for a in ACTIONS]
        ).values_list("permission__codename", "content_object__code", "content_object__level")
        for codename, code, level in rows:
            found[codename.removesuffix("_place")].add(code[: LEVEL_PREFIX_LENGTH[level]])
    if not may_write(user):
        found[CHANGE] = set()
    result = {}
    for action, prefixes in found.items():
        # Drop prefixes already covered by a shorter one.
        kept: list[str] = []
        for p in sorted(prefixes):
            if not any(p.startswith(k) for k in kept):
                kept.append(p)
        result[action] = tuple(kept)
    return result


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


def reaches(user, code: str, action: str = VIEW) -> bool:
    """Whether the place with this division code lies inside the user's scope (no query once the
    prefixes are known): a page shows a link to a place only to those who may open it."""
    return any(code.startswith(p) for p in scope_prefixes(user, action))


def placing_field(model) -> str:
    """The field that places a record of ``model`` (the first step of its ``scope_field``): a write may put the
    record only where the user may change."""
    return (getattr(model, "scope_field", None) or "").split("__")[0]


def choice_action(model, name: str, *, write: bool, change_fields: tuple[str, ...] = ()) -> str:
    """The scope a choice of the field ``name`` (a form's or a serializer's) is limited to: in a write, the field
    that places the record (and any the form names in ``change_fields``) offers what the user may change; every
    other choice refers to a record the user may see (e.g. a township's employer, kept at its county)."""
    if write and (name == placing_field(model) or name in change_fields):
        return CHANGE
    return VIEW


def restrict_choices(queryset, user, action: str = VIEW):
    """The records a choice may offer: through ``restrict`` for every model with a place; models without one
    (reference lists such as specialisation categories) are offered whole. No user: nothing."""
    if queryset is None:
        return None
    if user is None:
        return queryset.none()
    return queryset.restrict(user, action) if hasattr(queryset, "restrict") else queryset


def can(user, action: str, obj) -> bool:
    """Whether the object is inside the user's scope for the action."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()

"""Writes on the network: division lists, functional zones, accounts and grants, rule settings."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from liuzhou_social.tabular import ImportResult

from .choices import ROLE_PLACE_LEVEL, CentreLevel, PlaceKind, PlaceLevel, Role
from .models import Centre, Place, PlaceUserObjectPermission, RuleSetting, User
from .roles import is_city_admin, role_may_write
from .rule_settings import PARAMETERS, forget_rule_settings
from .scope import forget_scope

# The plan's two functional zones act as county-level units but have no statistical code;
# the portal keys them in the unused 7x county range of Liuzhou.
FUNCTIONAL_ZONES = [
    ("450271000000", "柳东新区"),
    ("450272000000", "北部生态新区（阳和工业新区）"),
]
LIUZHOU_CODE = "450200000000"


def division_import(*, upload, record_history: bool = True, user=None) -> ImportResult:
    """Load an official division list (csv/xlsx, columns code,name,level,kind,parent_code) through the import
    engine: all rows or none, every wrong row reported (``network.divisions.DivisionImport``)."""
    from .divisions import DivisionImport
    from .imports import import_run

    return import_run(DivisionImport(user, record_history=record_history), upload, commit=True)


def functional_zones_ensure(*, city_code: str = LIUZHOU_CODE) -> int:
    """Create the plan's two functional zones under the city (RULES.md, Places). Idempotent."""
    created = 0
    for code, name in FUNCTIONAL_ZONES:
        _obj, was_created = Place.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": PlaceLevel.COUNTY,
                "kind": PlaceKind.ZONE,
                "parent_id": city_code,
                "is_functional_zone": True,
            },
        )
        created += was_created
    return created


# --- accounts and grants -------------------------------------------------------------------------


def _place_permissions(actions):
    return list(
        Permission.objects.filter(
            content_type__app_label="network", content_type__model="place", codename__in=[f"{a}_place" for a in actions]
        )
    )


@transaction.atomic
def user_grant_place(*, user: User, place: Place) -> None:
    """Grant the user a place: view always, change unless the role is read-only."""
    expected = ROLE_PLACE_LEVEL.get(user.role)
    if expected and place.level != expected:
        raise ValidationError(
            {
                "place": _("A %(role)s is granted a place of level “%(level)s”.")
                % {"role": user.get_role_display(), "level": PlaceLevel(expected).label}
            }
        )
    actions = ["view", "change"] if role_may_write(user.role) else ["view"]
    for perm in _place_permissions(actions):
        assign_perm(perm, user, place)
    forget_scope(user)


@transaction.atomic
def user_revoke_places(*, user: User) -> None:
    # One by one, so each revocation is recorded in the grant history.
    for grant in PlaceUserObjectPermission.objects.filter(user=user):
        grant.delete()
    forget_scope(user)


@transaction.atomic
def user_update(
    *, user: User, role: str, places: list[Place], display_name: str, organisation: str, is_active: bool
) -> User:
    """Change an account's role, places and state; grants are replaced so they match the role."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    regrant = role != user.role or set(user_places(user)) != set(places)
    user.role, user.display_name, user.organisation, user.is_active = role, display_name, organisation, is_active
    user.is_staff = role == Role.CITY_ADMIN or user.is_superuser
    user.full_clean(exclude=["password"])
    user.save()
    if regrant:  # the role decides view-only or view+change, so grants follow both
        user_revoke_places(user=user)
        for place in places:
            user_grant_place(user=user, place=place)
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    places: list[Place],
    display_name: str = "",
    organisation: str = "",
    email: str = "",
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%(u)s” is already taken.") % {"u": username}})
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        organisation=organisation,
        email=email,
        is_staff=role == Role.CITY_ADMIN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    for place in places:
        user_grant_place(user=user, place=place)
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, by: User | None = None) -> User:
    """A city administrator sets a new password for an account (the owner changes it after signing in). The
    account's history records that it was reset, by whom and from where; the password itself is never kept there."""
    from django.contrib.auth import password_validation

    password_validation.validate_password(password, user)
    user.set_password(password)
    user._change_reason = "password reset"
    user.save()
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User | None = None) -> User:
    """Deactivate an account (it can no longer sign in and sees nothing) or activate it again; an administrator
    cannot deactivate their own account."""
    if by is not None and by.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user._change_reason = "activated" if active else "deactivated"
    user.save()
    return user


def user_lock_state(usernames) -> dict[str, dict]:
    """The login lockout (django-axes, username + address) of each account that has failed logins now: failures
    counted, whether it is locked, and when the lock ends. One query for any number of accounts."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    cooloff = settings.AXES_COOLOFF_TIME
    limit = settings.AXES_FAILURE_LIMIT
    since = timezone.now() - cooloff if cooloff else None
    attempts = AccessAttempt.objects.filter(username__in=list(usernames))
    if since is not None:
        attempts = attempts.filter(attempt_time__gte=since)
    state: dict[str, dict] = {}
    for a in attempts.order_by("attempt_time"):
        s = state.setdefault(a.username, {"failures": 0, "locked": False, "until": None, "addresses": []})
        s["failures"] = max(s["failures"], a.failures_since_start)
        s["addresses"].append(a.ip_address)
        if a.failures_since_start >= limit:
            s["locked"] = True
            s["until"] = a.attempt_time + cooloff if cooloff else None
    return state


def users_with_lock(queryset):
    """The accounts annotated with ``locked``: locked out of signing in now (the same test as ``user_lock_state``)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    attempts = AccessAttempt.objects.filter(
        username=OuterRef("username"), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return queryset.annotate(locked=Exists(attempts))


@transaction.atomic
def user_unlock(*, user: User, by: User | None = None) -> int:
    """Lift the login lockout of an account at every address (django-axes' reset API) so that its owner can sign
    in again at once; the account's history records the unlock. Returns the failed attempts cleared."""
    from axes.utils import reset

    cleared = reset(username=user.username)
    user._change_reason = "unlocked"
    user.save()
    return cleared


def user_places(user: User) -> list[Place]:
    return list(
        Place.objects.filter(
            placeuserobjectpermission__user=user, placeuserobjectpermission__permission__codename="view_place"
        ).distinct()
    )


# --- rule settings ---------------------------------------------------------------------------------


@transaction.atomic
def rule_setting_update(*, key: str, value: Decimal) -> RuleSetting | None:
    """Set a rule parameter (city administrators only, checked by the caller's permission)."""
    param = PARAMETERS.get(key)
    if param is None:
        raise ValidationError({"key": _("Unknown rule parameter.")})
    if value < param.minimum or (param.maximum is not None and value > param.maximum):
        raise ValidationError(
            {
                "value": _("%(rule)s: the value must lie between %(lo)s and %(hi)s.")
                % {"rule": param.rule, "lo": param.minimum, "hi": param.maximum if param.maximum is not None else "∞"}
            }
        )
    if value == param.default:
        RuleSetting.objects.filter(key=key).delete()
        setting = None
    else:
        setting, _created = RuleSetting.objects.update_or_create(key=key, defaults={"value": value})
    # Now for this transaction's reads, and again after commit for everyone else's.
    forget_rule_settings()
    transaction.on_commit(forget_rule_settings)
    return setting


# ---------------------------------------------------------------- centres (NET-1, NET-2)

CENTRE_PLACE_LEVEL = {CentreLevel.CITY: PlaceLevel.CITY, CentreLevel.COUNTY: PlaceLevel.COUNTY}
CENTRE_DETAIL_FIELDS = ("name", "host", "address", "established_on", "contact_phone")


def centre_check(*, level: str, place: Place) -> None:
    """NET-1: one city social-work development centre, at the city; NET-2: one guidance centre per
    county-level unit, at that unit. One centre per place."""
    if CENTRE_PLACE_LEVEL.get(level) != place.level:
        raise ValidationError(
            {
                "place": _("NET-1/NET-2: a %(level)s belongs to a place of level “%(needed)s”, not to %(place)s.")
                % {
                    "level": CentreLevel(level).label,
                    "needed": PlaceLevel(CENTRE_PLACE_LEVEL[level]).label,
                    "place": place.name,
                }
            }
        )
    if Centre.objects.filter(place=place).exists():
        raise ValidationError({"place": _("NET-1/NET-2: %(place)s already has its centre.") % {"place": place.name}})


def centre_create_allowed(*, user) -> None:
    """NET-1/NET-2: the network's structure is the city's: only the city administrator registers a centre."""
    if not is_city_admin(user):
        raise PermissionDenied(_("NET-1/NET-2: centres are registered by the city administrator."))


@transaction.atomic
def centre_save(*, user, data: dict, centre: Centre | None = None) -> Centre:
    """Register a centre (the city administrator only: the network's structure is the city's) or edit its
    details (also the county officer of a guidance centre). Level and place never change."""
    if centre is None:
        centre_create_allowed(user=user)
        centre_check(level=data.get("level"), place=data.get("place"))
        centre = Centre(level=data["level"], place=data["place"])
    else:
        for name in ("level", "place"):
            if name in data and data[name] != getattr(centre, name):
                raise ValidationError({name: _("NET-1/NET-2: a centre's level and place do not change.")})
    for name in CENTRE_DETAIL_FIELDS:
        if name in data:
            setattr(centre, name, data[name])
    centre.full_clean(validate_unique=False)
    centre.save()
    return centre

"""Writes on the network: division lists, functional zones, accounts and grants, rule settings."""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from liuzhou_social.tabular import ImportResult, RowError, cell_text, iter_rows

from .choices import READ_ONLY_ROLES, ROLE_PLACE_LEVEL, PlaceKind, PlaceLevel, Role
from .models import LEVEL_PREFIX_LENGTH, Place, PlaceUserObjectPermission, RuleSetting, User
from .rule_settings import PARAMETERS, forget_rule_settings
from .scope import forget_scope

DIVISION_HEADERS = ["code", "name", "level", "kind", "parent_code"]
CODE_RE = re.compile(r"^\d{12}$")
PARENT_LEVEL = {
    PlaceLevel.CITY: PlaceLevel.PROVINCE,
    PlaceLevel.COUNTY: PlaceLevel.CITY,
    PlaceLevel.TOWNSHIP: PlaceLevel.COUNTY,
    PlaceLevel.VILLAGE: PlaceLevel.TOWNSHIP,
}
# (level, kind in the statistical list) -> the portal's kind
KIND_MAP = {
    ("province", "province"): PlaceKind.PROVINCE,
    ("city", "city"): PlaceKind.CITY,
    ("county", "district"): PlaceKind.DISTRICT,
    ("county", "county"): PlaceKind.COUNTY,
    ("county", "city"): PlaceKind.COUNTY_CITY,
    ("county", "zone"): PlaceKind.ZONE,
    ("township", "street"): PlaceKind.STREET,
    ("township", "town"): PlaceKind.TOWN,
    ("township", "township"): PlaceKind.TOWNSHIP,
    ("village", "community"): PlaceKind.COMMUNITY,
    ("village", "village"): PlaceKind.VILLAGE,
}

# The plan's two functional zones act as county-level units but have no statistical code;
# the portal keys them in the unused 7x county range of Liuzhou.
FUNCTIONAL_ZONES = [
    ("450271000000", "柳东新区"),
    ("450272000000", "北部生态新区（阳和工业新区）"),
]
LIUZHOU_CODE = "450200000000"


def code_level_consistent(code: str, level: str) -> bool:
    """A code's digits below its level are zero, and the digits of its level are not all zero."""
    n = LEVEL_PREFIX_LENGTH[level]
    if code[n:].strip("0"):
        return False
    if level == PlaceLevel.PROVINCE:
        return code[:2] != "00"
    previous = {4: 2, 6: 4, 9: 6, 12: 9}[n]
    return bool(code[previous:n].strip("0"))


def division_import(*, upload, record_history: bool = True) -> ImportResult:
    """Load an official division list (csv/xlsx, columns code,name,level,kind,parent_code).

    Idempotent: new codes are created, changed names/kinds updated, the rest left alone.
    All or nothing: if any row is wrong, nothing is written and every wrong row is reported.
    """
    headers, rows = iter_rows(upload)
    result = ImportResult()
    missing = [h for h in DIVISION_HEADERS if h not in headers]
    if missing:
        result.errors.append(RowError(1, ", ".join(missing), "", _("missing column(s); expected %(h)s") % {
            "h": ", ".join(DIVISION_HEADERS)}))
        return result
    idx = {h: headers.index(h) for h in DIVISION_HEADERS}
    parsed: dict[str, dict] = {}
    for number, raw in rows:
        values = {h: cell_text(raw[i]) if i < len(raw) else "" for h, i in idx.items()}
        if not any(values.values()):
            continue
        code, name, level, kind, parent = (values[h] for h in DIVISION_HEADERS)

        def err(column, value, message):
            result.errors.append(RowError(number, column, value, message))

        if not CODE_RE.match(code):
            err("code", code, _("a division code has exactly 12 digits"))
            continue
        if level not in LEVEL_PREFIX_LENGTH:
            err("level", level, _("level must be one of province, city, county, township, village"))
            continue
        if not code_level_consistent(code, level):
            err("code", code, _("the code does not match its level “%(level)s”") % {"level": level})
            continue
        if not name:
            err("name", name, _("the name is required"))
            continue
        portal_kind = KIND_MAP.get((level, kind), PlaceKind.OTHER if kind == "other" else None)
        if portal_kind is None:
            err("kind", kind, _("unknown kind for level “%(level)s”") % {"level": level})
            continue
        if code in parsed:
            err("code", code, _("the code appears twice in the file (first at row %(row)s)") % {
                "row": parsed[code]["row"]})
            continue
        if level == PlaceLevel.PROVINCE:
            parent = ""
        elif not CODE_RE.match(parent) or parent[: LEVEL_PREFIX_LENGTH[PARENT_LEVEL[level]]] != code[
            : LEVEL_PREFIX_LENGTH[PARENT_LEVEL[level]]
        ]:
            err("parent_code", parent, _("the parent code must be the code's own %(level)s-level prefix") % {
                "level": PARENT_LEVEL[level]})
            continue
        parsed[code] = {"row": number, "name": name[:100], "level": level, "kind": portal_kind,
                        "parent": parent or None}

    known = set(Place.objects.filter(code__in=[p["parent"] for p in parsed.values() if p["parent"]])
                .values_list("code", flat=True))
    for code, p in parsed.items():
        if p["parent"] and p["parent"] not in parsed and p["parent"] not in known:
            result.errors.append(RowError(p["row"], "parent_code", p["parent"],
                                          _("the parent place does not exist (not in the file nor in the portal)")))
    if result.errors or not parsed:
        if not parsed and not result.errors:
            result.errors.append(RowError(1, "code", "", _("the file has no rows")))
        result.errors.sort(key=lambda e: e.row)
        return result

    with transaction.atomic():
        existing = Place.objects.in_bulk(list(parsed.keys()))
        to_create, to_update = [], []
        # Parents first, so foreign keys are always satisfied.
        for code, p in sorted(parsed.items(), key=lambda kv: LEVEL_PREFIX_LENGTH[kv[1]["level"]]):
            place = existing.get(code)
            if place is None:
                to_create.append(Place(code=code, name=p["name"], level=p["level"], kind=p["kind"],
                                       parent_id=p["parent"]))
            elif (place.name, place.level, place.kind, place.parent_id) != (p["name"], p["level"], p["kind"],
                                                                             p["parent"]):
                place.name, place.level, place.kind, place.parent_id = p["name"], p["level"], p["kind"], p["parent"]
                to_update.append(place)
            else:
                result.unchanged += 1
        fields = ["name", "level", "kind", "parent"]
        if record_history:
            bulk_create_with_history(to_create, Place, batch_size=2000)
            bulk_update_with_history(to_update, Place, fields, batch_size=2000)
        else:
            Place.objects.bulk_create(to_create, batch_size=5000)
            Place.objects.bulk_update(to_update, fields, batch_size=5000)
        result.created, result.updated = len(to_create), len(to_update)
    return result


def functional_zones_ensure(*, city_code: str = LIUZHOU_CODE) -> int:
    """Create the plan's two functional zones under the city (RULES.md, Places). Idempotent."""
    created = 0
    for code, name in FUNCTIONAL_ZONES:
        _obj, was_created = Place.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": PlaceLevel.COUNTY, "kind": PlaceKind.ZONE, "parent_id": city_code,
                      "is_functional_zone": True},
        )
        created += was_created
    return created


# --- accounts and grants -------------------------------------------------------------------------

def _place_permissions(actions):
    return list(Permission.objects.filter(content_type__app_label="network", content_type__model="place",
                                          codename__in=[f"{a}_place" for a in actions]))


@transaction.atomic
def user_grant_place(*, user: User, place: Place) -> None:
    """Grant the user a place: view always, change unless the role is read-only."""
    expected = ROLE_PLACE_LEVEL.get(user.role)
    if expected and place.level != expected:
        raise ValidationError({"place": _("A %(role)s is granted a place of level “%(level)s”.") % {
            "role": user.get_role_display(), "level": PlaceLevel(expected).label}})
    actions = ["view"] if user.role in READ_ONLY_ROLES else ["view", "change"]
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
def user_update(*, user: User, role: str, places: list[Place], display_name: str, organisation: str,
                is_active: bool) -> User:
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
def user_create(*, username: str, password: str, role: str, places: list[Place], display_name: str = "",
                organisation: str = "", email: str = "") -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%(u)s” is already taken.") % {"u": username}})
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    user = User(username=username, role=role, display_name=display_name, organisation=organisation, email=email,
                is_staff=role == Role.CITY_ADMIN)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    for place in places:
        user_grant_place(user=user, place=place)
    return user


def user_places(user: User) -> list[Place]:
    return list(Place.objects.filter(placeuserobjectpermission__user=user,
                                     placeuserobjectpermission__permission__codename="view_place").distinct())


# --- rule settings ---------------------------------------------------------------------------------

@transaction.atomic
def rule_setting_update(*, key: str, value: Decimal) -> RuleSetting | None:
    """Set a rule parameter (city administrators only, checked by the caller's permission)."""
    param = PARAMETERS.get(key)
    if param is None:
        raise ValidationError({"key": _("Unknown rule parameter.")})
    if value < param.minimum or (param.maximum is not None and value > param.maximum):
        raise ValidationError({"value": _("%(rule)s: the value must lie between %(lo)s and %(hi)s.") % {
            "rule": param.rule, "lo": param.minimum, "hi": param.maximum if param.maximum is not None else "∞"}})
    if value == param.default:
        RuleSetting.objects.filter(key=key).delete()
        setting = None
    else:
        setting, _created = RuleSetting.objects.update_or_create(key=key, defaults={"value": value})
    # Now for this transaction's reads, and again after commit for everyone else's.
    forget_rule_settings()
    transaction.on_commit(forget_rule_settings)
    return setting

"""The official division list (统计用区划代码) as an import spec: columns code, name, level, kind, parent_code.

Idempotent: new codes are created, changed names/kinds/parents updated, the rest left alone. All or nothing:
if any row is wrong, nothing is written and every wrong row is reported. Only city administrators import it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .changes import indicator_inputs_changed_send
from .choices import PlaceKind, PlaceLevel, Role
from .imports import Column, ImportSpec, Sheet, register
from .models import LEVEL_PREFIX_LENGTH, Place

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
DIVISION_HEADERS = ["code", "name", "level", "kind", "parent_code"]
BATCH = 5000


def code_level_consistent(code: str, level: str) -> bool:
    """A code's digits below its level are zero, and the digits of its level are not all zero."""
    n = LEVEL_PREFIX_LENGTH[level]
    if code[n:].strip("0"):
        return False
    if level == PlaceLevel.PROVINCE:
        return code[:2] != "00"
    previous = {4: 2, 6: 4, 9: 6, 12: 9}[n]
    return bool(code[previous:n].strip("0"))


@register
class DivisionImport(ImportSpec):
    """The statistical division list, csv or xlsx, as published (its English column names)."""

    kind = "division_import"
    title = gettext_lazy("Division import")
    description = gettext_lazy(
        "The national statistical division list as csv or xlsx with the columns code, name, level, "
        "kind, parent_code. New codes are added and changed names updated; if any row is wrong nothing is written."
    )
    file_types = ("xlsx", "csv")
    upload_url_name = "network:division_import"
    template_url_name = "network:division_template"
    list_url_name = "network:place_list"
    list_label = gettext_lazy("Open the places")
    sheets = [
        Sheet(
            "places",
            gettext_lazy("Divisions"),
            [
                Column("code", gettext_lazy("Division code"), True, header="code", width=16, as_text=True),
                Column("name", gettext_lazy("Name"), header="name", max_length=100, width=30),
                Column(
                    "level",
                    gettext_lazy("Level"),
                    True,
                    header="level",
                    hint=gettext_lazy("province, city, county, township or village"),
                ),
                Column(
                    "kind",
                    gettext_lazy("Kind"),
                    True,
                    header="kind",
                    hint=gettext_lazy("e.g. district, county, street, town, township, community, village"),
                ),
                Column("parent_code", gettext_lazy("Parent code"), header="parent_code", width=16, as_text=True),
            ],
            unique=("code",),
            extra_columns=True,
        )
    ]

    def __init__(self, user=None, progress=None, *, record_history: bool = True):
        super().__init__(user, progress)
        self.record_history = record_history

    @classmethod
    def may_import(cls, user) -> bool:
        return user.is_superuser or getattr(user, "role", None) == Role.CITY_ADMIN

    def check_places(self, row):
        code, name, level, kind, parent = (row[k] for k in DIVISION_HEADERS)
        if not CODE_RE.match(code):
            return row.error("code", _("a division code has exactly 12 digits"))
        if level not in LEVEL_PREFIX_LENGTH:
            return row.error("level", _("level must be one of province, city, county, township, village"))
        if not code_level_consistent(code, level):
            return row.error("code", _("the code does not match its level “%(level)s”") % {"level": level})
        if not name:
            return row.error("name", _("the name is required"))
        portal_kind = KIND_MAP.get((level, kind), PlaceKind.OTHER if kind == "other" else None)
        if portal_kind is None:
            return row.error("kind", _("unknown kind for level “%(level)s”") % {"level": level})
        if level == PlaceLevel.PROVINCE:
            parent = ""
        else:
            prefix = LEVEL_PREFIX_LENGTH[PARENT_LEVEL[level]]
            if not CODE_RE.match(parent) or parent[:prefix] != code[:prefix]:
                return row.error(
                    "parent_code",
                    _("the parent code must be the code's own %(level)s-level prefix") % {"level": PARENT_LEVEL[level]},
                )
        return {"code": code, "name": name, "level": level, "kind": portal_kind, "parent": parent or None}

    def check_file(self, outcome):
        rows = outcome.rows["places"]
        in_file = {r["code"] for r in rows}
        wanted = list({r["parent"] for r in rows if r["parent"] and r["parent"] not in in_file})
        known = set()
        for start in range(0, len(wanted), BATCH):
            known |= set(Place.objects.filter(code__in=wanted[start : start + BATCH]).values_list("code", flat=True))
        for r in rows:
            if r["parent"] and r["parent"] not in in_file and r["parent"] not in known:
                outcome.add_error(
                    "places",
                    r["_row"],
                    "parent_code",
                    r["parent"],
                    _("the parent place does not exist (not in the file nor in the portal)"),
                )

    def plan(self, outcome):
        rows = outcome.rows["places"]
        existing = {}
        codes = [r["code"] for r in rows]
        for start in range(0, len(codes), BATCH):
            existing.update(Place.objects.in_bulk(codes[start : start + BATCH]))
        self.new, self.changed = [], []
        # Parents first, so foreign keys are always satisfied.
        for r in sorted(rows, key=lambda r: LEVEL_PREFIX_LENGTH[r["level"]]):
            place = existing.get(r["code"])
            wanted = (r["name"], r["level"], r["kind"], r["parent"])
            if place is None:
                self.new.append(
                    Place(code=r["code"], name=r["name"], level=r["level"], kind=r["kind"], parent_id=r["parent"])
                )
                outcome.count("places", "created")
            elif (place.name, place.level, place.kind, place.parent_id) != wanted:
                place.name, place.level, place.kind, place.parent_id = wanted
                self.changed.append(place)
                outcome.count("places", "updated")
            else:
                outcome.count("places", "unchanged")

    def write(self, outcome):
        fields = ["name", "level", "kind", "parent"]
        if self.record_history:
            bulk_create_with_history(self.new, Place, batch_size=2000, default_user=self.recorded_by)
            bulk_update_with_history(self.changed, Place, fields, batch_size=2000, default_user=self.recorded_by)
        else:
            Place.objects.bulk_create(self.new, batch_size=BATCH)
            Place.objects.bulk_update(self.changed, fields, batch_size=BATCH)
        # The figures follow the division tree (reporting's pending changes).
        indicator_inputs_changed_send(sender="network.places", place_codes=[p.code for p in [*self.new, *self.changed]])

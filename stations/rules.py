"""Rules computed for stations: the standard check (TGT-STD) and the NET-2 demonstration count.

These functions are the only place the rules are computed; the station page, the API, the station list's
filter, the demo data, the explanation page and the indicator recompute all call them.

TGT-STD, the one definition: a station **meets the standard on a date** when every item of the check
passes on that date. The items form a registry: this app contributes the six haves (NET-3, read from
their dated history ``SixHavesChange``) and a published service catalogue (NET-2, an entry published on
the date); higher apps contribute theirs when they load (workforce: at least ``PRC-2.workers_per_station``
workers stationed on the date; supervision: SUP-1 once visits are recorded), so this module imports
nothing above it. Every item has a Python form (``check``, for one station) and an SQL form (``sql``, for
the set-based recompute and lists); ``tests/stations/test_standard.py`` keeps the two identical. A county
officer's confirmation (``StandardCheck``) is the evidence of an on-site check, shown beside the result;
it does not change it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from network.choices import PlaceLevel
from network.models import Place
from network.rule_settings import rule_int

from .choices import SIX_HAVES_FIELDS, StandardItem
from .models import CatalogueItem, SixHavesChange, Station

SIX_HAVES = SIX_HAVES_FIELDS


# ---------------------------------------------------------------- the registry of standard items (TGT-STD)


@dataclass(frozen=True)
class StandardItemSpec:
    """One item of the standard check.

    ``check(station, on, memo)`` returns ``(ok, detail)`` for one station on a date (``memo`` is a dict shared
    by the items of one check, for reads they have in common). ``sql(station, on)`` returns a boolean SQL
    expression over the SQL expressions ``station`` (a station id) and ``on`` (a date); it may use the
    columns of the lateral rows named in ``joins`` (name -> function of ``station`` and ``on`` giving a
    ``SELECT … LIMIT 1``), which items share.
    """

    code: str
    label: object  # a (lazy) translatable string
    rule: str
    order: int
    check: Callable[[Station, datetime.date, dict], tuple[bool, str]]
    sql: Callable[[str, str], str]
    joins: dict[str, Callable[[str, str], str]] = field(default_factory=dict)


_REGISTRY: dict[str, StandardItemSpec] = {}


def standard_item_register(spec: StandardItemSpec) -> None:
    """Add an item to the standard check (idempotent: registering the same code again replaces it)."""
    _REGISTRY[spec.code] = spec


def standard_items() -> list[StandardItemSpec]:
    """The items of the standard check, in the order they are shown."""
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.code))


def standard_item_label(code: str) -> str:
    spec = _REGISTRY.get(code)
    return str(spec.label) if spec else code


@dataclass(frozen=True)
class StandardItemResult:
    item: str
    rule: str
    ok: bool
    detail: str

    @property
    def label(self) -> str:
        return standard_item_label(self.item)

    def as_dict(self) -> dict:
        return {"item": self.item, "rule": self.rule, "ok": self.ok, "detail": self.detail}


@dataclass(frozen=True)
class StandardResult:
    """TGT-STD: the result of every item for one station on one date."""

    station: Station
    on: datetime.date
    items: list[StandardItemResult]

    @property
    def met(self) -> bool:
        return all(i.ok for i in self.items)

    @property
    def missing(self) -> list[StandardItemResult]:
        return [i for i in self.items if not i.ok]


def tgt_std_check(*, station: Station, on: datetime.date | None = None) -> StandardResult:
    """TGT-STD: every item of the standard check for the station on the date (default today)."""
    on = on or timezone.localdate()
    memo: dict = {}
    items = []
    for spec in standard_items():
        ok, detail = spec.check(station, on, memo)
        items.append(StandardItemResult(spec.code, spec.rule, bool(ok), str(detail)))
    return StandardResult(station, on, items)


def _scalar(condition: str, specs, station: str, on: str) -> str:
    joins: dict[str, str] = {}
    for spec in specs:
        for name, join in spec.joins.items():
            joins.setdefault(name, join(station, on))
    lateral = " ".join(f"LEFT JOIN LATERAL ({sql}) {name} ON true" for name, sql in joins.items())
    return f"(SELECT {condition} FROM (SELECT 1) AS one {lateral})"


def tgt_std_item_sql(code: str, *, station: str, on: str) -> str:
    """The SQL form of one item: a scalar boolean over the SQL expressions ``station`` and ``on``."""
    spec = _REGISTRY[code]
    return _scalar(f"COALESCE({spec.sql(station, on)}, false)", [spec], station, on)


def tgt_std_sql(*, station: str, on: str) -> str:
    """TGT-STD in SQL: a scalar boolean, true when every item passes for the station id ``station`` on the
    date ``on`` (SQL expressions). The recompute, the station list and the explanation page use it."""
    specs = standard_items()
    condition = " AND ".join(f"COALESCE({s.sql(station, on)}, false)" for s in specs) or "true"
    return _scalar(condition, specs, station, on)


def sql_date(on: datetime.date) -> str:
    """A date as an SQL literal (dates are formatted here, never taken from user text)."""
    return f"DATE '{on.isoformat()}'"


# ---------------------------------------------------------------- this app's items: six haves, catalogue


def six_haves_on(station: Station, on: datetime.date, memo: dict | None = None) -> SixHavesChange | None:
    """NET-3: the entry of the six-haves history in force on the date (None before the first entry)."""
    memo = {} if memo is None else memo
    key = ("six_haves", station.pk, on)
    if key not in memo:
        memo[key] = (
            SixHavesChange.objects.filter(station=station, effective_on__lte=on)
            .order_by("-effective_on", "-id")
            .first()
        )
    return memo[key]


def _six_haves_join(station: str, on: str) -> str:
    columns = ", ".join(f"h.{f.value}" for f in SIX_HAVES)
    return (
        f"SELECT {columns} FROM {SixHavesChange._meta.db_table} h WHERE h.station_id = {station} "
        f"AND h.effective_on <= {on} ORDER BY h.effective_on DESC, h.id DESC LIMIT 1"
    )


def _six_have_item(have: StandardItem, order: int) -> StandardItemSpec:
    def check(station, on, memo):
        entry = six_haves_on(station, on, memo)
        ok = bool(entry and getattr(entry, have.value))
        return ok, _("present") if ok else _("missing")

    return StandardItemSpec(
        code=have.value,
        label=have.label,
        rule="NET-3",
        order=order,
        check=check,
        sql=lambda station, on: f"six.{have.value}",
        joins={"six": _six_haves_join},
    )


def catalogue_published_q(on: datetime.date, prefix: str = "") -> Q:
    """NET-2: catalogue entries published on the date."""
    return Q(**{f"{prefix}published_on__lte": on}) & (
        Q(**{f"{prefix}withdrawn_on__isnull": True}) | Q(**{f"{prefix}withdrawn_on__gt": on})
    )


def _catalogue_check(station, on, memo):
    n = CatalogueItem.objects.filter(catalogue_published_q(on), station=station).count()
    return n > 0, _("%(n)s published services") % {"n": n}


def _catalogue_sql(station: str, on: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {CatalogueItem._meta.db_table} ci WHERE ci.station_id = {station} "
        f"AND ci.published_on <= {on} AND (ci.withdrawn_on IS NULL OR ci.withdrawn_on > {on}))"
    )


for _order, _have in enumerate(SIX_HAVES, start=1):
    standard_item_register(_six_have_item(_have, _order * 10))
standard_item_register(
    StandardItemSpec(
        code=StandardItem.CATALOGUE.value,
        label=StandardItem.CATALOGUE.label,
        rule="NET-2",
        order=70,
        check=_catalogue_check,
        sql=_catalogue_sql,
    )
)


def station_six_haves_met(station: Station) -> bool:
    """NET-3: all six haves present (the station's current flags)."""
    return all(getattr(station, item.value) for item in SIX_HAVES)


# ---------------------------------------------------------------- NET-2 demonstration stations


@dataclass(frozen=True)
class DemonstrationWarning:
    county: Place
    count: int
    minimum: int
    maximum: int

    @property
    def message(self) -> str:
        return _("NET-2: %(county)s has %(n)s demonstration stations; each county cultivates %(a)s–%(b)s.") % {
            "county": self.county.name,
            "n": self.count,
            "a": self.minimum,
            "b": self.maximum,
        }


def county_demonstration_warnings(*, counties) -> list[DemonstrationWarning]:
    """NET-2: counties with fewer than ``NET-2.demonstration_min`` or more than ``NET-2.demonstration_max``
    demonstration stations (defaults 1 and 2). One query for all counties."""
    low, high = rule_int("NET-2.demonstration_min"), rule_int("NET-2.demonstration_max")
    rows = counties.filter(level=PlaceLevel.COUNTY).annotate(
        demo=Count("children__station", filter=Q(children__station__is_demonstration=True))
    )
    return [DemonstrationWarning(c, c.demo, low, high) for c in rows if c.demo < low or c.demo > high]


# --- SRV-3 / PRC-2: the workers a service record may name -----------------------------------------------------
#
# A service of a station on a day is delivered by the workers stationed there that day (PRC-2). Stationings are
# kept by the workforce app, above this one; it registers the function that answers (workforce.rules), and the
# service-record form, API and every later import ask ``service_workers_allowed`` alone.

_SERVICE_WORKERS: list[Callable] = []


def service_workers_register(allowed: Callable) -> None:
    """Register ``allowed(station_id=…, on=…)`` returning the queryset of workers stationed there that day."""
    _SERVICE_WORKERS[:] = [allowed]


def service_workers_allowed(*, station_id: int | None, on: datetime.date):
    """SRV-3/PRC-2: the workers who may be named on a service record of the station on the day (a queryset; no
    station: those stationed at any station that day), or None when no app keeps stationings."""
    return _SERVICE_WORKERS[0](station_id=station_id, on=on) if _SERVICE_WORKERS else None


def service_workers_problem(*, station: Station, on: datetime.date, workers) -> str | None:
    """SRV-3/PRC-2: the message refusing workers who were not stationed at the station on the day, or None."""
    allowed = service_workers_allowed(station_id=station.pk, on=on)
    if allowed is None or not workers:
        return None
    ok = set(allowed.filter(pk__in=[w.pk for w in workers]).values_list("pk", flat=True))
    wrong = [w.name for w in workers if w.pk not in ok]
    if not wrong:
        return None
    return _(
        "SRV-3/PRC-2: a service record names only the workers stationed at the station on the day of the service. "
        "Not stationed at %(station)s on %(date)s: %(names)s."
    ) % {"names": "、".join(wrong), "station": station.sign_text or station.place.name, "date": on.isoformat()}

"""The records behind a stored value, limited to what the user may see (explanation pages).

Each function takes the user, the place and the value's date and returns (headers, rows); every
query goes through ``restrict`` (CONVENTIONS 3), so a list never shows records outside the scope.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from network.models import Place
from network.rule_settings import rule_int
from stations.choices import COUNTED_STATUSES, ServiceKind, StationStatus, TargetGroup
from stations.models import CatalogueItem, ServiceRecord, Station, StationStatusChange
from workforce.choices import Grade
from workforce.models import Assignment, Organisation, Worker

LIMIT = 500


def _status_on(on: datetime.date, station_ref: str):
    return Subquery(StationStatusChange.objects.filter(station=OuterRef(station_ref), effective_on__lte=on)
                    .order_by("-effective_on", "-id").values("status")[:1])


def _status_label(value) -> str:
    return str(StationStatus(value).label) if value in StationStatus.values else _("No station")


def coverage(user, place: Place, on: datetime.date):
    qs = (Place.objects.restrict(user).filter(level="township", code__startswith=place.prefix)
          .annotate(status_on=_status_on(on, "station"), parent_name=Subquery(
              Place.objects.filter(code=OuterRef("parent_id")).values("name")[:1])).order_by("code")[:LIMIT])
    rows = [[p.code, p.parent_name, p.name, _status_label(p.status_on),
             _("Yes") if p.status_on in COUNTED_STATUSES else _("No")] for p in qs]
    return [_("Code"), _("County-level unit"), _("Township / street"), _("Station status on the date"),
            _("Counted")], rows


def _stationed_on(on):
    return Count("assignments", filter=Q(assignments__role="stationed", assignments__start_on__lte=on) & (
        Q(assignments__end_on__isnull=True) | Q(assignments__end_on__gte=on)), distinct=True)


def stations(user, place: Place, on: datetime.date):
    qs = (Station.objects.restrict(user).filter(place__code__startswith=place.prefix).select_related("place")
          .annotate(status_on=_status_on(on, "pk"), stationed=_stationed_on(on),
                    has_catalogue=Exists(CatalogueItem.objects.filter(station=OuterRef("pk"), published=True)))
          .order_by("place_id")[:LIMIT])
    need = rule_int("PRC-2.workers_per_station")
    rows = []
    for s in qs:
        six = all([s.has_venue, s.has_equipment, s.has_personnel, s.has_service_functions, s.has_workflow,
                   s.has_rules])
        rows.append([s.place_id, s.place.name, _status_label(s.status_on), _("Yes") if six else _("No"),
                     _("Yes") if s.has_catalogue else _("No"), s.stationed,
                     _("Yes") if s.stationed >= need else _("No")])
    return [_("Code"), _("Township / street"), _("Station status on the date"), _("Six haves"),
            _("Service catalogue"), _("Stationed workers"), _("Enough stationed workers")], rows


def certified(user, place: Place, on: datetime.date):
    valid = Q(qualifications__obtained_on__lte=on) & (Q(qualifications__revoked_on__isnull=True)
                                                      | Q(qualifications__revoked_on__gt=on))
    qs = (Worker.objects.restrict(user).filter(place__code__startswith=place.prefix)
          .annotate(top=Max("qualifications__grade", filter=valid)).filter(top__isnull=False)
          .select_related("place").order_by("place_id", "name")[:LIMIT])
    rows = [[w.name, w.place.name, str(Grade(w.top).label)] for w in qs]
    return [pgettext("person", "Name"), _("Registered at"), _("Highest grade held on the date")], rows


def organisations(user, place: Place, on: datetime.date):
    qs = (Organisation.objects.restrict(user).filter(county__code__startswith=place.prefix,
                                                    incubated_year__gte=2021, incubated_year__lte=on.year)
          .select_related("county").order_by("county_id", "name")[:LIMIT])
    return [_("Name"), _("County-level unit"), _("Year incubated"), _("Incubation base")], [
        [o.name, o.county.name, o.incubated_year, o.incubation_base] for o in qs]


def overdue(user, place: Place, on: datetime.date):
    months = rule_int("PRC-2.qualify_within_months")
    qs = (Assignment.objects.restrict(user).filter(station__place__code__startswith=place.prefix, role="stationed",
                                                 start_on__lte=on)
          .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
          .select_related("worker", "station__place").prefetch_related("worker__qualifications")
          .order_by("station_id", "start_on")[:LIMIT])
    rows = []
    for a in qs:
        deadline = a.start_on + relativedelta(months=months)
        qualified = any(q.obtained_on <= deadline for q in a.worker.qualifications.all())
        if deadline < on and not qualified:
            rows.append([a.worker.name, a.station.place.name, a.start_on, deadline])
    return [pgettext("person", "Name"), _("Station"), _("Started"), _("Qualification deadline")], rows


def _services(kind: str | None = None, group: str | None = None):
    """SRV: the service records of the year up to the date at the place's stations (of the method, or
    serving a recipient of the target group)."""

    def records(user, place: Place, on: datetime.date):
        qs = ServiceRecord.objects.restrict(user).filter(station__place__code__startswith=place.prefix,
                                                         served_on__gte=datetime.date(on.year, 1, 1),
                                                         served_on__lte=on)
        if kind:
            qs = qs.filter(kind=kind)
        if group:
            qs = (qs.filter(target_groups__contains=[group]) if _json_contains()
                  else qs.filter(target_groups__icontains=f'"{group}"'))
        qs = (qs.select_related("station__place").annotate(served=Count("recipients", distinct=True))
              .order_by("-served_on", "-id")[:LIMIT])
        return [_("Date"), _("Station"), _("Kind of service"), _("Number of recipients served"), _("Participants")], [
            [r.served_on, r.station.place.name, r.get_kind_display(), r.served, r.participant_count] for r in qs]

    return records


def _json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


RECORDS = {"coverage": coverage, "stations": stations, "certified": certified, "organisations": organisations,
           "overdue": overdue, "townships_certified": certified, "services": _services(),
           **{f"services_kind_{k}": _services(kind=k) for k in ServiceKind.values},
           **{f"services_group_{g}": _services(group=g) for g in TargetGroup.values}}


def records_for(indicator, user, place: Place, on: datetime.date):
    fn = RECORDS.get(indicator.records)
    return fn(user, place, on) if fn else ([], [])

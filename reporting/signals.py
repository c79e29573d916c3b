"""Every write to an indicator's input leaves a pending change, so every figure follows every edit.

The reporting app is the top layer: it listens, the apps below never import it. Single saves and
deletes (pages, API, admin, services) are seen through the input models' signals; bulk writes
(imports, ``bulk_create``, ``QuerySet.update``) send ``network.changes.indicator_inputs_changed``.
Each receiver names the places the record lies in — before and after the write, so a record moved
from one place to another marks both — and the first date the write can change a figure there, then
``services.pending_changes_record`` stores the marks in the writing transaction and queues their
recompute on commit. Connected in ``ReportingConfig.ready``.

What reaches which indicators (``reporting.queries``):

- a station (six haves, catalogue, standard check, status history): its township — coverage,
  standardisation, staffing; a status entry from its effective date, the rest for every period;
- a worker (place of registration) and its qualifications and specialisations: the worker's place
  — certified counts, specialisation shares, townships with a certified worker — and, for
  qualifications, the townships of the stations the worker is stationed at (stationed certified
  workers, qualification deadlines); a certificate from the date obtained, a specialisation from its
  start;
- an assignment: its station's township, from its start;
- an organisation: its county-level unit, from 1 January of the year incubated;
- a service record (and the recipients linked to it): its station's township, from the day served;
- a room: its village (hence its township);
- a place of the division tree: that place; a rule setting: every place and period;
- a county plan and its versions (PLAN-1): the plan's county-level unit, for every period.
"""

from __future__ import annotations

import datetime

from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from network.changes import indicator_inputs_changed

Mark = tuple[str, datetime.date | None]
EVERYWHERE: list[Mark] = [("", None)]


def _earliest(*dates) -> datetime.date | None:
    """The earliest of the dates; None (every period) when one of them is missing."""
    return None if any(d is None for d in dates) else min(dates)


def _station_place(station_id) -> str | None:
    from stations.models import Station

    return Station.objects.filter(pk=station_id).values_list("place_id", flat=True).first()


def _worker_place(worker_id) -> str | None:
    from workforce.models import Worker

    return Worker.objects.filter(pk=worker_id).values_list("place_id", flat=True).first()


def _stationed_places(worker_id) -> list[str]:
    """The townships of the stations the worker has been stationed at (any time)."""
    from workforce.choices import AssignmentRole
    from workforce.models import Assignment

    return list(
        Assignment.objects.filter(worker_id=worker_id, role=AssignmentRole.STATIONED)
        .values_list("station__place_id", flat=True)
        .distinct()
    )


def _year_start(year) -> datetime.date | None:
    return datetime.date(year, 1, 1) if year else None


# model label -> the marks of one instance (its places and the first date it affects)
def _station(s) -> list[Mark]:
    return [(s.place_id, None)]


def _status_change(c) -> list[Mark]:
    return [(_station_place(c.station_id), c.effective_on)]


def _of_station(obj) -> list[Mark]:
    return [(_station_place(obj.station_id), None)]


def _room(r) -> list[Mark]:
    return [(r.place_id, None)]


def _worker(w) -> list[Mark]:
    return [(w.place_id, None)]


def _qualification(q) -> list[Mark]:
    since = q.obtained_on
    return [(p, since) for p in [_worker_place(q.worker_id), *_stationed_places(q.worker_id)]]


def _specialisation(sp) -> list[Mark]:
    return [(_worker_place(sp.worker_id), sp.since)]


def _assignment(a) -> list[Mark]:
    return [(_station_place(a.station_id), a.start_on)]


def _organisation(o) -> list[Mark]:
    return [(o.county_id, _year_start(o.incubated_year))]


def _service_record(r) -> list[Mark]:
    return [(_station_place(r.station_id), r.served_on)]


def _place(p) -> list[Mark]:
    return [(p.code, None)]


def _everywhere(_obj) -> list[Mark]:
    return EVERYWHERE


# Procurement: contracts count in their project's county, stations and pay lines where the station is.
def _contract(c) -> list[Mark]:
    county = _project_county(c.project_id)
    places = list(c.stations.values_list("place_id", flat=True)) if c.pk else []
    return [(code, None) for code in [county, *places]]


def _project_county(project_id) -> str | None:
    from procurement.models import Project

    return Project.objects.filter(pk=project_id).values_list("county_id", flat=True).first()


def _project(p) -> list[Mark]:
    return [(p.county_id, None)]


def _county_fund(f) -> list[Mark]:
    return [(f.county_id, _year_start(f.year))]


def _pay_line(p) -> list[Mark]:
    return [(_station_place(p.station_id), p.month)]


def _contract_assignment(ca) -> list[Mark]:
    from workforce.models import Assignment

    a = Assignment.objects.filter(pk=ca.assignment_id).values_list("station__place_id", "start_on").first()
    return [a] if a else []


def _evaluation(e) -> list[Mark]:
    from procurement.models import Contract

    return [(Contract.objects.filter(pk=e.contract_id).values_list("project__county_id", flat=True).first(), None)]


def _contract_station(link) -> list[Mark]:
    return [(_station_place(link.station_id), None)]


def _supervision_log(log) -> list[Mark]:
    return [(_station_place(log.station_id), log.held_on)]


# PLAN-1: a county plan and its versions count at the plan's county-level unit.
def _county_plan(p) -> list[Mark]:
    return [(p.county_id, None)]


def _plan_version(v) -> list[Mark]:
    from supervision.models import CountyPlan

    return [(CountyPlan.objects.filter(pk=v.plan_id).values_list("county_id", flat=True).first(), None)]


INPUTS = {
    "stations.Station": _station,
    "stations.StationStatusChange": _status_change,
    "stations.CatalogueItem": _of_station,
    "stations.StandardCheck": _of_station,
    "stations.SixHavesChange": _of_station,
    "stations.Room": _room,
    "stations.ServiceRecord": _service_record,
    "workforce.Worker": _worker,
    "workforce.Qualification": _qualification,
    "workforce.Specialisation": _specialisation,
    "workforce.Assignment": _assignment,
    "workforce.Organisation": _organisation,
    "network.Place": _place,
    "network.RuleSetting": _everywhere,
    "procurement.Project": _project,
    "procurement.Contract": _contract,
    "procurement.Contract_stations": _contract_station,
    "procurement.ContractAssignment": _contract_assignment,
    "procurement.PayLine": _pay_line,
    "procurement.CountyFund": _county_fund,
    "procurement.Evaluation": _evaluation,
    "procurement.MinimumWage": _everywhere,
    "supervision.SupervisionLog": _supervision_log,
    "supervision.CountyPlan": _county_plan,
    "supervision.PlanVersion": _plan_version,
}


# Training (SUP-2): attendance counts at the townships of the stations its worker is stationed at.
def _attendance(a) -> list[Mark]:
    return [(p, a.attended_on) for p in [_worker_place(a.worker_id), *_stationed_places(a.worker_id)]]


INPUTS["supervision.Attendance"] = _attendance
_assignment_marks = INPUTS["workforce.Assignment"]


def _assignment_with_training(a) -> list[Mark]:
    """SUP-2 counts a worker at the station of their last assignment in the year: an assignment moves the worker's
    count away from the townships of their other stations too."""
    return _assignment_marks(a) + [(p, a.start_on) for p in _stationed_places(a.worker_id)]


INPUTS["workforce.Assignment"] = _assignment_with_training


def _marks_of(instance) -> list[Mark]:
    return [(code, since) for code, since in INPUTS[instance._meta.label](instance) if code is not None]


def _merge_dates(marks: list[Mark]) -> list[Mark]:
    """Within one write, a place keeps the earliest date of its marks (None wins)."""
    merged: dict[str, datetime.date | None] = {}
    for code, since in marks:
        merged[code] = _earliest(merged[code], since) if code in merged else since
    return list(merged.items())


def _record(marks: list[Mark]) -> None:
    from .services import pending_changes_record

    pending_changes_record(_merge_dates(marks))


def _status_only(sender, update_fields) -> bool:
    """A station's current status saved alone mirrors the history entry saved with it, which is marked
    with its own date."""
    return sender._meta.label == "stations.Station" and update_fields is not None and set(update_fields) == {"status"}


def input_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember the marks of the stored version (a moved record changes its old place too)."""
    instance._reporting_marks_before = []
    if raw or instance.pk is None or instance._state.adding or _status_only(sender, update_fields):
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    if old is not None:
        instance._reporting_marks_before = _marks_of(old)


def input_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:  # fixtures: the related rows may not be there yet
        _record(EVERYWHERE)
        return
    if _status_only(sender, update_fields):
        return
    before = getattr(instance, "_reporting_marks_before", [])
    # The stored version's marks keep their dates, the new version's its own: together the earliest.
    _record(before + _marks_of(instance))


def input_before_delete(sender, instance, **kwargs):
    """Marked before the row goes, while the rows it points to can still be read (cascades)."""
    _record(_marks_of(instance))


def _record_recipients_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """SRV-1: a record's target groups follow its recipients, so a change of the recipients served
    changes the record's counts by group."""
    from stations.models import ServiceRecord

    if action == "pre_clear" and reverse:
        instance._reporting_cleared_records = list(instance.service_records.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _record(_service_record(instance))
        return
    ids = getattr(instance, "_reporting_cleared_records", []) if action == "post_clear" else list(pk_set or [])
    _record(list(ServiceRecord.objects.filter(pk__in=ids).values_list("station__place_id", "served_on")))


def _bulk_changed(sender, place_codes, since=None, **kwargs):
    """A bulk write (an import, ``bulk_create``, ``QuerySet.update``) under these places from ``since``."""
    _record([(code, since) for code in place_codes])


def connect() -> None:
    from django.apps import apps

    for label in INPUTS:
        model = apps.get_model(label)
        uid = f"reporting-inputs-{label}"
        pre_save.connect(input_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(input_saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(input_before_delete, sender=model, dispatch_uid=uid)
    through = apps.get_model("stations.ServiceRecord").recipients.through
    m2m_changed.connect(_record_recipients_changed, sender=through, dispatch_uid="reporting-record-recipients")
    indicator_inputs_changed.connect(_bulk_changed, dispatch_uid="reporting-bulk-inputs")
    m2m_changed.connect(
        _contract_stations_changed,
        sender=apps.get_model("procurement.Contract").stations.through,
        dispatch_uid="reporting-contract-stations",
    )


def _contract_stations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A contract's stations decide which stations it covers and staffs."""
    from stations.models import Station

    if action == "pre_clear" and not reverse:
        instance._reporting_cleared_stations = list(instance.stations.values_list("place_id", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        _record([(instance.place_id, None)])
        return
    places = (
        getattr(instance, "_reporting_cleared_stations", [])
        if action == "post_clear"
        else list(Station.objects.filter(pk__in=pk_set or []).values_list("place_id", flat=True))
    )
    _record([(code, None) for code in places])

"""Writes of supervision (SUP-1): plans, a station added to a supervisor, logs and their confirmation.

Every check is a rule of ``rules_supervision`` (or ``workforce.rules`` for the load), named in its message; a
refused write raises ``ValidationError`` with the field and nothing is saved (each service runs in one
transaction).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from network.roles import may_confirm_supervision, may_keep_supervision_plans, may_record_supervision
from network.rule_settings import rule_int
from network.scope import CHANGE, can
from workforce.choices import AssignmentRole
from workforce.models import Assignment
from workforce.selectors import active_on_q
from workforce.services import assignment_save

from . import rules_supervision as rules
from . import selectors_supervision as selectors
from .choices_supervision import LogStatus
from .models import SupervisionLog, SupervisionPlan

LOG_FIELDS = ("station", "supervisor", "held_on", "days", "start_time", "end_time", "method", "content", "follow_up")


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# --- plans ------------------------------------------------------------------------------------------------------


def supervision_plan_save(*, user, data: dict, plan: SupervisionPlan | None = None) -> SupervisionPlan:
    """SUP-1: create or change a provider's supervision plan. With a contract, the provider is the contract's and
    the county its project's; without one, the county is the provider's."""
    if not may_keep_supervision_plans(user):
        raise PermissionDenied(_("Supervision plans are kept by the county and the city."))
    plan = plan or SupervisionPlan()
    for name in ("organisation", "contract", "start_on", "end_on", "sessions_per_month", "note"):
        if name in data:
            setattr(plan, name, data[name])
    errors: dict[str, list[str]] = {}
    contract = plan.contract if plan.contract_id else None
    if contract is not None:
        if plan.organisation_id and plan.organisation_id != contract.provider_id:
            _add(
                errors,
                "contract",
                _("Service contract: the contract %(c)s is held by %(p)s, not by the plan's provider (SUP-1).")
                % {"c": contract.number, "p": contract.provider},
            )
        plan.organisation_id = contract.provider_id
        plan.county_id = contract.project.county_id
    elif plan.organisation_id:
        plan.county_id = plan.organisation.county_id
    if plan.start_on and plan.end_on and plan.end_on < plan.start_on:
        _add(errors, "end_on", _("Plan until: the end is before the start."))
    minimum = rule_int("SUP-1.visits_per_month")
    if plan.sessions_per_month is not None and plan.sessions_per_month < minimum:
        _add(
            errors,
            "sessions_per_month",
            _("Planned sessions per month: at least %(n)s per station (SUP-1).") % {"n": minimum},
        )
    if errors:
        raise ValidationError(errors)
    plan.full_clean(validate_constraints=False)
    with transaction.atomic():
        plan.save()
        if not can(user, CHANGE, plan):
            raise PermissionDenied
    return plan


def plan_station_add(
    *, user, plan: SupervisionPlan, worker, station, start_on: datetime.date, end_on: datetime.date | None = None
) -> Assignment:
    """SUP-1: a station added to one of the plan's supervisors (a supervisor assignment for the plan's provider).
    The supervisor is a senior worker of the provider; the station is one the plan covers; a station beyond
    ``SUP-1.stations_per_supervisor_max`` is refused (``workforce.rules.sup1_overload_problem``)."""
    if not may_keep_supervision_plans(user):
        raise PermissionDenied(_("Supervision plans are kept by the county and the city."))
    errors: dict[str, list[str]] = {}
    if worker.organisation_id != plan.organisation_id:
        _add(
            errors,
            "worker",
            _(
                "Supervisor: %(w)s is not employed by the provider %(o)s (SUP-1: supervisors are the provider's own "
                "senior workers)."
            )
            % {"w": worker.name, "o": plan.organisation},
        )
    elif start_on and not selectors.supervisor_is_senior(worker, start_on):
        _add(
            errors,
            "worker",
            _("Supervisor: %(w)s is not senior on %(d)s (SUP-1: %(rule)s).")
            % {"w": worker.name, "d": start_on, "rule": rules.sup1_senior_text()},
        )
    if plan.contract_id:
        if not plan.contract.stations.filter(pk=station.pk).exists():
            _add(errors, "station", _("Station: %(s)s is not a station of the plan's contract.") % {"s": station})
    elif station.place.parent_id != plan.county_id:
        _add(errors, "station", _("Station: %(s)s is not in the plan's county.") % {"s": station})
    if start_on and (start_on > plan.end_on or (end_on or plan.end_on) < plan.start_on):
        _add(errors, "start_on", _("Start: the assignment must fall within the plan's period."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        a = assignment_save(
            user=user,
            data={
                "worker": worker,
                "station": station,
                "role": AssignmentRole.SUPERVISOR,
                "organisation": plan.organisation,
                "start_on": start_on,
                "end_on": end_on,
            },
        )
        if not can(user, CHANGE, a):
            raise PermissionDenied
    return a


# --- logs -------------------------------------------------------------------------------------------------------


def supervision_log_problems(
    *, station, supervisor, held_on, days, start_time, end_time, workers_present=(), exclude_pk=None
) -> tuple[dict[str, list[str]], Assignment | None]:
    """Every SUP-1 check of a log, with the field each concerns: times in order, not in the future, the station
    covered by the supervisor on the date, the supervisor the provider's and senior, within the load, at most
    24 hours a day for the supervisor, the workers present stationed there. Returns (errors, the supervisor's
    assignment at the station). The form, the API and the import call it."""
    errors: dict[str, list[str]] = {}
    if days is None or not 1 <= days <= 7:
        _add(errors, "days", _("Consecutive days: between 1 and 7 (a session over several days is one log)."))
        days = 1
    if start_time and end_time and end_time <= start_time:
        _add(
            errors,
            "end_time",
            _(
                "End time: %(e)s is not after the start time %(s)s; the session's hours would be zero or negative "
                "(SUP-1: hours = days × (end − start))."
            )
            % {"e": end_time.strftime("%H:%M"), "s": start_time.strftime("%H:%M")},
        )
    assignment = None
    if held_on and end_time and not errors.get("end_time"):
        last = held_on + datetime.timedelta(days=days - 1)
        ends = timezone.make_aware(datetime.datetime.combine(last, end_time))
        if ends > timezone.now():
            _add(
                errors,
                "held_on",
                _(
                    "Date: the session would end on %(d)s at %(t)s, in the future; record a supervision once it has "
                    "taken place (SUP-1)."
                )
                % {"d": last, "t": end_time.strftime("%H:%M")},
            )
    if held_on and station is not None and supervisor is not None and not errors.get("held_on"):
        assignment = selectors.supervisor_assignment(worker_id=supervisor.pk, station_id=station.pk, on=held_on)
        if assignment is None:
            _add(
                errors,
                "station",
                _(
                    "Station: %(w)s does not supervise %(s)s on %(d)s (SUP-1: a log is for a station its supervisor "
                    "covers; add the station to the supervisor in the supervision plan first)."
                )
                % {"w": supervisor.name, "s": station, "d": held_on},
            )
        else:
            if assignment.organisation_id and supervisor.organisation_id != assignment.organisation_id:
                _add(
                    errors,
                    "supervisor",
                    _(
                        "Supervisor: %(w)s is not employed by the provider %(o)s that supervises this station (SUP-1: "
                        "supervisors are the provider's own senior workers)."
                    )
                    % {"w": supervisor.name, "o": assignment.organisation},
                )
            if not selectors.supervisor_is_senior(supervisor, held_on):
                _add(
                    errors,
                    "supervisor",
                    _("Supervisor: %(w)s is not senior on %(d)s (SUP-1: %(rule)s).")
                    % {"w": supervisor.name, "d": held_on, "rule": rules.sup1_senior_text()},
                )
            load, maximum = (
                selectors.supervisor_load(supervisor.pk, held_on),
                rule_int("SUP-1.stations_per_supervisor_max"),
            )
            if load > maximum:
                _add(
                    errors,
                    "supervisor",
                    _("Supervisor: %(w)s covers %(n)s stations on %(d)s; one supervisor covers at most %(m)s (SUP-1).")
                    % {"w": supervisor.name, "n": load, "d": held_on, "m": maximum},
                )
    if held_on and supervisor is not None and start_time and end_time and not errors.get("end_time"):
        daily = rules.sup1_session_hours(start_time=start_time, end_time=end_time, days=1)
        for i in range(days):
            day = held_on + datetime.timedelta(days=i)
            other = _supervisor_hours_on(supervisor.pk, day, exclude_pk)
            if other + daily > rules.MAX_HOURS_PER_DAY:
                _add(
                    errors,
                    "end_time",
                    _(
                        "Hours: %(w)s would have %(h)s hours of supervision recorded on %(d)s, more than 24 hours in "
                        "one day."
                    )
                    % {"w": supervisor.name, "h": other + daily, "d": day},
                )
                break
    if held_on and station is not None:
        stationed = set(
            Assignment.objects.filter(
                active_on_q(held_on), station_id=station.pk, role=AssignmentRole.STATIONED
            ).values_list("worker_id", flat=True)
        )
        strangers = [w.name for w in workers_present if w.pk not in stationed]
        if strangers:
            _add(
                errors,
                "workers_present",
                _("Stationed workers present: %(w)s not stationed at this station on %(d)s.")
                % {"w": "、".join(strangers), "d": held_on},
            )
    return errors, assignment


def _supervisor_hours_on(worker_id: int, day: datetime.date, exclude_pk) -> Decimal:
    """The daily hours of the supervisor's other sessions running on the day (a session's hours ÷ its days)."""
    total = Decimal(0)
    qs = (
        SupervisionLog.objects.filter(
            supervisor_id=worker_id, held_on__lte=day, held_on__gte=day - datetime.timedelta(6)
        )
        .exclude(pk=exclude_pk)
        .values_list("held_on", "days", "hours")
    )
    for first, days, hours in qs:
        if first + datetime.timedelta(days=days - 1) >= day:
            total += Decimal(hours) / days
    return total.quantize(Decimal("0.01"))


def supervision_log_save(*, user, data: dict, log: SupervisionLog | None = None) -> SupervisionLog:
    """SUP-1: record (or correct, until the station confirms it) a supervision session."""
    if not may_record_supervision(user):
        raise PermissionDenied(_("Supervision logs are recorded by the supervisor's provider or the county."))
    log = log or SupervisionLog()
    if log.pk and log.status == LogStatus.CONFIRMED:
        raise ValidationError(
            {"status": [_("Status: the station has confirmed this log; a confirmed log is no longer changed.")]}
        )
    for name in LOG_FIELDS:
        if name in data:
            setattr(log, name, data[name])
    present = list(data.get("workers_present", log.workers_present.all() if log.pk else []))
    errors, assignment = supervision_log_problems(
        station=log.station if log.station_id else None,
        supervisor=log.supervisor if log.supervisor_id else None,
        held_on=log.held_on,
        days=log.days,
        start_time=log.start_time,
        end_time=log.end_time,
        workers_present=present,
        exclude_pk=log.pk,
    )
    if errors:
        raise ValidationError(errors)
    log.hours = rules.sup1_session_hours(start_time=log.start_time, end_time=log.end_time, days=log.days)
    log.organisation_id = assignment.organisation_id if assignment else None
    if not log.pk:
        log.recorded_by = user if getattr(user, "pk", None) else None
        log.status = LogStatus.RECORDED
    log.full_clean(exclude=["workers_present"], validate_constraints=False)
    with transaction.atomic():
        log.save()
        log.workers_present.set(present)
        if not can(user, CHANGE, log):
            raise PermissionDenied(_("The result would lie outside the places you may change; nothing was saved."))
    return log


def supervision_log_confirm(*, user, log: SupervisionLog) -> SupervisionLog:
    """SUP-1: the station confirms that the recorded supervision took place; from then on it counts."""
    if not may_confirm_supervision(user) or not can(user, CHANGE, log):
        raise PermissionDenied(_("A supervision log is confirmed by the worker stationed at its station."))
    if log.status == LogStatus.CONFIRMED:
        raise ValidationError({"status": [_("Status: this log was already confirmed.")]})
    with transaction.atomic():
        log.status = LogStatus.CONFIRMED
        log.confirmed_by = user
        log.confirmed_at = timezone.now()
        log.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return log


__all__ = ["Q", "Sum"]

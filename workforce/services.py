"""Writes on the workforce: workers (one person, one record), qualifications (TGT-CERT), specialisations
(TGT-SPEC), service organisations (TGT-ORG, PRC-2) and station assignments (PRC-2).

Every rule is checked here and only here; forms, the API and the roster import call these functions.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liuzhou_social.validators import (
    id_number_birth_date,
    normalise_id_number,
    validate_credit_code,
    validate_id_number,
)
from network.choices import PlaceLevel
from network.personal_data import id_number_taken_error
from network.scope import CHANGE, VIEW, can

from .choices import PLAN_SPECIALISATIONS, AssignmentRole, Gender
from .models import Assignment, Organisation, Qualification, Specialisation, SpecialisationCategory, Worker

ADULT_YEARS = 18

WORKER_FIELDS = ["name", "gender", "birth_date", "id_number", "phone", "education", "organisation", "place"]


def gender_from_id_number(id_number: str) -> str:
    """GB 11643: the 17th character is odd for men, even for women."""
    return Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE


# --- Workers -------------------------------------------------------------------------------------------------


def worker_check(*, data: dict) -> dict[str, list[str]]:
    """Field errors of a worker's data (GB 11643 ID number, birth date and gender agree with it)."""
    errors: dict[str, list[str]] = {}
    id_number = normalise_id_number(data.get("id_number", ""))
    try:
        validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
        return errors
    birth = id_number_birth_date(id_number)
    if data.get("birth_date") and data["birth_date"] != birth:
        errors["birth_date"] = [_("The birth date differs from the one inside the ID number (%(d)s).") % {"d": birth}]
    if data.get("gender") and data["gender"] != gender_from_id_number(id_number):
        errors["gender"] = [_("The gender differs from the one the ID number encodes (GB 11643).")]
    return errors


def organisation_reachable_check(*, user, organisation, visible: bool | None = None) -> None:
    """An employer or provider must be an organisation the user may see (their own county's); ``visible``:
    whether it is, when the caller already knows (the roster import looks all of them up at once)."""
    if organisation is None or user is None:
        return
    if visible is None:
        visible = can(user, VIEW, organisation)
    if not visible:
        raise ValidationError(
            {
                "organisation": [
                    _("This organisation is registered outside your county; choose one of your county's organisations.")
                ]
            }
        )


def worker_save(*, user, data: dict, worker: Worker | None = None) -> tuple[Worker, bool]:
    """Create or update a worker; one person, one record.

    Creating with an ID number already registered updates that record when the user may change it, and is
    refused otherwise (the person belongs to another place), so the registry never holds a person twice.
    Returns (worker, created).
    """
    data = dict(data)
    if worker is not None:  # a partial update keeps the fields it does not name
        data = {name: getattr(worker, name) for name in WORKER_FIELDS} | data
    data["id_number"] = normalise_id_number(data.get("id_number", ""))
    errors = worker_check(data=data)
    if errors:
        raise ValidationError(errors)
    data["birth_date"] = id_number_birth_date(data["id_number"])
    data["gender"] = data.get("gender") or gender_from_id_number(data["id_number"])
    if data.get("organisation") is not None and (worker is None or data["organisation"].pk != worker.organisation_id):
        organisation_reachable_check(user=user, organisation=data.get("organisation"))
    existing = Worker.objects.filter(id_number=data["id_number"]).exclude(pk=getattr(worker, "pk", None)).first()
    if existing is not None:
        if worker is not None:
            raise ValidationError({"id_number": [_("A worker with this ID number is already registered.")]})
        if user is not None and not can(user, CHANGE, existing):
            raise id_number_taken_error(user=user, existing=existing)
        worker = existing
    created = worker is None
    worker = worker or Worker()
    for name in WORKER_FIELDS:
        if name in data:
            setattr(worker, name, data[name] if data[name] is not None or name in ("organisation",) else "")
    worker.full_clean(validate_unique=False)
    worker.save()
    return worker, created


# --- Qualifications (TGT-CERT) ---------------------------------------------------------------------------------


def qualification_check(
    *,
    worker_birth: datetime.date | None,
    obtained_on,
    registered_on=None,
    revoked_on=None,
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """TGT-CERT date rules: obtained at 18 or later and not in the future; registration and revocation
    not before obtaining and not in the future."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if obtained_on:
        if obtained_on > today:
            errors["obtained_on"] = [_("The date obtained lies in the future.")]
        elif worker_birth and obtained_on < worker_birth + relativedelta(years=ADULT_YEARS):
            errors["obtained_on"] = [
                _("The date obtained is before the worker turned 18 (%(d)s).")
                % {"d": worker_birth + relativedelta(years=ADULT_YEARS)}
            ]
    for field, value in (("registered_on", registered_on), ("revoked_on", revoked_on)):
        if value and value > today:
            errors[field] = [_("The date lies in the future.")]
        elif value and obtained_on and value < obtained_on:
            errors[field] = [_("The date is before the certificate was obtained.")]
    return errors


def qualification_save(
    *, user, worker: Worker, data: dict, qualification: Qualification | None = None, today: datetime.date | None = None
) -> Qualification:
    """Record or correct a certificate (TGT-CERT). Certificate numbers are unique across the city."""
    data = dict(data)
    data["certificate_no"] = (data.get("certificate_no") or "").strip().upper()
    errors = qualification_check(
        worker_birth=worker.birth_date,
        obtained_on=data.get("obtained_on"),
        registered_on=data.get("registered_on"),
        revoked_on=data.get("revoked_on"),
        today=today,
    )
    duplicate = Qualification.objects.filter(certificate_no=data["certificate_no"]).exclude(
        pk=getattr(qualification, "pk", None)
    )
    if data["certificate_no"] and duplicate.exists():
        errors.setdefault("certificate_no", []).append(_("This certificate number is already recorded."))
    if errors:
        raise ValidationError(errors)
    q = qualification or Qualification(worker=worker)
    q.worker = worker
    for name in (
        "grade",
        "certificate_no",
        "obtained_on",
        "registered_on",
        "revoked_on",
        "revocation_reason",
        "evidence",
    ):
        if name in data and not (name == "evidence" and not data[name]):
            setattr(q, name, data[name] if data[name] is not None or name in ("registered_on", "revoked_on") else "")
    q.full_clean(validate_unique=False)
    q.save()
    return q


def qualification_revoke(
    *, qualification: Qualification, revoked_on: datetime.date, reason: str = "", today: datetime.date | None = None
) -> Qualification:
    """TGT-CERT: a revoked certificate stops counting from the revocation date; earlier counts stay exact."""
    errors = qualification_check(
        worker_birth=None, obtained_on=qualification.obtained_on, revoked_on=revoked_on, today=today
    )
    if errors:
        raise ValidationError(errors)
    qualification.revoked_on = revoked_on
    qualification.revocation_reason = reason
    qualification.save(update_fields=["revoked_on", "revocation_reason"])
    return qualification


# --- Specialisations (TGT-SPEC) --------------------------------------------------------------------------------


def specialisation_categories_ensure() -> None:
    """TGT-SPEC: the plan's four categories exist (also seeded by migration 0003). Idempotent."""
    for code, name in PLAN_SPECIALISATIONS.items():
        SpecialisationCategory.objects.get_or_create(code=code, defaults={"name": name, "in_plan": True})


def specialisation_save(
    *,
    worker: Worker,
    category: SpecialisationCategory,
    since: datetime.date,
    until: datetime.date | None = None,
    specialisation: Specialisation | None = None,
):
    """TGT-SPEC: a dated specialisation; the same category may not overlap itself for one worker."""
    if until and until < since:
        raise ValidationError({"until": [_("The end date is before the start date.")]})
    if since > timezone.localdate():
        raise ValidationError({"since": [_("The date lies in the future.")]})
    overlap = (
        Specialisation.objects.filter(worker=worker, category=category)
        .exclude(pk=getattr(specialisation, "pk", None))
        .filter(Q(until__isnull=True) | Q(until__gte=since))
    )
    if until:
        overlap = overlap.filter(since__lte=until)
    if overlap.exists():
        raise ValidationError({"category": [_("The worker already holds this specialisation in that period.")]})
    s = specialisation or Specialisation(worker=worker)
    s.category, s.since, s.until = category, since, until
    s.save()
    return s


# --- Organisations (TGT-ORG, PRC-2) ----------------------------------------------------------------------------


def organisation_save(*, user, data: dict, organisation: Organisation | None = None) -> Organisation:
    """A service organisation: GB 32100 credit code, unique; its county a county-level unit."""
    data = dict(data)
    data["credit_code"] = (data.get("credit_code") or "").strip().upper()
    errors: dict[str, list[str]] = {}
    try:
        validate_credit_code(data["credit_code"])
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    else:
        if (
            Organisation.objects.filter(credit_code=data["credit_code"])
            .exclude(pk=getattr(organisation, "pk", None))
            .exists()
        ):
            errors["credit_code"] = [_("An organisation with this credit code exists.")]
    county = data.get("county")
    if county is not None and county.level != PlaceLevel.COUNTY:
        errors["county"] = [_("Choose a county-level unit.")]
    year = data.get("incubated_year")
    if year and not (2000 <= year <= timezone.localdate().year):
        errors["incubated_year"] = [_("Enter a year between 2000 and this year.")]
    if data.get("registered_on") and data["registered_on"] > timezone.localdate():
        errors["registered_on"] = [_("The date lies in the future.")]
    if errors:
        raise ValidationError(errors)
    org = organisation or Organisation()
    for name, value in data.items():
        setattr(org, name, value)
    org.full_clean(validate_unique=False)
    org.save()
    return org


# --- Assignments (PRC-2) ---------------------------------------------------------------------------------------


def assignment_others(*, worker_id, start_on, end_on, exclude_pk=None):
    """The worker's other assignments overlapping [start_on, end_on], for the PRC-2 and SUP-1 checks."""
    qs = (
        Assignment.objects.filter(worker_id=worker_id)
        .exclude(pk=exclude_pk)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=start_on))
    )
    if end_on:
        qs = qs.filter(start_on__lte=end_on)
    return qs.select_related("station__place")


def assignment_check(
    *,
    user,
    worker: Worker,
    station,
    role,
    organisation,
    start_on,
    end_on,
    exclude_pk=None,
    organisation_changed: bool = True,
) -> dict[str, list[str]]:
    """PRC-2: a stationed worker is stationed at one station at a time; the provider's business scope includes
    social work and it belongs to the user's county; the end is not before the start. SUP-1: a supervisor
    covers at most the set number of stations at a time (``workforce.rules.assignment_rules_problem``, the
    rule the roster import follows too)."""
    from .rules import AssignmentSpan, assignment_rules_problem

    errors: dict[str, list[str]] = {}
    if end_on and start_on and end_on < start_on:
        errors["end_on"] = [_("The end date is before the start date.")]
    if organisation is not None:
        if organisation_changed and user is not None and not can(user, VIEW, organisation):
            errors["organisation"] = [
                _("This organisation is registered outside your county; choose one of your county's organisations.")
            ]
        elif not organisation.scope_includes_social_work:
            errors["organisation"] = [_("PRC-2: the provider's registered business scope must include social work.")]
    if start_on and not errors.get("end_on"):
        others = list(assignment_others(worker_id=worker.pk, start_on=start_on, end_on=end_on, exclude_pk=exclude_pk))
        names = {o.station_id: o.station.place.name for o in others}
        problem = assignment_rules_problem(
            candidate=AssignmentSpan(station.pk, role, start_on, end_on),
            others=[AssignmentSpan.of(o) for o in others],
            station_name=names.get,
        )
        if problem:
            errors.setdefault("start_on", []).append(problem)
    return errors


def assignment_save(*, user, data: dict, assignment: Assignment | None = None) -> Assignment:
    """Station a worker (or record a supervisor) at a township station for a provider (PRC-2); history kept."""
    a = assignment or Assignment()
    previous_organisation = a.organisation_id if a.pk else object()
    for name in ("worker", "station", "role", "organisation", "start_on", "end_on"):
        if name in data:
            setattr(a, name, data[name])
    a.role = a.role or AssignmentRole.STATIONED
    errors = assignment_check(
        user=user,
        worker=a.worker,
        station=a.station,
        role=a.role,
        organisation=a.organisation,
        start_on=a.start_on,
        end_on=a.end_on,
        exclude_pk=a.pk,
        organisation_changed=a.organisation_id != previous_organisation,
    )
    if errors:
        raise ValidationError(errors)
    a.full_clean(validate_unique=False, validate_constraints=False)
    a.save()
    return a


def assignment_end(*, user, assignment: Assignment, end_on: datetime.date) -> Assignment:
    """Close an assignment on its last day (the "end assignment" step); the record stays in the history.

    An assignment that has already ended is corrected through its edit page instead, so that this step never
    moves an end date silently."""
    if assignment.end_on is not None:
        raise ValidationError(
            {
                "end_on": [
                    _("This assignment already ended on %(d)s; edit it to correct the date.") % {"d": assignment.end_on}
                ]
            }
        )
    if end_on < assignment.start_on:
        raise ValidationError({"end_on": [_("The end date is before the start date.")]})
    assignment.end_on = end_on
    assignment.save(update_fields=["end_on"])
    return assignment


# --- Certified spans (TGT-CERT counts) -----------------------------------------------------------------------

_OPEN_END = "9999-12-31"


def _spans_select(where: str) -> str:
    """SQL computing each worker's merged certified periods (gaps and islands over [obtained_on, revoked_on))."""
    q, w = Qualification._meta.db_table, Worker._meta.db_table
    return f"""
        SELECT o.worker_id, o.place_id, MIN(o.s), NULLIF(MAX(o.e), '{_OPEN_END}')
        FROM (
            SELECT p.*, SUM(CASE WHEN p.prev_end IS NULL OR p.prev_end < p.s THEN 1 ELSE 0 END)
                        OVER (PARTITION BY p.worker_id ORDER BY p.s, p.e ROWS UNBOUNDED PRECEDING) AS grp
            FROM (
                SELECT c.worker_id, w.place_id, c.obtained_on AS s,
                       COALESCE(c.revoked_on, '{_OPEN_END}') AS e,
                       MAX(COALESCE(c.revoked_on, '{_OPEN_END}')) OVER (
                           PARTITION BY c.worker_id ORDER BY c.obtained_on, COALESCE(c.revoked_on, '{_OPEN_END}')
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
                FROM {q} c JOIN {w} w ON w.id = c.worker_id
                WHERE (c.revoked_on IS NULL OR c.revoked_on > c.obtained_on) {where}
            ) p
        ) o
        GROUP BY o.worker_id, o.place_id, o.grp"""


# The grades whose "at least this grade" periods are kept (``CertifiedGradeSpan``); grade 1 and above is every
# certified period (``CertifiedSpan``).
GRADE_SPAN_GRADES = (2, 3)


def _refresh(table: str, columns: str, select, worker_ids) -> None:
    """Replace the rows of ``table`` for the workers (all if None) by ``select(where)``."""
    from django.db import connection

    with connection.cursor() as cursor:
        if worker_ids is None:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"INSERT INTO {table} ({columns}) {select('')}")
            return
        ids = list(worker_ids)
        for i in range(0, len(ids), 10000):
            chunk = ids[i : i + 10000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE worker_id IN ({marks})", chunk)
            cursor.execute(f"INSERT INTO {table} ({columns}) {select(f'AND c.worker_id IN ({marks})')}", chunk)


def certified_periods_refresh(*, worker_ids=None) -> None:
    """The merged certified periods (``CertifiedSpan``) alone (migration workforce.0004 builds these)."""
    from .models import CertifiedSpan

    _refresh(CertifiedSpan._meta.db_table, "worker_id, place_code, start_on, end_on", _spans_select, worker_ids)


def certified_grade_periods_refresh(*, worker_ids=None) -> None:
    """For grades 2 and 3, the merged periods during which the worker held a certificate of at least that
    grade (``CertifiedGradeSpan``): TGT-CERT by grade counts a person once, at the highest grade held."""
    from .models import CertifiedGradeSpan

    def select(where: str) -> str:
        return " UNION ALL ".join(
            f"SELECT x.*, {int(g)} FROM ({_spans_select(f'AND c.grade >= {int(g)} {where}')}) x"
            for g in GRADE_SPAN_GRADES
        )

    table = CertifiedGradeSpan._meta.db_table
    columns = "worker_id, place_code, start_on, end_on, grade"
    if worker_ids is None:
        _refresh(table, columns, select, None)
        return
    # Each branch of the union names the workers: pass the chunk once per branch.
    from django.db import connection

    ids = list(worker_ids)
    with connection.cursor() as cursor:
        for i in range(0, len(ids), 10000):
            chunk = ids[i : i + 10000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE worker_id IN ({marks})", chunk)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) {select(f'AND c.worker_id IN ({marks})')}",
                chunk * len(GRADE_SPAN_GRADES),
            )


def certified_spans_refresh(*, worker_ids=None) -> None:
    """Recompute the certified periods of the given workers (all workers if None) from their certificates,
    overall and by grade.

    Called after every write of a qualification or a worker's place (signals for single saves, explicitly after
    bulk imports), so ``selectors.certified_counts_by_county`` and the indicators can count spans instead of
    grouping certificates.
    """
    certified_periods_refresh(worker_ids=worker_ids)
    certified_grade_periods_refresh(worker_ids=worker_ids)

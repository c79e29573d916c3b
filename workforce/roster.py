"""The quarterly roster a county sends: workers, qualifications and station assignments in one workbook, as an
import spec on the one engine (``network.imports``).

``RosterImport`` declares the three sheets; the template and the export (``roster_export_rows``, the same
layout, so a roster can go round trip) are written from that declaration. Every row is checked by the
functions the forms call (``services.worker_check``: GB 11643 ID numbers with their birth date and gender;
``services.qualification_check``: TGT-CERT dates; ``services.assignment_check``: PRC-2 stationing, the
provider's scope and county), against lookups fetched once. The assignment rows are checked one after the
other against the records and the file's earlier rows, inside a transaction that is always rolled back, so
that two rows of the file are held to the same rule as a row and a record. Nothing is written if any row of
any sheet is wrong; then everything is written in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from liuzhou_social.validators import id_number_birth_date, normalise_id_number, validate_credit_code, validate_phone
from network.changes import indicator_inputs_changed_send
from network.choices import PlaceLevel
from network.imports import Column, ImportSpec, Sheet, register, zh
from network.masking import mask_id_number, mask_phone, sees_personal_data
from network.models import Place
from network.scope import CHANGE, VIEW, scope_prefixes

from . import services
from .choices import AssignmentRole, Education, Gender, Grade
from .models import Assignment, Organisation, Qualification, Worker
from .selectors import worker_input_places

BATCH = 5000
WORKER_FIELDS = ["name", "gender", "birth_date", "phone", "education", "organisation_id", "place_id"]
QUALIFICATION_FIELDS = ["grade", "obtained_on", "registered_on", "revoked_on"]


class _Rollback(Exception):
    """Ends the transaction in which the assignment rows are tried out."""


def _id_column(hint=gettext_lazy("18 characters (GB 11643); write it as text")):
    return Column("id_number", pgettext_lazy("roster", "ID number"), True, hint=hint, width=22, as_text=True)


def _place_options(spec) -> list[str]:
    action = CHANGE if scope_prefixes(spec.user, CHANGE) else VIEW
    places = Place.objects.restrict(spec.user, action).filter(level__in=[PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP])
    return [f"{c} {n}" for c, n in places.values_list("code", "name")]


def _station_options(spec) -> list[str]:
    from stations.models import Station

    return [f"{c} {n}" for c, n in Station.objects.restrict(spec.user, VIEW).values_list("place_id", "place__name")]


@register
class RosterImport(ImportSpec):
    """Workers (one person, one record: a known ID number updates the worker), their certificates (matched by
    number) and their station assignments (matched by worker, station, role and start)."""

    kind = "workforce.roster"
    title = gettext_lazy("Import a roster")
    description = gettext_lazy(
        "The quarterly roster: workers, qualifications and station assignments in the template's three sheets. "
        "The file is checked in full first; if any row is wrong nothing is written and every error is listed."
    )
    upload_url_name = "workforce:roster_import"
    template_url_name = "workforce:roster_template"
    list_url_name = "workforce:worker_list"
    list_label = gettext_lazy("Open the roster")
    nav_template = "workforce/_nav.html"
    sheets = [
        Sheet(
            "workers",
            pgettext_lazy("roster sheet", "Workers"),
            [
                Column("name", pgettext_lazy("roster", "Name"), True, max_length=50, width=12),
                _id_column(),
                Column(
                    "gender",
                    pgettext_lazy("roster", "Gender"),
                    kind="choice",
                    choices=lambda: Gender.choices,
                    hint=gettext_lazy("May be left empty: taken from the ID number"),
                    width=8,
                ),
                Column(
                    "birth_date",
                    pgettext_lazy("roster", "Birth date"),
                    kind="date",
                    hint=gettext_lazy("May be left empty: taken from the ID number"),
                    width=12,
                ),
                Column(
                    "phone",
                    pgettext_lazy("roster", "Mobile"),
                    hint=gettext_lazy("11-digit mobile or landline"),
                    max_length=20,
                ),
                Column(
                    "education", pgettext_lazy("roster", "Education"), kind="choice", choices=lambda: Education.choices
                ),
                Column(
                    "place",
                    pgettext_lazy("roster", "Place code"),
                    True,
                    hint=gettext_lazy("12-digit code of the county or township the worker belongs to"),
                    width=26,
                    as_text=True,
                    options=_place_options,
                ),
                Column(
                    "organisation",
                    pgettext_lazy("roster", "Employer credit code"),
                    hint=gettext_lazy("Unified social credit code (GB 32100) of a registered organisation"),
                    width=22,
                    as_text=True,
                ),
            ],
            unique=("id_number",),
        ),
        Sheet(
            "qualifications",
            pgettext_lazy("roster sheet", "Qualifications"),
            [
                _id_column(gettext_lazy("A worker of the “社工” sheet or already registered")),
                Column(
                    "grade",
                    pgettext_lazy("roster", "Grade"),
                    True,
                    kind="choice",
                    choices=lambda: Grade.choices,
                    invalid=gettext_lazy("choose 助理社会工作师, 社会工作师 or 高级社会工作师"),
                ),
                Column(
                    "certificate_no",
                    pgettext_lazy("roster", "Certificate number"),
                    True,
                    max_length=40,
                    hint=gettext_lazy("Unique across the city"),
                    width=20,
                    as_text=True,
                ),
                Column("obtained_on", pgettext_lazy("roster", "Obtained on"), True, kind="date", width=12),
                Column(
                    "registered_on",
                    pgettext_lazy("roster", "Registered in the national system on"),
                    kind="date",
                    hint=gettext_lazy("Date of registration in the national social-work talent system"),
                    width=14,
                ),
                Column("revoked_on", pgettext_lazy("roster", "Revoked on"), kind="date", width=12),
            ],
            required=False,
            unique=("certificate_no",),
        ),
        Sheet(
            "assignments",
            pgettext_lazy("roster sheet", "Assignments"),
            [
                _id_column(gettext_lazy("A worker of the “社工” sheet or already registered")),
                Column(
                    "township",
                    pgettext_lazy("roster", "Station township code"),
                    True,
                    width=26,
                    as_text=True,
                    options=_station_options,
                ),
                Column(
                    "role",
                    pgettext_lazy("roster", "Role"),
                    kind="choice",
                    choices=lambda: AssignmentRole.choices,
                    default=AssignmentRole.STATIONED,
                    hint=gettext_lazy("Empty: stationed social worker"),
                ),
                Column(
                    "organisation",
                    pgettext_lazy("roster", "Provider credit code"),
                    hint=gettext_lazy("PRC-2: a provider of your county whose business scope includes social work"),
                    width=22,
                    as_text=True,
                ),
                Column("start_on", pgettext_lazy("roster", "Start date"), True, kind="date", width=12),
                Column("end_on", pgettext_lazy("roster", "End date"), kind="date", width=12),
            ],
            required=False,
        ),
    ]
    instructions = [
        gettext_lazy("Liuzhou social-worker roster (sent every quarter)."),
        gettext_lazy(
            "The workbook has three sheets: “社工”, “资格证书” and “驻站”. Do not change the headers; empty rows "
            "are ignored."
        ),
        gettext_lazy(
            "One person, one record: a worker whose ID number is registered is updated, never registered twice."
        ),
        gettext_lazy(
            "Certificates: the grade is 助理社会工作师, 社会工作师 or 高级社会工作师; the number is unique across the "
            "city; the date obtained is not before the worker turned 18 nor after today."
        ),
        gettext_lazy(
            "Assignments (PRC-2): a stationed social worker is stationed at one station at a time; the provider is "
            "registered in your county and its business scope includes social work."
        ),
        gettext_lazy("Dates are written 2023-03-31; codes are 12-digit statistical division codes from the lists."),
    ]

    def instruction_lines(self):
        from network.rule_settings import rule_int

        lines = list(self.instructions)
        lines.insert(
            4,
            _(
                "Registration in the national social-work talent system is valid for %(years)s years; register "
                "again in the last %(months)s months."
            )
            % {
                "years": rule_int("QUAL.registration_valid_years"),
                "months": rule_int("QUAL.reregistration_window_months"),
            },
        )
        return lines

    # ---- lookups
    def prepare(self):
        from stations.models import Station

        self.places = set(
            Place.objects.restrict(self.user, CHANGE)
            .filter(level__in=[PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP])
            .values_list("code", flat=True)
        )
        self.organisations = {o.credit_code: o for o in Organisation.objects.all()}
        self.visible_organisations = set(Organisation.objects.restrict(self.user, VIEW).values_list("pk", flat=True))
        self.stations = {s.place_id: s for s in Station.objects.restrict(self.user, CHANGE).select_related("place")}
        self.file_workers: dict[str, dict] = {}
        self.worker_rows: set[str] = set()  # every ID number of the workers sheet, also of refused rows

    def organisation(self, row, key, *, employer: bool):
        """The organisation a credit code names, or None (blank, or refused on the row)."""
        code = row[key].upper()
        if not code:
            return None
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            row.invalid(key, exc)
            return None
        organisation = self.organisations.get(code)
        if organisation is None:
            row.error(
                key, _("No service organisation with this credit code is registered; register the organisation first.")
            )
            return None
        if employer:
            row.check(
                key,
                services.organisation_reachable_check,
                user=self.user,
                organisation=organisation,
                visible=organisation.pk in self.visible_organisations,
            )
        return organisation

    # ---- row checks
    def check_workers(self, row):
        id_number = normalise_id_number(row["id_number"])
        self.worker_rows.add(id_number)
        errors = services.worker_check(
            data={"id_number": id_number, "birth_date": row["birth_date"], "gender": row["gender"]}
        )
        row.errors_of("id_number", errors, {"birth_date": "birth_date", "gender": "gender"})
        if errors.get("id_number"):
            return None
        if row["phone"]:
            row.check("phone", validate_phone, row["phone"])
        place = row["place"][:12]
        if place not in self.places:
            row.error("place", _("not a county or township code inside the places you may change"), place)
        organisation = self.organisation(row, "organisation", employer=True)
        data = {
            "name": row["name"],
            "gender": row["gender"] or services.gender_from_id_number(id_number),
            "birth_date": id_number_birth_date(id_number),
            "id_number": id_number,
            "phone": row["phone"],
            "education": row["education"] or "",
            "organisation_id": organisation.pk if organisation else None,
            "place_id": place,
        }
        if not row.failed and id_number not in self.file_workers:  # a second row of the person is refused
            self.file_workers[id_number] = data
        return data

    def check_qualifications(self, row):
        # The dates are checked against the worker's birth date once every worker is known (check_file).
        return {
            "id_number": normalise_id_number(row["id_number"]),
            "grade": row["grade"],
            "certificate_no": row["certificate_no"].upper(),
            "obtained_on": row["obtained_on"],
            "registered_on": row["registered_on"],
            "revoked_on": row["revoked_on"],
        }

    def check_assignments(self, row):
        township = row["township"][:12]
        station = self.stations.get(township)
        if station is None:
            row.error("township", _("no station of a township you may change has this code"), township)
        organisation = self.organisation(row, "organisation", employer=False)
        return {
            "id_number": normalise_id_number(row["id_number"]),
            "station": station,
            "role": row["role"] or AssignmentRole.STATIONED,
            "organisation": organisation,
            "start_on": row["start_on"],
            "end_on": row["end_on"],
        }

    # ---- checks that need every row
    def check_file(self, outcome):
        referenced = set(self.file_workers)
        for key in ("qualifications", "assignments"):
            referenced |= {r["id_number"] for r in outcome.rows.get(key, [])}
        self.existing_workers = _existing(
            Worker, "id_number", referenced, ["id", "id_number", "place_id", *WORKER_FIELDS]
        )
        change_prefixes = scope_prefixes(self.user, CHANGE)
        elsewhere = _("This person is already registered by another county or township; ask them to update the record.")

        def changeable(worker) -> bool:
            return any(worker.place_id.startswith(p) for p in change_prefixes)

        for r in outcome.rows.get("workers", []):
            known = self.existing_workers.get(r["id_number"])
            if known is not None and not changeable(known):
                outcome.add_error("workers", r["_row"], "id_number", r["id_number"], elsewhere)
                self.file_workers.pop(r["id_number"], None)

        def worker_of(sheet, r) -> tuple[bool, object]:
            """(usable, birth date) of the worker a row refers to; an unusable one has been reported."""
            if r["id_number"] in self.file_workers:
                return True, self.file_workers[r["id_number"]]["birth_date"]
            if r["id_number"] in self.worker_rows:
                return False, None  # its row in the workers sheet is refused
            known = self.existing_workers.get(r["id_number"])
            if known is None:
                outcome.add_error(
                    sheet,
                    r["_row"],
                    "id_number",
                    r["id_number"],
                    _("this person is neither in the “%(sheet)s” sheet nor registered")
                    % {"sheet": outcome.titles["workers"]},
                )
                return False, None
            if not changeable(known):
                outcome.add_error(sheet, r["_row"], "id_number", r["id_number"], elsewhere)
                return False, None
            return True, known.birth_date

        # Qualifications (TGT-CERT): the form's date rules, and certificate numbers unique across the city.
        certificates = outcome.rows.get("qualifications", [])
        self.existing_certificates = _existing(
            Qualification,
            "certificate_no",
            {r["certificate_no"] for r in certificates},
            ["id", "certificate_no", "worker_id", *QUALIFICATION_FIELDS],
        )
        self.certificates = []
        for r in certificates:
            usable, birth = worker_of("qualifications", r)
            if not usable:
                continue
            errors = services.qualification_check(
                worker_birth=birth,
                obtained_on=r["obtained_on"],
                registered_on=r["registered_on"],
                revoked_on=r["revoked_on"],
            )
            for field, messages in errors.items():
                for message in messages:
                    outcome.add_error("qualifications", r["_row"], field, r[field], message)
            known = self.existing_certificates.get(r["certificate_no"])
            owner = self.existing_workers.get(r["id_number"])
            if known is not None and (owner is None or known.worker_id != owner.pk):
                outcome.add_error(
                    "qualifications",
                    r["_row"],
                    "certificate_no",
                    r["certificate_no"],
                    _("This certificate number is already recorded.") + " " + _("It belongs to another person."),
                )
            elif not errors:
                self.certificates.append(r)

        assignments = [r for r in outcome.rows.get("assignments", []) if worker_of("assignments", r)[0]]
        self._check_assignments(outcome, [r for r in assignments if r["station"] is not None])

    def _check_assignments(self, outcome, rows) -> None:
        """PRC-2 through ``services.assignment_check``, the form's rule: each row against the records and the
        file's earlier rows. The rows are inserted one by one in a transaction that is always rolled back."""
        self.assignments = []
        if not rows:
            return
        pks = [w.pk for w in self.existing_workers.values()]
        existing = {}
        for start in range(0, len(pks), BATCH):
            for a in Assignment.objects.filter(worker_id__in=pks[start : start + BATCH]):
                existing[(a.worker_id, a.station_id, a.role, a.start_on)] = a
        try:
            with transaction.atomic():
                new_people = {r["id_number"] for r in rows if r["id_number"] not in self.existing_workers} & set(
                    self.file_workers
                )
                trial = Worker.objects.bulk_create(
                    [Worker(id_number=i, **_worker_values(self.file_workers[i])) for i in sorted(new_people)]
                )
                workers = dict(self.existing_workers) | {w.id_number: w for w in trial}
                for r in rows:
                    worker = workers[r["id_number"]]
                    known = existing.get((worker.pk, r["station"].pk, r["role"], r["start_on"]))
                    organisation = r["organisation"]
                    errors = services.assignment_check(
                        user=self.user,
                        worker=worker,
                        station=r["station"],
                        role=r["role"],
                        organisation=organisation,
                        start_on=r["start_on"],
                        end_on=r["end_on"],
                        exclude_pk=known.pk if known else None,
                        organisation_changed=known is None
                        or known.organisation_id != (organisation.pk if organisation else None),
                    )
                    for field, messages in errors.items():
                        key = ASSIGNMENT_COLUMNS.get(field, field)
                        for message in messages:
                            outcome.add_error("assignments", r["_row"], key, _shown(r, key), message)
                    if errors:
                        continue
                    r["existing"] = known
                    self.assignments.append(r)
                    if known is None:  # the next rows are checked against this one too
                        Assignment.objects.bulk_create([_assignment(r, worker.pk)])
                    else:
                        Assignment.objects.filter(pk=known.pk).update(end_on=r["end_on"])
                raise _Rollback
        except _Rollback:
            pass

    # ---- plan and write
    def plan(self, outcome):
        self.new_workers, self.changed_workers = [], []
        for id_number, data in self.file_workers.items():
            known = self.existing_workers.get(id_number)
            values = _worker_values(data)
            if known is None:
                self.new_workers.append(Worker(id_number=id_number, **values))
                outcome.count("workers", "created")
            elif any(getattr(known, f) != values[f] for f in WORKER_FIELDS):
                for f in WORKER_FIELDS:
                    setattr(known, f, values[f])
                self.changed_workers.append(known)
                outcome.count("workers", "updated")
            else:
                outcome.count("workers", "unchanged")
        self.new_certificates, self.changed_certificates = [], []
        for r in self.certificates:
            known = self.existing_certificates.get(r["certificate_no"])
            if known is None:
                values = {f: r[f] for f in ("certificate_no", *QUALIFICATION_FIELDS)}
                self.new_certificates.append((r["id_number"], Qualification(**values)))
                outcome.count("qualifications", "created")
            elif any(getattr(known, f) != r[f] for f in QUALIFICATION_FIELDS):
                for f in QUALIFICATION_FIELDS:
                    setattr(known, f, r[f])
                self.changed_certificates.append(known)
                outcome.count("qualifications", "updated")
            else:
                outcome.count("qualifications", "unchanged")
        self.new_assignments, self.changed_assignments = [], []
        for r in self.assignments:
            known = r["existing"]
            organisation_id = r["organisation"].pk if r["organisation"] else None
            if known is None:
                self.new_assignments.append(r)
                outcome.count("assignments", "created")
            elif known.end_on != r["end_on"] or known.organisation_id != organisation_id:
                known.end_on, known.organisation_id = r["end_on"], organisation_id
                self.changed_assignments.append(known)
                outcome.count("assignments", "updated")
            else:
                outcome.count("assignments", "unchanged")

    def write(self, outcome):
        user = self.recorded_by
        created = bulk_create_with_history(self.new_workers, Worker, batch_size=BATCH, default_user=user)
        pk_by_id = {k: w.pk for k, w in self.existing_workers.items()} | {w.id_number: w.pk for w in created}
        if self.changed_workers:
            bulk_update_with_history(self.changed_workers, Worker, WORKER_FIELDS, batch_size=BATCH, default_user=user)
        for id_number, q in self.new_certificates:
            q.worker_id = pk_by_id[id_number]
        bulk_create_with_history(
            [q for _k, q in self.new_certificates], Qualification, batch_size=BATCH, default_user=user
        )
        if self.changed_certificates:
            bulk_update_with_history(
                self.changed_certificates, Qualification, QUALIFICATION_FIELDS, batch_size=BATCH, default_user=user
            )
        bulk_create_with_history(
            [_assignment(r, pk_by_id[r["id_number"]]) for r in self.new_assignments],
            Assignment,
            batch_size=BATCH,
            default_user=user,
        )
        if self.changed_assignments:
            bulk_update_with_history(
                self.changed_assignments, Assignment, ["end_on", "organisation_id"], batch_size=BATCH, default_user=user
            )
        touched = {pk_by_id[k] for k, _q in self.new_certificates} | {q.worker_id for q in self.changed_certificates}
        touched |= {w.pk for w in self.changed_workers}
        # The figures follow the import: mark the workers' places before the spans move to the new ones.
        moved = touched | {pk_by_id[r["id_number"]] for r in self.new_assignments}
        moved |= {a.worker_id for a in self.changed_assignments}
        indicator_inputs_changed_send(sender="workforce.roster", place_codes=worker_input_places(worker_ids=moved))
        if touched:
            services.certified_spans_refresh(worker_ids=sorted(touched))

    def display(self, sheet, column, values):
        if column.key in ("id_number", "phone") and not sees_personal_data(self.user):
            value = values.get(column.key) or ""
            return mask_id_number(value.upper()) if column.key == "id_number" else mask_phone(value)
        return super().display(sheet, column, values)


# The fields of services.assignment_check → the columns of the assignments sheet.
ASSIGNMENT_COLUMNS = {"worker": "id_number", "station": "township"}


def _shown(r: dict, key: str):
    """The value of an assignment row as its cell was written."""
    if key == "organisation":
        return r["organisation"].credit_code if r["organisation"] else ""
    if key == "township":
        return r["station"].place_id
    if key == "role":
        return zh(AssignmentRole(r["role"]).label)
    return r.get(key)


def _worker_values(data: dict) -> dict:
    return {f: data[f] for f in WORKER_FIELDS}


def _assignment(r: dict, worker_id: int) -> Assignment:
    return Assignment(
        worker_id=worker_id,
        station=r["station"],
        role=r["role"],
        organisation=r["organisation"],
        start_on=r["start_on"],
        end_on=r["end_on"],
    )


def _existing(model, field_name, keys, fields) -> dict:
    found, keys = {}, list(keys)
    for i in range(0, len(keys), BATCH):
        for obj in model.objects.filter(**{f"{field_name}__in": keys[i : i + BATCH]}).only(*fields):
            found[getattr(obj, field_name)] = obj
    return found


def roster_import(*, user, upload, commit: bool = True):
    """Check the whole roster, then (if ``commit`` and no row is wrong) write it in one transaction."""
    from network.imports import import_run

    return import_run(RosterImport(user), upload, commit=commit)


# Sheet names and headers as the county sees them (Chinese, the language of the roster).
WORKERS, QUALIFICATIONS, ASSIGNMENTS = (zh(s.title) for s in RosterImport.sheets)
WORKER_HEADERS, QUALIFICATION_HEADERS, ASSIGNMENT_HEADERS = (
    [c.title() for c in s.columns] for s in RosterImport.sheets
)
INSTRUCTIONS = "填写说明"


# --- Export in the import layout ---------------------------------------------------------------------------------


def roster_export_rows(*, user, workers) -> dict[str, list[list]]:
    """The roster sheets (by sheet key) for the given (already scoped) workers; personal data masked for roles
    that do not need it."""
    full = sees_personal_data(user)

    def ident(v):
        return v if full else mask_id_number(v)

    workers = list(workers.select_related("organisation"))
    ids = [w.pk for w in workers]
    by_pk = {w.pk: w for w in workers}
    out = {
        "workers": [
            [
                w.name,
                ident(w.id_number),
                zh(w.get_gender_display()),
                w.birth_date,
                w.phone if full else mask_phone(w.phone),
                zh(w.get_education_display() or ""),
                w.place_id,
                w.organisation.credit_code if w.organisation else "",
            ]
            for w in workers
        ],
        "qualifications": [],
        "assignments": [],
    }
    for i in range(0, len(ids), BATCH):
        for q in Qualification.objects.filter(worker_id__in=ids[i : i + BATCH]).order_by("worker_id", "obtained_on"):
            out["qualifications"].append(
                [
                    ident(by_pk[q.worker_id].id_number),
                    zh(q.get_grade_display()),
                    q.certificate_no,
                    q.obtained_on,
                    q.registered_on,
                    q.revoked_on,
                ]
            )
        for a in (
            Assignment.objects.filter(worker_id__in=ids[i : i + BATCH])
            .select_related("station", "organisation")
            .order_by("worker_id", "start_on")
        ):
            out["assignments"].append(
                [
                    ident(by_pk[a.worker_id].id_number),
                    a.station.place_id,
                    zh(a.get_role_display()),
                    a.organisation.credit_code if a.organisation else "",
                    a.start_on,
                    a.end_on,
                ]
            )
    return out

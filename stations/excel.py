"""Excel round-trip for stations, rooms and recipients: templates, all-or-nothing imports, exports.

A workbook has one data sheet whose headers are the Chinese column labels (the English labels are
accepted as well), a hidden sheet of drop-down options and an instructions sheet. An import reads the
data sheet once in openpyxl's read-only mode, validates every row against the prefetched lookups
(places in the user's scope, existing records, station establishment dates — a fixed number of
queries, never one per row), reports each wrong row with sheet, row, column, value and reason, and
writes only when no row is wrong, with set-based inserts in one transaction.
"""

from __future__ import annotations

import datetime
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from liuzhou_social.tabular import (ImportResult, RowError, TableFormatError, cell_text, import_file_check,
                                    iter_rows)
from liuzhou_social.validators import id_number_birth_date, id_number_check_char, validate_phone
from network.choices import PlaceLevel
from network.models import Place
from network.scope import CHANGE

from .choices import COUNTED_STATUSES, Gender, RoomStatus, SharedVenue, StationStatus, TargetGroup
from .models import Recipient, Room, Station, StationStatusChange

LIST_SEPARATORS = re.compile(r"[、,，;；/\n]+")
ID_RE = re.compile(r"^\d{17}[\dX]$")
BATCH = 2000
PREVIEW_ROWS = 20
PROGRESS_EVERY = 5000
MAX_REPORTED_ERRORS = 1000


@dataclass
class Col:
    key: str
    label: object  # lazy English label; its Chinese translation is the header
    required: bool = False
    choices: Callable[[], list[str]] | None = None  # drop-down values (display labels)
    hint: object = ""
    width: int = 16

    def header(self) -> str:
        with translation.override("zh-hans"):
            return str(self.label)

    def aliases(self) -> set[str]:
        with translation.override("en"):
            english = str(self.label)
        return {self.header(), english}


@dataclass
class ParsedRows:
    rows: list[dict] = field(default_factory=list)
    result: ImportResult = field(default_factory=ImportResult)
    total: int = 0


def _yes_no_choices():
    return [_("Yes"), _("No")]


YES = {"是", "yes", "y", "true", "1", "有", "√"}
NO = {"否", "no", "n", "false", "0", "无", "×", ""}


class ImportSpec(ABC):
    """One kind of workbook. Subclasses declare columns and implement ``prepare``, ``check`` and ``write``."""

    kind = ""
    sheet_title = gettext_lazy("Data")
    columns: list[Col] = []
    instructions: list = []

    def __init__(self, user, progress: Callable[[int], None] | None = None):
        self.user = user
        self.progress = progress  # called with the number of rows read so far, every PROGRESS_EVERY rows

    @property
    def recorded_by(self):
        """The user the history rows of a write name (none for a spec built without a saved user)."""
        return self.user if getattr(self.user, "pk", None) else None

    # ---- template
    def option_lists(self) -> dict[str, list[str]]:
        return {c.key: c.choices() for c in self.columns if c.choices}

    def sheet_name(self) -> str:
        with translation.override("zh-hans"):
            return str(self.sheet_title)

    def template(self, target) -> None:
        """Write the blank template: data sheet with headers and drop-downs, options sheet, instructions."""
        with translation.override("zh-hans"):
            wb = Workbook()
            ws = wb.active
            ws.title = self.sheet_name()
            options = wb.create_sheet("选项")
            notes = wb.create_sheet("填写说明")
            bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
            for i, col in enumerate(self.columns, start=1):
                cell = ws.cell(row=1, column=i, value=col.header() + ("*" if col.required else ""))
                cell.font, cell.fill = bold, fill
                if col.hint:
                    cell.comment = Comment(str(col.hint), "portal")
                ws.column_dimensions[cell.column_letter].width = col.width
            ws.freeze_panes = "A2"
            lists = self.option_lists()
            for j, (key, values) in enumerate(lists.items(), start=1):
                col_index = next(i for i, c in enumerate(self.columns, start=1) if c.key == key)
                letter = options.cell(row=1, column=j).column_letter
                options.cell(row=1, column=j, value=self.columns[col_index - 1].header())
                for r, v in enumerate(values, start=2):
                    options.cell(row=r, column=j, value=v)
                target_letter = ws.cell(row=1, column=col_index).column_letter
                dv = DataValidation(type="list", formula1=f"='选项'!${letter}$2:${letter}${len(values) + 1}",
                                    allow_blank=True, showErrorMessage=not self.multi_value(key),
                                    errorStyle="stop" if not self.multi_value(key) else "information")
                dv.error = _("Choose a value from the list.")
                ws.add_data_validation(dv)
                dv.add(f"{target_letter}2:{target_letter}5001")
            options.sheet_state = "hidden"
            notes.column_dimensions["A"].width = 24
            notes.column_dimensions["B"].width = 90
            notes.append([_("Column"), _("How to fill it in")])
            for c in notes[1]:
                c.font = bold
            for col in self.columns:
                notes.append([col.header() + ("（" + _("required") + "）" if col.required else ""), str(col.hint)])
            notes.append([])
            for line in self.instructions:
                notes.append(["", str(line)])
            notes.append(["", _("Every row is checked before anything is saved: if any row is wrong, nothing is "
                                "imported and each wrong row is listed with its sheet, row, column and reason.")])
            wb.save(target)

    def multi_value(self, key: str) -> bool:
        return False

    # ---- import
    def read(self, upload) -> ParsedRows:
        """Read and check every row (no writes). Header or file problems raise TableFormatError."""
        import_file_check(upload)
        try:
            headers, rows = iter_rows(upload, sheet=self.sheet_name())
        except TableFormatError:
            # The first sheet is accepted when the data sheet was renamed.
            upload.seek(0)
            try:
                headers, rows = iter_rows(upload)
            except TableFormatError as exc:
                raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt).")) from exc
        index = self.map_headers(headers)
        parsed = ParsedRows()
        self.prepare()
        sheet = self.sheet_name()
        seen: dict = {}
        for number, raw in rows:
            values = {key: (raw[i] if i < len(raw) else None) for key, i in index.items()}
            if all(cell_text(v) == "" for v in values.values()):
                continue
            parsed.total += 1
            if self.progress and parsed.total % PROGRESS_EVERY == 0:
                self.progress(parsed.total)
            errors: list[RowError] = []

            def err(key, value, message, number=number):
                col = next(c for c in self.columns if c.key == key)
                errors.append(RowError(number, col.header(), "" if value is None else cell_text(value), message,
                                       sheet))

            for col in self.columns:
                if col.required and cell_text(values.get(col.key)) == "":
                    err(col.key, "", _("this column is required"))
            if errors:
                parsed.result.errors.extend(errors)
                continue
            data = self.check(number, values, err)
            if data is not None and not errors:
                key = self.unique_key(data)
                if key in seen:
                    err(self.unique_column, values.get(self.unique_column),
                        _("duplicate row: the same record is already on row %(row)s") % {"row": seen[key]})
                else:
                    seen[key] = number
                    data["_row"] = number
                    parsed.rows.append(data)
            parsed.result.errors.extend(errors)
        if not parsed.total and not parsed.result.errors:
            raise TableFormatError(_("The sheet has headers but no rows to import."))
        self.finish(parsed)
        parsed.result.errors.sort(key=lambda e: e.row)
        return parsed

    def map_headers(self, headers: list[str]) -> dict[str, int]:
        cleaned = [h.rstrip("*").strip() for h in headers]
        index, missing = {}, []
        for col in self.columns:
            found = next((i for i, h in enumerate(cleaned) if h in col.aliases()), None)
            if found is None:
                if col.required:
                    missing.append(col.header())
            else:
                index[col.key] = found
        known = set().union(*(c.aliases() for c in self.columns))
        unknown = [h for h in cleaned if h and h not in known]
        problems = []
        if missing:
            problems.append(_("Wrong or missing headers: the sheet needs the column(s) %(m)s. Download the template "
                              "and keep its first row.") % {"m": "、".join(missing)})
        if unknown:
            problems.append(_("Unknown column(s) %(u)s: use the headers of the template.") % {"u": "、".join(unknown)})
        if problems:
            raise TableFormatError(" ".join(problems))
        return index

    unique_column = ""

    def unique_key(self, data: dict):
        return data[self.unique_column]

    def prepare(self) -> None:
        """Prefetch the lookups every row is checked against."""

    @abstractmethod
    def check(self, number: int, values: dict, err) -> dict | None:
        """One row's values checked and converted, or None when the row has errors (reported through err)."""

    def finish(self, parsed: ParsedRows) -> None:
        """Checks that need all rows (existing records)."""

    @abstractmethod
    def write(self, rows: list[dict], result: ImportResult) -> None:
        """Write the checked rows (inside the import's transaction)."""

    def run(self, upload, *, commit: bool) -> ParsedRows:
        """Check the whole file; with ``commit`` and no errors, write everything in one transaction."""
        parsed = self.read(upload)
        if commit and parsed.result.ok:
            with transaction.atomic():
                self.write(parsed.rows, parsed.result)
        return parsed

    def preview(self, parsed: ParsedRows) -> tuple[list[str], list[list]]:
        headers = [c.header() for c in self.columns]
        shown = [[self.display(row, c.key) for c in self.columns] for row in parsed.rows[:PREVIEW_ROWS]]
        return headers, shown

    def display(self, row: dict, key: str):
        value = row.get(key, "")
        return "" if value is None else value


# ---------------------------------------------------------------- shared checks

def history_insert_select(model, pks: list, user, history_type: str) -> None:
    """Write the history rows (EVAL-1: every change attributable) of freshly saved rows with one
    ``INSERT … SELECT`` per batch, instead of building a history object per row in Python."""
    if not pks:
        return
    history = model.history.model
    qn = connection.ops.quote_name
    columns = [f.column for f in model._meta.concrete_fields]
    target = ", ".join(qn(c) for c in columns + ["history_date", "history_change_reason", "history_type",
                                                   "history_user_id"])
    source = ", ".join(qn(c) for c in columns)
    pk_column = qn(model._meta.pk.column)
    sql = (f"INSERT INTO {qn(history._meta.db_table)} ({target}) SELECT {source}, %s, NULL, %s, %s "
           f"FROM {qn(model._meta.db_table)} WHERE {pk_column} IN %s")
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 10000):
            cursor.execute(sql, [now, history_type, user_id, tuple(pks[start:start + 10000])])


def parse_date(value, err, key) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    err(key, value, _("not a date; write it as 2024-03-01"))
    return None


def parse_bool(value, err, key) -> bool | None:
    text = cell_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    err(key, value, _("write 是 (yes) or 否 (no)"))
    return None


def choice_lookup(choices) -> dict[str, str]:
    """Display label (Chinese or English) or stored value → stored value."""
    table = {}
    for value, label in choices:
        table[value] = value
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                table[str(label)] = value
    return table


def id_number_problem(value: str) -> str | None:
    """GB 11643 check without exceptions (the import checks tens of thousands of numbers)."""
    if not ID_RE.match(value):
        return _("an ID number has 17 digits followed by a digit or X (18 characters)")
    birth = id_number_birth_date(value)
    if birth is None or birth > datetime.date.today() or birth.year < 1900:
        return _("the birth date inside the ID number is not a valid date")
    if id_number_check_char(value[:17]) != value[17]:
        return _("the check character is wrong (GB 11643)")
    return None


def place_code_of(value) -> str:
    """“450222101201 某某村” or “450222101201” → the 12-digit code."""
    text = cell_text(value)
    return text.split()[0] if text else ""


def place_option(code: str, name: str) -> str:
    return f"{code} {name}"


def established_dates(township_codes: Iterable[str]) -> dict[str, datetime.date]:
    """Township code → first date its station was established or operating (NET-3 history); one query."""
    rows = (StationStatusChange.objects.filter(station__place_id__in=list(township_codes),
                                               status__in=COUNTED_STATUSES)
            .values("station__place_id").annotate(first=Min("effective_on")))
    return {r["station__place_id"]: r["first"] for r in rows}


# ---------------------------------------------------------------- recipients

class RecipientImport(ImportSpec):
    """Service recipients (SRV-1) of the villages the user may change."""

    kind = "recipients"
    sheet_title = gettext_lazy("Recipients")
    unique_column = "id_number"
    columns = [
        Col("name", pgettext_lazy("person", "Name"), True, hint=gettext_lazy("Full name"), width=12),
        Col("id_number", gettext_lazy("ID number"), True,
            hint=gettext_lazy("18-character resident ID number (GB 11643); write it as text"), width=22),
        Col("gender", gettext_lazy("Gender"), choices=lambda: [str(c.label) for c in Gender], width=8),
        Col("phone", gettext_lazy("Phone"), hint=gettext_lazy("11-digit mobile or landline with area code")),
        Col("village", gettext_lazy("Village / community"), True,
            hint=gettext_lazy("Choose from the list: division code and name"), width=34),
        Col("target_groups", gettext_lazy("Target groups"), True,
            hint=gettext_lazy("SRV-1: one or more of the ten groups, separated by 、"), width=30),
        Col("registered_on", gettext_lazy("Registered on"), True, hint=gettext_lazy("Date, e.g. 2024-03-01")),
        Col("household_notes", gettext_lazy("Household notes"), width=40),
    ]
    instructions = [gettext_lazy("SRV-1: a person may belong to several target groups; separate them with 、."),
                    gettext_lazy("A row whose ID number is already registered in your places updates that person."),
                    gettext_lazy("The registration date may not lie in the future nor before the station was "
                                 "established.")]

    def multi_value(self, key):
        return key == "target_groups"

    def villages(self):
        return Place.objects.restrict(self.user, CHANGE).filter(level=PlaceLevel.VILLAGE)

    def option_lists(self):
        lists = super().option_lists()
        with translation.override("zh-hans"):
            lists["gender"] = [str(c.label) for c in Gender]
            lists["target_groups"] = [str(c.label) for c in TargetGroup]
        lists["village"] = [place_option(c, n) for c, n in self.villages().values_list("code", "name")[:5000]]
        return lists

    def prepare(self):
        self.village_parent = dict(self.villages().values_list("code", "parent_id"))
        self.established = established_dates(set(self.village_parent.values()))
        self.genders = choice_lookup(Gender.choices)
        self.groups = choice_lookup(TargetGroup.choices)
        self.today = timezone.localdate()

    def check(self, number, values, err):
        name = cell_text(values["name"])[:50]
        id_number = cell_text(values["id_number"]).upper()
        problem = id_number_problem(id_number)
        if problem:
            err("id_number", values["id_number"], problem)
        gender = ""
        if cell_text(values.get("gender")):
            gender = self.genders.get(cell_text(values["gender"]))
            if gender is None:
                err("gender", values["gender"], _("choose 男 or 女"))
        phone = cell_text(values.get("phone"))
        if phone:
            try:
                validate_phone(phone)
            except Exception:  # ValidationError
                err("phone", phone, _("enter an 11-digit mobile number or a landline with its area code"))
        village = place_code_of(values["village"])
        township = self.village_parent.get(village)
        if township is None:
            err("village", values["village"], _("unknown village, or outside the places you may change (a station "
                                                 "worker registers recipients of their own station only)"))
        groups = []
        for part in LIST_SEPARATORS.split(cell_text(values["target_groups"])):
            part = part.strip()
            if not part:
                continue
            value = self.groups.get(part)
            if value is None:
                err("target_groups", part, _("SRV-1: not one of the ten target groups"))
            elif value not in groups:
                groups.append(value)
        registered = parse_date(values["registered_on"], err, "registered_on")
        if registered:
            if registered > self.today:
                err("registered_on", values["registered_on"], _("the date lies in the future"))
            elif township and self.established.get(township) and registered < self.established[township]:
                err("registered_on", values["registered_on"], _("the date lies before the station was established "
                                                                "(%(d)s)") % {"d": self.established[township]})
        return {"name": name, "id_number": id_number, "gender": gender, "phone": phone, "village": village,
                "target_groups": groups, "registered_on": registered,
                "household_notes": cell_text(values.get("household_notes"))}

    def finish(self, parsed):
        """An ID number registered outside the user's places is refused; inside, the row updates the person."""
        ids = [r["id_number"] for r in parsed.rows]
        self.existing: dict[str, tuple[int, str]] = {}
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            for pk, number, village in Recipient.objects.filter(id_number__in=chunk).values_list(
                    "pk", "id_number", "village_id"):
                self.existing[number] = (pk, village)
        if not self.existing:
            return
        mine = set(Recipient.objects.restrict(self.user, CHANGE).filter(
            pk__in=[pk for pk, _ in self.existing.values()]).values_list("pk", flat=True))
        header = next(c for c in self.columns if c.key == "id_number").header()
        for row in parsed.rows:
            found = self.existing.get(row["id_number"])
            if found and found[0] not in mine:
                parsed.result.errors.append(RowError(
                    row["_row"], header, row["id_number"],
                    _("this person is already registered by another station; ask the county officer"),
                    self.sheet_name()))

    def write(self, rows, result):
        fields = ["name", "gender", "phone", "village_id", "target_groups", "registered_on", "household_notes"]
        new, changed = [], []
        current = Recipient.objects.in_bulk([self.existing[r["id_number"]][0] for r in rows
                                             if r["id_number"] in self.existing]) if self.existing else {}
        for r in rows:
            values = {"name": r["name"], "gender": r["gender"] or "", "phone": r["phone"], "village_id": r["village"],
                      "target_groups": r["target_groups"], "registered_on": r["registered_on"],
                      "household_notes": r["household_notes"]}
            found = self.existing.get(r["id_number"])
            if found is None:
                new.append(Recipient(id_number=r["id_number"], **values))
                continue
            obj = current[found[0]]
            if all(getattr(obj, k) == v for k, v in values.items()):
                result.unchanged += 1
                continue
            for k, v in values.items():
                setattr(obj, k, v)
            changed.append(obj)
        user = self.recorded_by
        created = Recipient.objects.bulk_create(new, batch_size=BATCH)
        history_insert_select(Recipient, [r.pk for r in created], user, "+")
        if changed:
            Recipient.objects.bulk_update(changed, fields, batch_size=BATCH)
            history_insert_select(Recipient, [r.pk for r in changed], user, "~")
        result.created, result.updated = len(new), len(changed)

    def display(self, row, key):
        from network.masking import mask_id_number, mask_phone, sees_personal_data

        value = row.get(key, "")
        if key == "target_groups":
            return "、".join(str(TargetGroup(v).label) for v in value)
        if key == "gender" and value:
            return str(Gender(value).label)
        if key == "id_number" and not sees_personal_data(self.user):
            return mask_id_number(value)
        if key == "phone" and not sees_personal_data(self.user):
            return mask_phone(value)
        return "" if value is None else value


# ---------------------------------------------------------------- stations

class StationImport(ImportSpec):
    """Stations (NET-3) of the townships the user may change; an existing station's fields are updated,
    its status history is kept as it is (status changes are recorded one by one, dated)."""

    kind = "stations"
    sheet_title = gettext_lazy("Stations")
    unique_column = "township"
    BOOL_FIELDS = ["has_venue", "has_equipment", "has_personnel", "has_service_functions", "has_workflow",
                   "has_rules", "independent_office", "is_demonstration"]
    columns = [
        Col("township", gettext_lazy("Township / street"), True,
            hint=gettext_lazy("Choose from the list: division code and name"), width=30),
        Col("status", gettext_lazy("Status"), True, choices=lambda: [str(c.label) for c in StationStatus],
            hint=gettext_lazy("For a new station: its status on the date below")),
        Col("status_on", gettext_lazy("Status effective on"), True, hint=gettext_lazy("Date, e.g. 2021-06-01")),
        Col("has_venue", gettext_lazy("Venue"), choices=_yes_no_choices, width=8),
        Col("has_equipment", gettext_lazy("Equipment"), choices=_yes_no_choices, width=8),
        Col("has_personnel", gettext_lazy("Personnel"), choices=_yes_no_choices, width=8),
        Col("has_service_functions", gettext_lazy("Service functions"), choices=_yes_no_choices, width=10),
        Col("has_workflow", gettext_lazy("Workflow"), choices=_yes_no_choices, width=8),
        Col("has_rules", gettext_lazy("Rules and regulations"), choices=_yes_no_choices, width=10),
        Col("independent_office", gettext_lazy("Independent office"), choices=_yes_no_choices, width=10),
        Col("is_demonstration", gettext_lazy("Demonstration station"), choices=_yes_no_choices, width=10),
        Col("shared_venues", gettext_lazy("Shared venues"), choices=lambda: [str(c.label) for c in SharedVenue],
            hint=gettext_lazy("NET-3: venues the casework and group rooms are shared with, separated by 、"),
            width=30),
        Col("address", gettext_lazy("Address"), width=30),
        Col("phone", gettext_lazy("Phone")),
        Col("notes", gettext_lazy("Notes"), width=30),
    ]
    instructions = [gettext_lazy("NET-3: one station per township or street; the sign text is derived (NET-3a)."),
                    gettext_lazy("A row for a township that already has a station updates its fields; a status "
                                 "different from its current one is added to its dated history on the row's date, "
                                 "following the NET-3 life cycle.")]

    def multi_value(self, key):
        return key == "shared_venues"

    def townships(self):
        return Place.objects.restrict(self.user, CHANGE).filter(level=PlaceLevel.TOWNSHIP)

    def option_lists(self):
        with translation.override("zh-hans"):
            lists = super().option_lists()
        lists["township"] = [place_option(c, n) for c, n in self.townships().values_list("code", "name")[:5000]]
        return lists

    def prepare(self):
        self.township_codes = set(self.townships().values_list("code", flat=True))
        self.statuses = choice_lookup(StationStatus.choices)
        self.venues = choice_lookup(SharedVenue.choices)
        self.today = timezone.localdate()

    def check(self, number, values, err):
        code = place_code_of(values["township"])
        if code not in self.township_codes:
            err("township", values["township"], _("unknown township, or outside the places you may change"))
        status = self.statuses.get(cell_text(values["status"]))
        if status is None:
            err("status", values["status"], _("not a station status"))
        status_on = parse_date(values["status_on"], err, "status_on")
        if status_on and status_on > self.today:
            err("status_on", values["status_on"], _("the date lies in the future"))
        data = {"township": code, "status": status, "status_on": status_on}
        for key in self.BOOL_FIELDS:
            data[key] = parse_bool(values.get(key), err, key)
        venues = []
        for part in LIST_SEPARATORS.split(cell_text(values.get("shared_venues"))):
            if part.strip():
                value = self.venues.get(part.strip())
                if value is None:
                    err("shared_venues", part, _("NET-3: not one of the venues a station may share rooms with"))
                else:
                    venues.append(value)
        phone = cell_text(values.get("phone"))
        if phone:
            try:
                validate_phone(phone)
            except Exception:
                err("phone", phone, _("enter an 11-digit mobile number or a landline with its area code"))
        data.update(shared_venues=list(dict.fromkeys(venues)), address=cell_text(values.get("address"))[:200],
                    phone=phone, notes=cell_text(values.get("notes")))
        return data

    def finish(self, parsed):
        from .services import station_status_step_problem

        self.existing = Station.objects.in_bulk([r["township"] for r in parsed.rows], field_name="place_id")
        latest = {}  # station id -> its latest dated status
        for change in StationStatusChange.objects.filter(station__in=self.existing.values()).order_by(
                "station_id", "effective_on", "id"):
            latest[change.station_id] = change
        headers = {c.key: c.header() for c in self.columns if c.key in ("status", "status_on")}
        for row in parsed.rows:
            station = self.existing.get(row["township"])
            if station is None:
                if row["status"] not in (StationStatus.PLANNED, StationStatus.ESTABLISHED, StationStatus.OPERATING):
                    parsed.result.errors.append(RowError(row["_row"], headers["status"], row["status"], _(
                        "NET-3: a new station starts as planned, established or operating"), self.sheet_name()))
                continue
            last = latest.get(station.pk)
            row["status_step"] = last is None or row["status"] != last.status
            if not row["status_step"] or row["status"] is None or row["status_on"] is None:
                continue
            # A different status is appended to the station's dated history, as the status step would.
            problem = station_status_step_problem(previous=last.status if last else None,
                                                  previous_on=last.effective_on if last else None,
                                                  status=row["status"], effective_on=row["status_on"])
            if problem:
                column = headers["status"] if problem[0] == "status" else headers["status_on"]
                value = row["status"] if problem[0] == "status" else row["status_on"]
                parsed.result.errors.append(RowError(row["_row"], column, value, problem[1], self.sheet_name()))

    def write(self, rows, result):
        fields = self.BOOL_FIELDS + ["shared_venues", "address", "phone", "notes"]
        user = self.recorded_by
        new, changed, history = [], [], []
        for r in rows:
            values = {k: r[k] for k in fields}
            station = self.existing.get(r["township"])
            if station is None:
                station = Station(place_id=r["township"], status=r["status"], **values)
                new.append((station, r))
                continue
            if r.get("status_step"):
                history.append(StationStatusChange(station=station, status=r["status"], effective_on=r["status_on"],
                                                   note=_("Imported"), recorded_by=user))
                values["status"] = r["status"]
            if all(getattr(station, k) == v for k, v in values.items()):
                result.unchanged += 1
                continue
            for k, v in values.items():
                setattr(station, k, v)
            from .rules import station_six_haves_met

            if station.standardised_on and not station_six_haves_met(station):
                station.standardised_on = None
            changed.append(station)
        created = bulk_create_with_history([s for s, _row in new], Station, batch_size=BATCH, default_user=user)
        for station, r in zip(created, [r for _station, r in new]):
            history.append(StationStatusChange(station=station, status=r["status"], effective_on=r["status_on"],
                                               note=_("Imported"), recorded_by=user))
        StationStatusChange.objects.bulk_create(history, batch_size=BATCH)
        if changed:
            bulk_update_with_history(changed, Station, fields + ["status", "standardised_on"], batch_size=BATCH,
                                     default_user=user)
        result.created, result.updated = len(new), len(changed)

    def display(self, row, key):
        value = row.get(key)
        if key == "status" and value:
            return str(StationStatus(value).label)
        if key == "shared_venues":
            return "、".join(str(SharedVenue(v).label) for v in value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return "" if value is None else value


# ---------------------------------------------------------------- rooms

class RoomImport(ImportSpec):
    """Village/community rooms (NET-4) in the villages the user may change."""

    kind = "rooms"
    sheet_title = gettext_lazy("Rooms")
    unique_column = "village"
    columns = [
        Col("village", gettext_lazy("Village / community"), True,
            hint=gettext_lazy("Choose from the list: division code and name"), width=34),
        Col("status", gettext_lazy("Status"), True, choices=lambda: [str(c.label) for c in RoomStatus]),
        Col("established_on", gettext_lazy("Established on"), hint=gettext_lazy("Date, e.g. 2021-06-01")),
        Col("in_party_mass_centre", gettext_lazy("Inside the party-mass service centre"), choices=_yes_no_choices,
            hint=gettext_lazy("NET-4: no separate space"), width=12),
        Col("staffing_note", gettext_lazy("Staffing"), hint=gettext_lazy("NET-4: existing village personnel"),
            width=30),
    ]
    instructions = [gettext_lazy("NET-4: rooms exist where conditions allow, one per village or community.")]

    def villages(self):
        return Place.objects.restrict(self.user, CHANGE).filter(level=PlaceLevel.VILLAGE)

    def option_lists(self):
        with translation.override("zh-hans"):
            lists = super().option_lists()
        lists["village"] = [place_option(c, n) for c, n in self.villages().values_list("code", "name")[:5000]]
        return lists

    def prepare(self):
        self.village_codes = set(self.villages().values_list("code", flat=True))
        self.statuses = choice_lookup(RoomStatus.choices)
        self.today = timezone.localdate()

    def check(self, number, values, err):
        code = place_code_of(values["village"])
        if code not in self.village_codes:
            err("village", values["village"], _("unknown village, or outside the places you may change"))
        status = self.statuses.get(cell_text(values["status"]))
        if status is None:
            err("status", values["status"], _("not a room status"))
        established = None
        if cell_text(values.get("established_on")):
            established = parse_date(values["established_on"], err, "established_on")
            if established and established > self.today:
                err("established_on", values["established_on"], _("the date lies in the future"))
        in_centre = True
        if cell_text(values.get("in_party_mass_centre")):
            in_centre = parse_bool(values["in_party_mass_centre"], err, "in_party_mass_centre")
        return {"village": code, "status": status, "established_on": established, "in_party_mass_centre": in_centre,
                "staffing_note": cell_text(values.get("staffing_note"))[:200]}

    def finish(self, parsed):
        self.existing = Room.objects.in_bulk([r["village"] for r in parsed.rows], field_name="place_id")

    def write(self, rows, result):
        fields = ["status", "established_on", "in_party_mass_centre", "staffing_note"]
        new, changed = [], []
        for r in rows:
            values = {k: r[k] for k in fields}
            room = self.existing.get(r["village"])
            if room is None:
                new.append(Room(place_id=r["village"], **values))
            elif all(getattr(room, k) == v for k, v in values.items()):
                result.unchanged += 1
            else:
                for k, v in values.items():
                    setattr(room, k, v)
                changed.append(room)
        user = self.recorded_by
        bulk_create_with_history(new, Room, batch_size=BATCH, default_user=user)
        if changed:
            bulk_update_with_history(changed, Room, fields, batch_size=BATCH, default_user=user)
        result.created, result.updated = len(new), len(changed)

    def display(self, row, key):
        value = row.get(key)
        if key == "status" and value:
            return str(RoomStatus(value).label)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return "" if value is None else value


SPECS: dict[str, type[ImportSpec]] = {s.kind: s for s in (StationImport, RoomImport, RecipientImport)}

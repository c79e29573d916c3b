"""The one import engine: every spreadsheet the portal takes in is a spec declared on it.

A spec (``ImportSpec``) declares its sheets (``Sheet``) and their columns (``Column``). The engine

* reads the workbook once, streamed (``liuzhou_social.tabular.TableReader``), and converts every cell by its
  column's kind (text, date, yes/no, one choice, several choices), reporting a cell it cannot convert;
* calls the spec's row check for each row (``check_<sheet key>``), which calls the same service and validator
  functions as the forms, so that a row is refused exactly when the form would refuse it, with its message;
* after every row, calls the spec's file check (existing records, rows that refer to each other);
* reports every wrong row with sheet, row, column, value and the rule's message (``RowError``);
* lets the spec plan what would change (the preview) and, only when no row is wrong, write it: all rows in
  one transaction or nothing (the confirm);
* writes the blank template (headers, drop-downs, instructions) from the same declaration.

The preview and the confirm both run as a job (``network.Job``) through ``network.jobs.job_start`` and the
task ``network.tasks.import_job``: a small file in the request, a large one on the worker (in-process when no
broker is configured). The job page (``network:job_detail``) shows the progress, the preview with every
error, the confirm button and the result. The upload itself is checked once, by
``liuzhou_social.tabular.import_file_check`` in ``network.forms.ImportUploadForm``.

docs/architecture.md ("Imports") shows the smallest spec.
"""

from __future__ import annotations

import abc
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuzhou_social.tabular import ImportResult, RowError, TableFormatError, TableReader, cell_text, safe_cell
from liuzhou_social.text import clean_text

from .masking import mask_id_number

LIST_SEPARATORS = re.compile(r"[、,，;；/\n]+")
PREVIEW_ROWS = 20
PROGRESS_EVERY = 5000
MAX_REPORTED_ERRORS = 1000
YES = {"是", "yes", "y", "true", "1", "有", "√"}
NO = {"否", "no", "n", "false", "0", "无", "×"}
PREVIEW, COMMIT = "preview", "commit"
# Columns holding ID numbers, which the portal stores only encrypted (PIPL Art. 51): the job's stored preview
# and errors show them masked, for every role (whoever uploaded the file has it and the row number).
ENCRYPTED_KEYS = frozenset({"id_number"})
INSTRUCTIONS_SHEET, OPTIONS_SHEET = "填写说明", "选项"


def zh(text) -> str:
    """A (lazy) label in Chinese, the language of every workbook the portal reads and writes."""
    with translation.override("zh-hans"):
        return str(text)


def required_message() -> str:
    """What a form says about an empty required field; an import says the same."""
    return str(forms.Field.default_error_messages["required"])


class CellError(Exception):
    """A cell its column cannot take; ``value`` names the part that is wrong (one of several choices)."""

    def __init__(self, message, value=None):
        super().__init__(message)
        self.message, self.value = message, value


@dataclass
class Column:
    """One column of a sheet. Its header is the Chinese translation of ``label`` (or the fixed ``header`` of a
    standard file); the English label is accepted too. ``kind`` decides how a cell is converted:

    * ``text``: trimmed text in NFC, without control characters (``multiline``: line breaks kept), ``max_length``
      checked by the form's own validator — never cut;
    * ``date``: a date cell, or text such as 2024-03-01, 2024/3/1, 2024年3月1日, 20240301;
    * ``bool``: 是/否 (yes/no);
    * ``choice``: one of ``choices()`` (value, label) pairs, by its Chinese or English label or its value;
    * ``choices``: several of them, separated by 、 or a comma.

    A blank cell is ``default`` (None for dates, "" for text and choices, [] for several choices); a blank
    required cell is refused with the form's "required" message, or ``blank_error``."""

    key: str
    label: object
    required: bool = False
    kind: str = "text"
    choices: Callable[[], Iterable[tuple[str, object]]] | None = None
    hint: object = ""
    width: int = 16
    header: str = ""
    as_text: bool = False
    max_length: int | None = None
    default: object = None
    invalid: object = ""
    blank_error: object = ""
    options: Callable[..., list[str]] | None = None
    multiline: bool = False  # a notes column keeps its line breaks

    def title(self) -> str:
        return self.header or zh(self.label)

    def aliases(self) -> set[str]:
        with translation.override("en"):
            english = str(self.label)
        return {self.title(), english, zh(self.label)}

    def blank(self):
        if self.default is not None:
            return self.default
        return {"date": None, "bool": None, "choices": []}.get(self.kind, "")

    def choice_table(self) -> dict[str, str]:
        """Stored value, lower-cased English label and Chinese label → stored value."""
        table = {}
        for value, label in self.choices():
            table[str(value).lower()] = value
            with translation.override("en"):
                table[str(label).lower()] = value
            table[zh(label)] = value
        return table

    def dropdown(self, spec) -> list[str]:
        if self.options is not None:
            return self.options(spec)
        if self.kind in ("choice", "choices") and self.choices is not None:
            return [zh(label) for _value, label in self.choices()]
        if self.kind == "bool":
            return ["是", "否"]
        return []

    def converter(self) -> Callable:
        """A function from a non-blank cell to its value, raising CellError."""
        if self.kind == "date":
            invalid = self.invalid or _("not a date; write it as 2024-03-01")
            return lambda raw: parse_date(raw, invalid)
        if self.kind == "bool":
            invalid = self.invalid or _("write 是 (yes) or 否 (no)")

            def to_bool(raw):
                text = cell_text(raw).lower()
                if text in YES:
                    return True
                if text in NO:
                    return False
                raise CellError(invalid)

            return to_bool
        if self.kind in ("choice", "choices"):
            table = self.choice_table()
            invalid = self.invalid or _("choose one of the drop-down values")

            def lookup(text):
                value = table.get(text)
                if value is None:
                    value = table.get(text.lower())
                if value is None:
                    raise CellError(invalid, text)
                return value

            if self.kind == "choice":
                return lambda raw: lookup(cell_text(raw))

            def several(raw):
                values = []
                for part in LIST_SEPARATORS.split(cell_text(raw)):
                    part = part.strip()
                    if part:
                        value = lookup(part)
                        if value not in values:
                            values.append(value)
                return values

            return several
        return self.text_converter()

    def text_converter(self) -> Callable:
        """Text as every form takes it (``liuzhou_social.text``): NFC, no control characters (a row error naming
        the column), and longer than ``max_length`` refused with the form's message, never cut."""
        label, multiline = self.title(), self.multiline
        validator = MaxLengthValidator(self.max_length) if self.max_length else None

        def text(raw):
            value = cell_text(raw)
            try:
                value = clean_text(value, label=label, multiline=multiline)
                if validator is not None and len(value) > self.max_length:
                    validator(value)
            except ValidationError as exc:
                raise CellError(" ".join(exc.messages)) from None
            return value

        return text


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(raw, invalid) -> datetime.date:
    """A date cell, or text 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or 20240301."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = cell_text(raw)
    match = _DATE.match(text)
    if match:
        parts = match.groups()
    elif len(text) == 8 and text.isdigit():
        parts = text[:4], text[4:6], text[6:]
    else:
        raise CellError(invalid)
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise CellError(invalid) from None


@dataclass
class Sheet:
    """One sheet of a workbook: its key (the spec's ``check_<key>`` checks its rows), its Chinese title, its
    columns. ``unique`` names the columns of a row's key: a second row with the same key is refused.
    An optional sheet may be left out of the workbook; ``extra_columns`` lets a standard file keep columns
    the portal does not read."""

    key: str
    title: object
    columns: list[Column]
    required: bool = True
    unique: tuple[str, ...] = ()
    extra_columns: bool = False

    def name(self) -> str:
        return zh(self.title)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


class Row:
    """One row being checked: its converted ``values`` by column key, and the means to refuse it."""

    __slots__ = ("cells", "failed", "number", "outcome", "sheet", "values")

    def __init__(self, outcome, sheet: Sheet, number: int, values: dict, cells: dict):
        self.outcome, self.sheet, self.number, self.values, self.cells = outcome, sheet, number, values, cells
        self.failed = False

    def __getitem__(self, key):
        return self.values[key]

    def get(self, key, default=None):
        return self.values.get(key, default)

    def error(self, key: str, message, value=None) -> None:
        """Refuse the row: ``message`` (the rule's, as the form says it) about column ``key``; the value shown
        is the cell as written unless ``value`` is given."""
        self.failed = True
        shown = self.cells.get(key, "") if value is None else value
        self.outcome.add_error(self.sheet, self.number, key, shown, message)

    def invalid(self, key: str, exc: ValidationError, value=None) -> None:
        """Refuse the row with every message of a service's ValidationError (a field dict or a plain list)."""
        if hasattr(exc, "error_dict"):
            for messages in exc.message_dict.values():
                for message in messages:
                    self.error(key, message, value)
        else:
            for message in exc.messages:
                self.error(key, message, value)

    def check(self, key: str, rule: Callable, *args, **kwargs):
        """Call a validator or service check; its ValidationError refuses the row on ``key``. Returns what the
        rule returns, or None when it refused."""
        try:
            return rule(*args, **kwargs)
        except ValidationError as exc:
            self.invalid(key, exc)
            return None

    def errors_of(self, key: str, errors: dict[str, list[str]], fields: dict[str, str] | None = None) -> None:
        """Refuse the row with a service's ``{field: [messages]}`` errors; ``fields`` maps the service's field
        names to column keys (unmapped fields are reported on ``key``)."""
        for name, messages in errors.items():
            for message in messages:
                self.error((fields or {}).get(name, key), message)


@dataclass
class ImportOutcome(ImportResult):
    """What a check found (every error) and what the plan or the write counted, per sheet and in total."""

    total: int = 0
    rows: dict[str, list[dict]] = field(default_factory=dict)
    sheets: dict[str, dict] = field(default_factory=dict)
    preview: dict[str, list[list[str]]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    by_key: dict[str, Sheet] = field(default_factory=dict, repr=False)

    def add_error(self, sheet: Sheet | str, number: int, key: str, value, message) -> None:
        if isinstance(sheet, str):
            sheet = self.by_key[sheet]
        column = next((c.title() for c in sheet.columns if c.key == key), key)
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()[:10]
        if key in ENCRYPTED_KEYS and value:  # the job keeps its errors: never an ID number in clear
            value = mask_id_number(cell_text(value).upper())
        self.errors.append(
            RowError(number, column, "" if value is None else cell_text(value), str(message), sheet.name())
        )

    def count(self, sheet_key: str, what: str, n: int = 1) -> None:
        self.sheets[self.titles[sheet_key]][what] += n
        setattr(self, what, getattr(self, what) + n)


class ImportSpec(abc.ABC):
    """One kind of workbook. A subclass declares ``kind`` (the job kind), ``title``, ``sheets`` and implements
    ``check_<sheet key>(row)`` for each sheet, and ``plan`` and ``write``; optionally ``prepare`` (prefetch what
    every row is checked against), ``check_file`` (checks that need all rows) and ``instructions``.

    ``plan`` counts what would change (``outcome.count(sheet, "created" | "updated" | "unchanged")``) and keeps
    it on the spec; ``write`` writes it, inside the import's one transaction, and is the place to say which
    places and dates changed."""

    kind = ""
    title = gettext_lazy("Import")
    description = ""
    sheets: list[Sheet] = []
    instructions: list = []
    file_types: tuple[str, ...] = ("xlsx",)
    upload_url_name = ""
    template_url_name = ""
    list_url_name = ""
    list_label = gettext_lazy("Back to the list")
    url_args: tuple = ()
    nav_template = ""  # the app's sub-navigation, shown above the upload form

    def __init__(self, user, progress: Callable[[int, int | None], None] | None = None):
        self.user = user
        self.progress = progress  # called with (rows read, rows the file declares) every PROGRESS_EVERY rows

    @property
    def recorded_by(self):
        """The user the history rows of a write name (none for a spec built without a saved user)."""
        return self.user if getattr(self.user, "pk", None) else None

    @classmethod
    def may_import(cls, user) -> bool:
        from .scoped_views import may_write

        return may_write(user)

    @classmethod
    def url(cls, which: str) -> str:
        name = getattr(cls, f"{which}_url_name")
        return reverse(name, args=cls.url_args) if name else ""

    # ---- the steps a spec fills in
    def prepare(self) -> None:
        """Prefetch the lookups every row is checked against (a fixed number of queries, not one per row)."""

    def check_file(self, outcome: ImportOutcome) -> None:
        """Checks that need every row (records already in the portal, rows that refer to each other); runs on
        the rows that passed their row check, also when other rows were refused."""

    @abc.abstractmethod
    def plan(self, outcome: ImportOutcome) -> None:
        """Decide, without writing, what each checked row creates, changes or leaves alone; count it."""

    @abc.abstractmethod
    def write(self, outcome: ImportOutcome) -> None:
        """Write what ``plan`` decided (inside the import's transaction)."""

    def instruction_lines(self) -> list:
        """The lines of the template's instructions (a spec whose lines quote rule settings builds them here)."""
        return list(self.instructions)

    def display(self, sheet: Sheet, column: Column, values: dict) -> str:
        """A checked value as the preview shows it."""
        value = values.get(column.key)
        if value is None:
            return ""
        if column.kind == "bool":
            return _("Yes") if value else _("No")
        if column.kind in ("choice", "choices") and column.choices is not None:
            labels = dict(column.choices())
            if column.kind == "choices":
                return "、".join(str(labels.get(v, v)) for v in value)
            return str(labels.get(value, value))
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    # ---- the template
    def template(self, target, rows: dict[str, Iterable[list]] | None = None) -> None:
        """Write the workbook: a data sheet per sheet (Chinese headers, a comment with each column's hint,
        drop-downs, identifiers as text), the instructions sheet and the hidden options sheet. ``rows`` fills
        data sheets (an export in the import layout)."""
        template_write(self, target, rows or {})


def template_write(spec: ImportSpec, target, rows: dict) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    with translation.override("zh-hans"):
        wb = Workbook()
        wb.remove(wb.active)
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        data_sheets = []
        for sheet in spec.sheets:
            ws = wb.create_sheet(sheet.name())
            for i, col in enumerate(sheet.columns, start=1):
                cell = ws.cell(row=1, column=i, value=col.title() + ("*" if col.required else ""))
                cell.font, cell.fill = bold, fill
                if col.hint:
                    cell.comment = Comment(str(col.hint), "portal")
                ws.column_dimensions[cell.column_letter].width = col.width
            ws.freeze_panes = "A2"
            for values in rows.get(sheet.key, ()):
                ws.append([safe_cell(v) for v in values])  # formula-safe, and any stored text fits
            data_sheets.append((sheet, ws))
        notes = wb.create_sheet(INSTRUCTIONS_SHEET)
        options = wb.create_sheet(OPTIONS_SHEET)
        last = max(5001, *(ws.max_row + 1 for _s, ws in data_sheets))
        list_column = 0
        for sheet, ws in data_sheets:
            for i, col in enumerate(sheet.columns, start=1):
                letter = ws.cell(row=1, column=i).column_letter
                if col.as_text:  # identifiers stay text: Excel would round an 18-digit number
                    for r in range(2, last + 1):
                        ws[f"{letter}{r}"].number_format = "@"
                values = col.dropdown(spec)
                if not values:
                    continue
                list_column += 1
                options.cell(row=1, column=list_column, value=f"{sheet.name()}·{col.title()}")
                for r, v in enumerate(values, start=2):
                    options.cell(row=r, column=list_column, value=v)
                source = options.cell(row=1, column=list_column).column_letter
                several = col.kind == "choices"
                dv = DataValidation(
                    type="list",
                    formula1=f"='{OPTIONS_SHEET}'!${source}$2:${source}${max(len(values) + 1, 2)}",
                    allow_blank=True,
                    showErrorMessage=not several,
                    errorStyle="information" if several else "stop",
                )
                dv.error = _("Choose a value from the list.")
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last}")
        options.sheet_state = "hidden"
        notes.column_dimensions["A"].width = 28
        notes.column_dimensions["B"].width = 90
        notes.append([str(spec.title)])
        notes["A1"].font = bold
        for sheet in spec.sheets:
            notes.append([])
            notes.append([_("Sheet “%(sheet)s”") % {"sheet": sheet.name()}, _("How to fill it in")])
            for c in notes[notes.max_row]:
                c.font = bold
            for col in sheet.columns:
                notes.append([col.title() + ("（" + _("required") + "）" if col.required else ""), str(col.hint)])
        notes.append([])
        for line in spec.instruction_lines():
            notes.append(["", str(line)])
        notes.append(
            [
                "",
                _(
                    "Every row is checked before anything is saved: if any row is wrong, nothing is "
                    "imported and each wrong row is listed with its sheet, row, column and reason."
                ),
            ]
        )
        wb.save(target)


# ---------------------------------------------------------------- reading and checking


def _map_headers(sheet: Sheet, headers: list[str]) -> dict[str, int]:
    cleaned = [h.rstrip("*").strip() for h in headers]
    index, missing = {}, []
    for col in sheet.columns:
        aliases = col.aliases()
        found = next((i for i, h in enumerate(cleaned) if h in aliases), None)
        if found is None:
            if col.required:
                missing.append(col.title())
        else:
            index[col.key] = found
    problems = []
    if missing:
        problems.append(
            _(
                "Sheet “%(sheet)s”: wrong or missing headers: the sheet needs the column(s) %(m)s. Download the "
                "template and keep its first row."
            )
            % {"sheet": sheet.name(), "m": "、".join(missing)}
        )
    if not sheet.extra_columns:
        known = set().union(*(c.aliases() for c in sheet.columns))
        unknown = [h for h in cleaned if h and h not in known]
        if unknown:
            problems.append(
                _("Sheet “%(sheet)s”: unknown column(s) %(u)s: use the headers of the template.")
                % {"sheet": sheet.name(), "u": "、".join(unknown)}
            )
    if problems:
        raise TableFormatError(" ".join(problems))
    return index


def _read_sheet(spec: ImportSpec, sheet: Sheet, headers, rows, declared, outcome: ImportOutcome) -> None:
    index = _map_headers(sheet, headers)
    required = required_message()
    columns = [
        (c.key, index[c.key], c.converter(), (str(c.blank_error) or required) if c.required else None, c.blank())
        for c in sheet.columns
        if c.key in index
    ]
    absent = {c.key: c.blank() for c in sheet.columns if c.key not in index}
    check = getattr(spec, f"check_{sheet.key}")
    shown = list(sheet.columns)
    seen: dict = {}
    kept = outcome.rows[sheet.key]
    preview = outcome.preview.setdefault(sheet.name(), [])
    read = 0
    positions = [i for _k, i, _c, _r, _b in columns]
    for number, raw in rows:
        width = len(raw)
        for i in positions:
            if i < width:
                cell = raw[i]
                if cell is not None and (cell.__class__ is not str or cell.strip()):
                    break
        else:
            continue  # an empty row
        read += 1
        outcome.total += 1
        if spec.progress and outcome.total % PROGRESS_EVERY == 0:
            spec.progress(outcome.total, declared)
        values, cells = dict(absent), {}
        row = Row(outcome, sheet, number, values, cells)
        for key, i, convert, if_blank, blank in columns:
            cell = raw[i] if i < width else None
            if cell is None or (cell.__class__ is str and not cell.strip()):
                values[key] = blank
                cells[key] = ""
                if if_blank:
                    row.error(key, if_blank)
                continue
            cells[key] = cell
            try:
                values[key] = convert(cell)
            except CellError as exc:
                values[key] = blank
                row.error(key, exc.message, exc.value)
        if row.failed:
            continue
        data = check(row)
        if data is None or row.failed:
            continue
        if sheet.unique:
            key = tuple(data.get(k, values.get(k)) for k in sheet.unique)
            if key in seen:
                row.error(
                    sheet.unique[0],
                    _("duplicate row: the same record is already on row %(row)s") % {"row": seen[key]},
                )
                continue
            seen[key] = number
        data["_row"] = number
        kept.append(data)
        if len(preview) < PREVIEW_ROWS:
            preview.append([_preview_cell(spec, sheet, c, values) for c in shown])
    outcome.sheets[sheet.name()]["total"] = read


def _preview_cell(spec: ImportSpec, sheet: Sheet, column: Column, values: dict) -> str:
    if column.key in ENCRYPTED_KEYS:
        return mask_id_number(str(values.get(column.key) or "").upper())
    return spec.display(sheet, column, values)


def import_check(spec: ImportSpec, upload) -> ImportOutcome:
    """Read and check every row of every sheet, then plan what would change; nothing is written. A file the
    engine cannot read (not a table, a missing sheet or header, no rows) raises TableFormatError."""
    outcome = ImportOutcome()
    outcome.by_key = {s.key: s for s in spec.sheets}
    outcome.rows = {s.key: [] for s in spec.sheets}
    for sheet in spec.sheets:
        outcome.titles[sheet.key] = sheet.name()
        outcome.sheets[sheet.name()] = {"total": 0, "created": 0, "updated": 0, "unchanged": 0}
    with TableReader(upload) as reader:
        if reader.kind == "csv" and len(spec.sheets) > 1:
            raise TableFormatError(_("This import needs an .xlsx workbook made from the template."))
        spec.prepare()
        names = reader.sheet_names
        for sheet in spec.sheets:
            name = None
            if reader.kind == "xlsx":
                for alias in (sheet.name(), _english(sheet.title)):
                    if alias in names:
                        name = alias
                        break
                if name is None:
                    if len(spec.sheets) == 1:
                        name = names[0]  # the one data sheet, renamed
                    elif sheet.required:
                        raise TableFormatError(
                            _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet.name()}
                        )
                    else:
                        continue
            headers, rows, declared = reader.sheet(name)
            if not any(headers):
                if sheet.required and len(spec.sheets) == 1:
                    raise TableFormatError(_("The sheet is empty."))
                continue
            _read_sheet(spec, sheet, headers, rows, declared, outcome)
    if not outcome.total and not outcome.errors:
        raise TableFormatError(_("The sheet has headers but no rows to import."))
    spec.check_file(outcome)
    order = {s.name(): i for i, s in enumerate(spec.sheets)}
    outcome.errors.sort(key=lambda e: (order.get(e.sheet, 99), e.row))
    if outcome.ok:
        spec.plan(outcome)
    return outcome


def _english(text) -> str:
    with translation.override("en"):
        return str(text)


def import_run(spec: ImportSpec, upload, *, commit: bool) -> ImportOutcome:
    """Check the whole file and plan; with ``commit`` and no wrong row, write everything in one transaction."""
    outcome = import_check(spec, upload)
    if commit and outcome.ok:
        with transaction.atomic():
            spec.write(outcome)
    return outcome


# ---------------------------------------------------------------- specs and their jobs

SPECS: dict[str, type[ImportSpec]] = {}


def register(spec_class: type[ImportSpec]) -> type[ImportSpec]:
    """Make a spec known to the job page and the import task (each app registers its specs when it is ready)."""
    SPECS[spec_class.kind] = spec_class
    return spec_class


def spec_for(kind: str) -> type[ImportSpec] | None:
    return SPECS.get(kind)


def runs_in_request(upload) -> bool:
    """A file that unpacks to at most IMPORT_INLINE_BYTES is checked and imported in the request (at once); any
    larger one on the worker, under a memory limit (``network.tasks.import_job``), while the request returns."""
    from liuzhou_social.tabular import unpacked_size

    try:
        return unpacked_size(upload) <= settings.IMPORT_INLINE_BYTES
    except TableFormatError:
        return False  # the job says what is wrong with it


def import_job_start(*, spec_class: type[ImportSpec], user, upload):
    """Keep the uploaded file on a new job and check it (the preview): at once for a small file, on the worker
    for a large one. Returns the job; its page shows the outcome."""
    from .jobs import job_start
    from .tasks import import_job

    return job_start(
        kind=spec_class.kind,
        user=user,
        task=import_job,
        params={"step": PREVIEW, "language": translation.get_language() or settings.LANGUAGE_CODE},
        upload=upload,
        inline=runs_in_request(upload),
    )


def import_job_confirm(*, job, user) -> bool:
    """Import a checked file with no wrong row: the same job is run again with ``step`` commit, which checks
    every row again and writes all of them in one transaction or none. Only the uploader, while their role may
    import, confirms (PermissionDenied otherwise). False when there is nothing to confirm (not checked yet,
    rows refused, already confirmed)."""
    from .choices import JobStatus
    from .jobs import job_queue
    from .models import Job
    from .tasks import import_job

    spec_class = spec_for(job.kind)
    if spec_class is None:
        return False
    if job.created_by_id != user.pk or not spec_class.may_import(user):
        raise PermissionDenied(_("Only the person who uploaded the file may import it."))
    if job.status != JobStatus.DONE or job.params.get("step") != PREVIEW or job.result.get("error_count"):
        return False
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.DONE, params__step=PREVIEW).update(
        status=JobStatus.QUEUED,
        progress=0,
        finished_at=None,
        message="",
        params=job.params | {"step": COMMIT},
        updated_at=timezone.now(),
    )
    if not claimed:  # confirmed twice at once: the first one runs
        return False
    with job.upload.open("rb") as handle:
        inline = runs_in_request(handle)
    job_queue(job, import_job, inline=inline)
    return True


def import_job_run(*, job_id) -> dict:
    """The import task: check (step preview) or import (step commit) the file kept on the job, and store on it
    every error, or what would change / what changed. Idempotent: a committed import is left alone."""
    from .choices import JobStatus
    from .jobs import job_finish, job_progress
    from .models import Job

    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.result.get("committed") or job.status == JobStatus.DONE:
        return job.result
    spec_class = spec_for(job.kind)
    step = job.params.get("step", PREVIEW)
    commit = step == COMMIT
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        message = _("Importing every row") if commit else _("Checking every row")
        expected = job.result.get("total")

        def progress(rows, declared):
            total = max(expected or declared or rows, rows, 1)
            job_progress(job.pk, 5 + rows * 80 // total, message)

        spec = spec_class(job.created_by, progress=progress)
        job_progress(job.pk, 2, message)
        try:
            with job.upload.open("rb") as handle:
                handle.name = job.upload.name
                outcome = import_run(spec, handle, commit=commit)
        except TableFormatError as exc:
            job_finish(job.pk, message=str(exc), failed=True, result={"step": step, "file_error": True})
            return {}
        result = outcome_result(spec, outcome, step=step, committed=commit and outcome.ok)
        if not outcome.ok:
            job_finish(job.pk, result=result, message=_("Nothing was imported."), failed=True)
        elif commit:
            job_finish(
                job.pk,
                result=result,
                message=_("Imported: %(c)s new, %(u)s changed, %(n)s unchanged.")
                % {"c": outcome.created, "u": outcome.updated, "n": outcome.unchanged},
            )
        else:
            job_finish(job.pk, result=result, message=_("Every row is correct. Confirm to import them all."))
    return result


def outcome_result(spec: ImportSpec, outcome: ImportOutcome, *, step: str, committed: bool) -> dict:
    """What the job page shows: counts per sheet, the first rows, every error (up to MAX_REPORTED_ERRORS)."""
    return {
        "step": step,
        "committed": committed,
        "total": outcome.total,
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "sheets": [{"title": sheet.name(), **outcome.sheets[sheet.name()]} for sheet in spec.sheets],
        "preview": [
            {
                "title": sheet.name(),
                "headers": [c.title() for c in sheet.columns],
                "rows": outcome.preview[sheet.name()],
            }
            for sheet in spec.sheets
            if outcome.preview.get(sheet.name())
        ],
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "value": str(e.value), "message": str(e.message)}
            for e in outcome.errors[:MAX_REPORTED_ERRORS]
        ],
        "error_count": len(outcome.errors),
    }


def job_import_context(job, user) -> dict | None:
    """The import part of a job page: the spec's links and whether this user may confirm now."""
    from .choices import JobStatus

    spec_class = spec_for(job.kind)
    if spec_class is None:
        return None
    return {
        "spec": spec_class,
        "step": job.params.get("step", PREVIEW),
        "upload_url": spec_class.url("upload"),
        "list_url": spec_class.url("list"),
        "list_label": spec_class.list_label,
        "may_confirm": (
            job.status == JobStatus.DONE
            and job.params.get("step") == PREVIEW
            and not job.result.get("error_count")
            and job.created_by_id == user.pk
            and spec_class.may_import(user)
        ),
    }

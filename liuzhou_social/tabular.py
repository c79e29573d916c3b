"""Reading uploaded tables (csv or xlsx) row by row, and writing safe spreadsheet cells.

Imports stream: xlsx is opened read-only, csv is decoded line by line, so a large upload is
never held in memory twice.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class TableFormatError(ValueError):
    """The upload is not a readable table (wrong type, corrupt, empty, missing headers)."""


@dataclass
class RowError:
    row: int
    column: str
    value: object
    message: str
    sheet: str = ""

    def as_text(self) -> str:
        where = (
            _("sheet %(sheet)s, row %(row)s") % {"sheet": self.sheet, "row": self.row}
            if self.sheet
            else (_("row %(row)s") % {"row": self.row})
        )
        return _("%(where)s, column “%(column)s”, value “%(value)s”: %(message)s") % {
            "where": where,
            "column": self.column,
            "value": "" if self.value is None else self.value,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def cell_text(value) -> str:
    """A cell as trimmed text; numbers that are whole print without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def safe_cell(value):
    """A value to write into a spreadsheet so that Excel never runs it as a formula, and that the xlsx
    format can hold: control characters (which openpyxl refuses, failing the whole export) become "\ufffd"."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    elif isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # Excel has no time zones: the local time, as the page shows it.
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)
    return value


def import_file_check(upload, kinds: tuple[str, ...] = ("xlsx",)) -> str:
    """An import file is at most IMPORT_MAX_BYTES and one of ``kinds`` ("xlsx", "csv"), by its name and, for
    a workbook, by its first bytes and the sizes it unpacks to; returns the kind or raises TableFormatError saying
    what is wrong."""
    from .validators import upload_type

    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size > settings.IMPORT_MAX_BYTES:
        raise TableFormatError(
            _("The file is too large (%(size)s MB); at most %(max)s MB may be uploaded.")
            % {"size": round(size / 1048576, 1), "max": settings.IMPORT_MAX_BYTES // 1048576}
        )
    name = (getattr(upload, "name", "") or "").lower()
    if "csv" in kinds and name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        if upload_type(upload, (".xlsx",)):
            xlsx_limits_check(upload)
            return "xlsx"
        raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt)."))
    if "csv" in kinds:
        raise TableFormatError(_("Unsupported file type: upload an .xlsx workbook or a .csv file."))
    raise TableFormatError(_("Only Excel workbooks (.xlsx) can be imported; download the template."))


def xlsx_limits_check(upload) -> int:
    """Before a workbook is parsed: the sizes its zip declares for its parts, uncompressed, within the limits
    (IMPORT_MAX_UNZIPPED_MB in all, IMPORT_MAX_SHARED_STRINGS_MB for the shared-string table, which a parser
    holds whole in memory). A part cannot unpack to more than it declares (the zip reader stops there and the
    check sum fails), so a small file that would unpack to gigabytes is refused here, before any parsing.
    Returns the uncompressed size."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt).")) from exc
    finally:
        upload.seek(0)
    mb = 1024 * 1024
    total = sum(m.file_size for m in members)
    strings = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if len(members) > 1000 or total > settings.IMPORT_MAX_UNZIPPED_MB * mb:
        raise TableFormatError(
            _("The workbook unpacks to %(size)s MB; at most %(max)s MB can be imported at once: split it.")
            % {"size": round(total / mb), "max": settings.IMPORT_MAX_UNZIPPED_MB}
        )
    if strings > settings.IMPORT_MAX_SHARED_STRINGS_MB * mb:
        raise TableFormatError(
            _(
                "The workbook's table of texts unpacks to %(size)s MB (at most %(max)s MB): it is not a sheet made "
                "from the template. Save the data in a new workbook from the template."
            )
            % {"size": round(strings / mb), "max": settings.IMPORT_MAX_SHARED_STRINGS_MB}
        )
    return total


def unpacked_size(upload) -> int:
    """What the parser will read: the uncompressed size of a workbook, the size of a csv file."""
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".csv"):
        return upload.size
    return xlsx_limits_check(upload)


def _too_many_rows(sheet: str) -> TableFormatError:
    return TableFormatError(
        _("The sheet %(sheet)s has more than %(max)s rows; import it in several files.")
        % {"sheet": f"“{sheet}”" if sheet else "", "max": f"{settings.IMPORT_MAX_ROWS:,}"}
    )


def _capped(rows, sheet: str):
    """The rows of a sheet, refused past IMPORT_MAX_ROWS (counted, whatever the file declares)."""
    limit = settings.IMPORT_MAX_ROWS
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise _too_many_rows(sheet)
        yield row


def detect_kind(upload) -> str:
    name = (getattr(upload, "name", "") or "").lower()
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        return "xlsx"
    if name.endswith(".xlsx"):
        raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt)."))
    if name.endswith(".csv"):
        return "csv"
    raise TableFormatError(_("Unsupported file type: upload an .xlsx workbook or a .csv file."))


class TableReader:
    """The sheets of one uploaded table, read once: an xlsx workbook opened read-only (streamed), or a csv file
    as its one sheet (named ""). ``sheet(name)`` gives (headers, rows, estimated row count); close when done."""

    def __init__(self, upload):
        self.kind = detect_kind(upload)
        self.upload = upload
        self.workbook = None
        if self.kind == "xlsx":
            xlsx_limits_check(upload)
            try:
                self.workbook = load_workbook(upload, read_only=True, data_only=True)
            except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
                raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt).")) from exc

    @property
    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames) if self.workbook is not None else [""]

    def sheet(self, name: str | None = None) -> tuple[list[str], Iterator[tuple[int, list]], int | None]:
        """Headers, an iterator of (row number, values) and the row count the file declares (None if unknown) of
        the named sheet (the first one when ``name`` is None)."""
        if self.workbook is None:
            return self._csv()
        if name is not None and name not in self.workbook.sheetnames:
            raise TableFormatError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": name})
        ws = self.workbook[name] if name is not None else self.workbook.worksheets[0]
        declared = ws.max_row - 1 if getattr(ws, "max_row", None) else None  # from the sheet's dimension tag
        if declared is not None and declared > settings.IMPORT_MAX_ROWS:
            raise _too_many_rows(ws.title)  # refused before a row is read
        rows = _capped(ws.iter_rows(values_only=True), ws.title)
        try:
            headers = [cell_text(h) for h in next(rows)]
        except StopIteration:
            return [], iter(()), 0
        return headers, ((number, list(row)) for number, row in enumerate(rows, start=2)), declared

    def _csv(self):
        self.upload.seek(0)
        reader = _capped(csv.reader(codecs.iterdecode(self.upload, "utf-8-sig")), "")
        try:
            headers = [cell_text(h) for h in next(reader)]
        except StopIteration:
            return [], iter(()), 0
        except UnicodeDecodeError:
            raise TableFormatError(_("The csv file is not UTF-8 text.")) from None
        except csv.Error as exc:
            raise TableFormatError(_("The csv file cannot be read: %(error)s") % {"error": exc}) from None

        def csv_rows():
            try:
                yield from enumerate(reader, start=2)
            except UnicodeDecodeError:
                raise TableFormatError(_("The csv file is not UTF-8 text.")) from None
            except csv.Error as exc:
                raise TableFormatError(_("The csv file cannot be read: %(error)s") % {"error": exc}) from None

        return headers, csv_rows(), None

    def close(self) -> None:
        if self.workbook is not None:
            self.workbook.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

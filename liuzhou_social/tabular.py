"""Reading uploaded tables (csv or xlsx) row by row, and writing safe spreadsheet cells.

Imports stream: xlsx is opened read-only, csv is decoded line by line, so a large upload is
never held in memory twice.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
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
        where = _("sheet %(sheet)s, row %(row)s") % {"sheet": self.sheet, "row": self.row} if self.sheet else (
            _("row %(row)s") % {"row": self.row})
        return _("%(where)s, column “%(column)s”, value “%(value)s”: %(message)s") % {
            "where": where, "column": self.column, "value": "" if self.value is None else self.value,
            "message": self.message}


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
    """A value to write into a spreadsheet so that Excel never runs it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def import_file_check(upload, kinds: tuple[str, ...] = ("xlsx",)) -> str:
    """An import file is at most IMPORT_MAX_BYTES and one of ``kinds`` ("xlsx", "csv"), by its name and, for
    a workbook, by its first bytes; returns the kind or raises TableFormatError saying what is wrong."""
    from django.conf import settings

    from .validators import upload_type

    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size > settings.IMPORT_MAX_BYTES:
        raise TableFormatError(_("The file is too large (%(size)s MB); at most %(max)s MB may be uploaded.") % {
            "size": round(size / 1048576, 1), "max": settings.IMPORT_MAX_BYTES // 1048576})
    name = (getattr(upload, "name", "") or "").lower()
    if "csv" in kinds and name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        if upload_type(upload, (".xlsx",)):
            return "xlsx"
        raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt)."))
    if "csv" in kinds:
        raise TableFormatError(_("Unsupported file type: upload an .xlsx workbook or a .csv file."))
    raise TableFormatError(_("Only Excel workbooks (.xlsx) can be imported; download the template."))


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


def iter_rows(upload, sheet: str | None = None) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """Headers and an iterator of (row number, values) over the first (or named) sheet."""
    kind = detect_kind(upload)
    if kind == "csv":
        reader = csv.reader(codecs.iterdecode(upload, "utf-8-sig"))
        try:
            headers = [cell_text(h) for h in next(reader)]
        except StopIteration:
            raise TableFormatError(_("The file is empty.")) from None
        except UnicodeDecodeError:
            raise TableFormatError(_("The csv file is not UTF-8 text.")) from None

        def csv_rows():
            try:
                for number, row in enumerate(reader, start=2):
                    yield number, row
            except UnicodeDecodeError:
                raise TableFormatError(_("The csv file is not UTF-8 text.")) from None

        return headers, csv_rows()
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableFormatError(_("The file is not a valid xlsx workbook (it may be corrupt).")) from exc
    if sheet is not None and sheet not in wb.sheetnames:
        raise TableFormatError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        headers = [cell_text(h) for h in next(rows)]
    except StopIteration:
        wb.close()
        raise TableFormatError(_("The sheet is empty.")) from None

    def xlsx_rows():
        try:
            for number, row in enumerate(rows, start=2):
                yield number, list(row)
        finally:
            wb.close()

    return headers, xlsx_rows()


def as_bytes_io(upload) -> io.BytesIO:
    upload.seek(0)
    return io.BytesIO(upload.read())

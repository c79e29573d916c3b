"""Spreadsheet export of exactly what a user may see, streamed with openpyxl's write-only mode."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from .tabular import safe_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(target, sheets: Iterable[tuple[str, list[str], Iterable[Iterable]]]) -> None:
    """Write sheets (title, headers, rows) to a path or file object; rows are consumed lazily."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.freeze_panes = "A2"
        header_cells = []
        for h in headers:
            from openpyxl.cell import WriteOnlyCell

            c = WriteOnlyCell(ws, value=str(h))
            c.font = Font(bold=True)
            header_cells.append(c)
        ws.append(header_cells)
        for row in rows:
            ws.append([safe_cell(v) for v in row])
    wb.save(target)


def xlsx_response(filename: str, headers: list[str], rows: Iterable[Iterable], title: str = "Sheet1"):
    """A download of one sheet; the workbook is built in a temporary file, not in memory."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(tmp, [(title, headers, rows)])
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_TYPE)

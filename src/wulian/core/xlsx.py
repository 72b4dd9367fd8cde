"""Every .xlsx the product writes goes through this one cell writer.

A text that a person typed (a suggestion's title, a clue's content, an audit event's target)
can start with `=`, `+`, `-` or `@`: Excel and WPS read such a cell as a formula when the file
is opened, or when someone edits the cell, and a formula such as `=HYPERLINK(…)` or a DDE call
runs with the reader's rights (CSV/formula injection). `value_cell` writes every text as a
string cell; a text that starts with one of those characters (or a tab, CR or LF, which
spreadsheet programs skip before reading a formula) also gets the cell's "quote prefix", the
same as typing `'` before it in Excel: shown exactly as written, never evaluated, still text
after an edit. Numbers, dates and booleans stay typed. Characters that XML cannot carry (control
characters other than tab, CR, LF) are dropped rather than failing the whole export.

Use `ledger(title, columns)` for a streamed ledger (write-only workbook, Chinese bold headers,
frozen header row) and `put(ws, row, column, value)` for a cell of an ordinary workbook."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a spreadsheet program may read as the start of a formula (or skip before one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
TYPED = (int, float, Decimal, bool, date, datetime, time)


def is_hostile(text: str) -> bool:
    """True for a text a spreadsheet program could read as a formula."""
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip(" \t\r\n").startswith(
        FORMULA_TRIGGERS[:4]
    )


def _text(value: Any) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _fill(cell: Cell | WriteOnlyCell, value: Any) -> Cell | WriteOnlyCell:
    if value is None:
        cell.value = None
        return cell
    if isinstance(value, TYPED):
        cell.value = value
        return cell
    text = _text(value)
    cell.value = text
    # openpyxl makes any text that starts with "=" a formula; a string cell it must stay.
    cell.data_type = "s"
    if is_hostile(text):
        cell.quotePrefix = True
    return cell


def value_cell(ws: Any, value: Any, *, bold: bool = False, center: bool = False) -> WriteOnlyCell:
    """A cell of a write-only sheet holding `value` safely."""
    cell = _fill(WriteOnlyCell(ws), value)
    if bold:
        cell.font = Font(bold=True)
    if center:
        cell.alignment = Alignment(horizontal="center")
    return cell


def put(ws: Any, row: int, column: int, value: Any) -> Cell:
    """Write `value` safely into a cell of an ordinary (not write-only) sheet."""
    return _fill(ws.cell(row=row, column=column), value)


def append(ws: Any, values: Iterable[Any]) -> None:
    """Append one row of values to a write-only sheet, each through `value_cell`."""
    ws.append([value_cell(ws, v) for v in values])


class Ledger:
    """A streamed one-sheet workbook: bold centred headers, column widths, a frozen header."""

    def __init__(self, title: str, columns: Sequence[tuple[str, int]]) -> None:
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title)
        for i, (_title, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.sheet.freeze_panes = "A2"
        self.sheet.append([value_cell(self.sheet, t, bold=True, center=True) for t, _w in columns])

    def append(self, values: Iterable[Any]) -> None:
        append(self.sheet, values)

    def save(self, path: Path | IO[bytes]) -> None:
        self.workbook.save(path)

    def getvalue(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def minute(value: datetime | None) -> str:
    """A moment in a ledger's cell: local time to the minute (`2026-06-15 10:00`), or empty."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger(title: str, columns: Sequence[tuple[str, int]]) -> Ledger:
    return Ledger(title, columns)


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

"""What every .xlsx export must do with a hostile text: read back with openpyxl, the cell is a
string cell with the text exactly as typed and the quote prefix set (Excel/WPS show it as text
and never evaluate it, even after an edit), and the sheet holds no formula at all."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

HOSTILE = '=HYPERLINK("http://evil.example/x","点此查看")'
HOSTILE_SPELLINGS = [
    HOSTILE,
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def cells_holding(content: bytes, text: str) -> list:
    """The cells (of every sheet) whose value is exactly `text`."""
    wb = load_workbook(io.BytesIO(content))
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            found += [c for c in row if c.value == text]
    return found


def assert_shown_as_text(content: bytes, text: str = HOSTILE) -> None:
    cells = cells_holding(content, text)
    assert cells, f"{text!r} is not in the workbook as typed"
    for cell in cells:
        assert cell.data_type == "s", (cell.coordinate, cell.data_type)
        assert cell.quotePrefix, cell.coordinate
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)

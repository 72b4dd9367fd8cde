"""The one cell writer of every .xlsx export (wulian.core.xlsx): hostile text is shown as text,
never evaluated; numbers and dates stay typed. The exporters' own tests sit with each app."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.xlsx_checks import HOSTILE, HOSTILE_SPELLINGS, assert_shown_as_text
from wulian.core import audit, xlsx
from wulian.core.exports import audit_trail_workbook
from wulian.core.imports import template_workbook as reference_template
from wulian.judicial.services.imports import template_workbook as judicial_template
from wulian.suggestions.imports import template_workbook as suggestions_template


@pytest.mark.parametrize("text", HOSTILE_SPELLINGS)
def test_every_formula_spelling_is_written_as_text_as_typed(text):
    sheet = xlsx.ledger("表", [("标题", 20), ("数", 8), ("日", 12)])
    sheet.append([text, -3, date(2026, 12, 6)])
    content = sheet.getvalue()
    assert_shown_as_text(content, text)
    row = next(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    assert (row[1].value, row[1].data_type) == (-3, "n")
    assert row[2].is_date and row[2].value.date() == date(2026, 12, 6)


def test_plain_text_has_no_quote_prefix_and_control_characters_do_not_break_the_file():
    sheet = xlsx.ledger("表", [("标题", 20)])
    sheet.append(["关于加装电梯的建议"])
    sheet.append(["标题\x01带控制符"])
    rows = list(load_workbook(io.BytesIO(sheet.getvalue())).active.iter_rows(min_row=2))
    assert rows[0][0].value == "关于加装电梯的建议" and not rows[0][0].quotePrefix
    assert rows[1][0].value == "标题带控制符"


@pytest.mark.django_db
def test_audit_trail_export_writes_a_hostile_target_as_text(tmp_path):
    audit.record(action="core.organisation.updated", target=("core.organisation", "1", HOSTILE))
    path = tmp_path / "trail.xlsx"
    assert audit_trail_workbook(path=path) == 1
    assert_shown_as_text(path.read_bytes())


@pytest.mark.parametrize(
    "make", [reference_template, suggestions_template, lambda: judicial_template("cases")]
)
def test_import_templates_go_through_the_same_writer(make, monkeypatch):
    calls = []
    real = xlsx.put

    def spy(ws, row, column, value):
        calls.append(value)
        return real(ws, row, column, value)

    monkeypatch.setattr(xlsx, "put", spy)
    content = make()
    assert calls and load_workbook(io.BytesIO(content)).active.max_row >= 1

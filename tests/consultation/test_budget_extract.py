"""The budget-execution extract (预算执行情况) of a 预决算 analysis: its own columns, the
execution rate and the flagged rows, all or nothing; the analysis page pages its rows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.consultation.helpers import good_row, make_analysis, workbook
from wulian.consultation import selectors, services
from wulian.consultation.models import BudgetLine
from wulian.consultation.services.imports import BUDGET_COLUMNS, BUDGET_SHEET, template_workbook
from wulian.core.access import actor_for

pytestmark = [pytest.mark.django_db]
SH = ZoneInfo("Asia/Shanghai")
HEADER = [name for _key, name, _required in BUDGET_COLUMNS]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime(2027, 3, 1, 10, 0, tzinfo=SH), tick=False):
        yield


def _import(p, analysis, data):
    return services.audit_items_import(
        actor=actor_for(p.congress_clerk), analysis_id=analysis.pk, file=data, filename="x.xlsx"
    )


def _line(unit, subject, budget, adjusted, executed):
    return [unit, "", "2080201", subject, budget, adjusted, executed, ""]


def test_the_extract_is_imported_with_its_rates_and_warnings(personas):
    analysis = make_analysis(personas, subject="budget", title="2026年市级预算执行情况联合研判")
    rows = [
        _line("市民政局", "行政运行", "1000", "", "800"),  # 80 %
        _line("市民政局", "社会福利", "1000", "1200", "300"),  # 25 % of the adjusted: low
        _line("市财政局", "一般公共服务", "500", "", "650"),  # 130 %: over
    ]
    result = _import(personas, analysis, workbook(rows, header=HEADER, sheet=BUDGET_SHEET))
    assert result.ok and result.counts == {"lines_added": 3, "warnings": 2}
    lines = list(BudgetLine.objects.order_by("row"))
    assert [line.warning for line in lines] == ["", "low", "over"]
    assert lines[1].rate == "25.0%" and lines[1].adjusted == Decimal("1200.00")
    counts = selectors.budget_counts(analysis)
    assert (counts["total"], counts["low"], counts["over"]) == (3, 1, 1)


def test_a_bad_sum_imports_nothing_and_an_audit_list_is_not_a_budget_extract(personas):
    analysis = make_analysis(personas, subject="budget")
    rows = [_line("市民政局", "行政运行", "1000", "", "800"), _line("", "x", "abc", "", "")]
    result = _import(personas, analysis, workbook(rows, header=HEADER, sheet=BUDGET_SHEET))
    assert not result.ok and BudgetLine.objects.count() == 0
    assert {e.column for e in result.errors} == {"预算单位", "年初预算数（万元）", "执行数（万元）"}
    from wulian.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        _import(personas, analysis, workbook([good_row(1)]))  # the audit list's sheet


def test_the_template_has_the_extracts_columns():
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(template_workbook(budget=True)))[BUDGET_SHEET]
    assert [c.value for c in ws[1]] == HEADER


def test_the_analysis_page_pages_its_rows(personas, client_of, settings):
    analysis = make_analysis(personas)
    _import(personas, analysis, workbook([good_row(i) for i in range(1, 61)]))
    client = client_of(personas.congress_clerk)
    first = client.get(analysis.get_absolute_url()).content.decode()
    assert "问题50<" in first and "问题51<" not in first and 'rel="next"' in first
    page = selectors.analysis_items(analysis=analysis, after=None)
    second = client.get(f"{analysis.get_absolute_url()}?after={page.next_after}").content.decode()
    assert "问题51<" in second and "问题60<" in second and "问题50<" not in second
    assert 'rel="next"' not in second and 'rel="first"' in second

"""Import of the 行风政风评议 grades (.xlsx, one sheet 行风政风评议) — the government's / the
CDI's conduct appraisal of the departments, shown beside the congress's result. All or
nothing, with a row-by-row report, on the core's import machinery (`wulian.core.imports`: size
and zip-bomb bounds, header checks, `RowError`).

Columns: 评议年度*, 被评议部门* (its name, short name or name without the city), 单位代码 (when
given, it decides), 评议等次* (优秀 / 良好 / 一般 / 较差), 来源. Each row names one evaluation
(department × year) the person may record the grade on; a department may appear once a year.
Only a file without problems is written, in one transaction: each evaluation's grade is set
(its version moves on) with its own audit event `evaluation.conduct.recorded`, as when the
grade is entered on its page."""

from __future__ import annotations

import hashlib
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.core import access, xlsx
from wulian.core import imports as core_imports
from wulian.core.access import Actor
from wulian.core.imports import ImportResult, RowError
from wulian.core.models import Organisation
from wulian.evaluation.choices import CONDUCT_GRADES
from wulian.evaluation.models import Evaluation
from wulian.evaluation.services import conduct_apply

SHEET = "行风政风评议"
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("year", "评议年度", True),
    ("department", "被评议部门", True),
    ("code", "单位代码", False),
    ("grade", "评议等次", True),
    ("source", "来源", False),
)
ACTION = "evaluation.evaluation.conduct"


def _year(value: str) -> int | None:
    text = value.strip().removesuffix("年").removesuffix(".0")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def _department(name: str, code: str, orgs: list[Organisation]) -> Organisation | None:
    from wulian.evaluation.services import same_department

    if code:
        return next((o for o in orgs if o.code == code), None)
    found = [o for o in orgs if same_department(name, o)]
    return found[0] if len(found) == 1 else None


def check_rows(
    actor: Actor, sheet: core_imports.Sheet, errors: list[RowError]
) -> list[tuple[int, str, str, int]]:
    """Every row checked: (evaluation id, grade, source, row number) per row, or problems in
    `errors`."""
    checker = core_imports._Checker(errors)
    years = {_year(r.get("year")) for r in sheet.rows} - {None}
    evaluations = list(
        Evaluation.objects.filter(year__in=years)
        .select_related("department")
        .prefetch_related("team")
    )
    orgs = list({e.department_id: e.department for e in evaluations}.values())
    by_key = {(e.department_id, e.year): e for e in evaluations}
    seen: dict[int, int] = {}
    planned: list[tuple[int, str, str, int]] = []
    for row in sheet.rows if sheet.header_ok else []:
        n = row.number
        year = _year(row.get("year"))
        if year is None:
            checker.add(SHEET, n, "评议年度", _("请填写四位数字的年度，例如 2023。"))
        grade = row.get("grade")
        if grade not in CONDUCT_GRADES:
            checker.add(
                SHEET,
                n,
                "评议等次",
                _("“%(g)s”不是有效的等次。请填写以下之一：%(a)s。")
                % {"g": grade, "a": "、".join(CONDUCT_GRADES)},
            )
        source = row.get("source")
        if len(source) > 200:
            checker.add(SHEET, n, "来源", _("不能超过 %(n)d 个字。") % {"n": 200})
        name, code = row.get("department"), row.get("code")
        department = _department(name, code, orgs) if year is not None else None
        evaluation = by_key.get((department.pk, year)) if department and year else None
        if year is not None and evaluation is None:
            checker.add(
                SHEET,
                n,
                "单位代码" if code else "被评议部门",
                _("%(y)d年度没有对“%(d)s”的工作评议：请核对部门名称（或单位代码）和年度。")
                % {"y": year, "d": code or name},
            )
        elif evaluation is not None:
            if not access.can(actor, ACTION, evaluation):
                checker.add(
                    SHEET,
                    n,
                    "被评议部门",
                    _("您无权登记“%(t)s”的行风政风评议等次。") % {"t": evaluation.title},
                )
            if evaluation.pk in seen:
                checker.add(
                    SHEET,
                    n,
                    "被评议部门",
                    _("与第 %(r)d 行重复：同一部门同一年度只能有一个等次。")
                    % {"r": seen[evaluation.pk]},
                )
            seen.setdefault(evaluation.pk, n)
            planned.append((evaluation.pk, grade, source, n))
    return planned


def conduct_import(*, actor: Actor, file: IO[bytes] | bytes, filename: str = "") -> ImportResult:
    """Check every row; record all the grades, or none when any row is wrong (the result's
    errors say where and what to fix)."""
    actor = access.require(actor, ACTION)
    data = core_imports.read_upload(file)
    sheet, errors = core_imports.read_one_sheet(data, SHEET, COLUMNS)
    result = ImportResult(errors=errors)
    planned = check_rows(actor, sheet, result.errors)
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        rows = Evaluation.objects.select_for_update().in_bulk([p[0] for p in planned])
        for pk, grade, source, number in planned:
            conduct_apply(
                actor, rows[pk], grade, source, file=filename[-200:], row=number, sha256=digest
            )
    result.counts = {"grades": len(planned)}
    return result


def summary(result: ImportResult) -> str:
    return _("已登记 %(n)d 个部门的行风政风评议等次") % {"n": result.counts.get("grades", 0)}


_NOTES = {
    "评议年度": "必填。四位数字，例如 2023。",
    "被评议部门": "必填。部门全称或简称，例如 市民政局。",
    "单位代码": "系统中的单位代码；填写时以单位代码为准。",
    "评议等次": "必填。可填：" + "、".join(CONDUCT_GRADES),
    "来源": "例如 2023年度市直部门行风政风评议。",
}
TEMPLATE_NAME = gettext_lazy("行风政风评议等次导入模板.xlsx")


def template_workbook() -> bytes:
    """The empty template, with a note on each column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.freeze_panes = "A2"
    for col, (_key, name, _required) in enumerate(COLUMNS, start=1):
        cell = xlsx.put(ws, 1, col, name)
        cell.font = Font(bold=True)
        cell.comment = Comment(_NOTES[name], "五联")
    return xlsx.workbook_bytes(wb)

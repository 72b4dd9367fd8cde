"""Import of an audit-rectification list or a budget-execution extract into a joint analysis
— all or nothing, with a row-by-row report, on the core's import machinery
(`wulian.core.imports`: size and zip-bomb bounds, header checks, `RowError`). An analysis of
预决算 takes a budget-execution extract, the others an audit-rectification list. A workbook
over `core.background.threshold()` rows runs in the worker with a progress bar
(`wulian.core.background`, kind `consultation.audit_import`).

The audit list (sheet 审计整改清单): 被审计单位*, 单位代码, 问题类别*, 问题描述*, 涉及金额（万元）,
整改要求, 整改期限, 整改状态* (已整改 / 整改中 / 未整改).
The budget extract (sheet 预算执行情况): 预算单位*, 单位代码, 科目编码, 科目名称*,
年初预算数（万元）*, 调整预算数（万元）, 执行数（万元）*, 说明; a row whose execution rate (of the
adjusted budget where given) is under `BUDGET_LOW_RATE` % or over 100 % is flagged (预警).
Every row is checked first; only a file without problems is written (in one transaction, as
one numbered batch of the analysis)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.consultation.choices import AnalysisState, AnalysisSubject, BudgetWarning, ItemStatus
from wulian.consultation.models import Analysis, AuditItem, BudgetLine
from wulian.core import access, audit, xlsx
from wulian.core import imports as core_imports
from wulian.core.access import Actor
from wulian.core.errors import TransitionNotAllowed, ValidationFailed
from wulian.core.imports import ImportResult, RowError
from wulian.core.models import Organisation

SHEET = "审计整改清单"
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("unit_name", "被审计单位", True),
    ("unit_code", "单位代码", False),
    ("category", "问题类别", True),
    ("problem", "问题描述", True),
    ("amount", "涉及金额（万元）", False),
    ("requirement", "整改要求", False),
    ("deadline", "整改期限", False),
    ("status", "整改状态", True),
)
_LIMITS = {"unit_name": 200, "category": 100, "problem": 2000, "requirement": 2000}

BUDGET_SHEET = "预算执行情况"
BUDGET_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("unit_name", "预算单位", True),
    ("unit_code", "单位代码", False),
    ("subject_code", "科目编码", False),
    ("subject", "科目名称", True),
    ("budget", "年初预算数（万元）", True),
    ("adjusted", "调整预算数（万元）", False),
    ("executed", "执行数（万元）", True),
    ("note", "说明", False),
)
_BUDGET_LIMITS = {"unit_name": 200, "subject_code": 32, "subject": 200, "note": 2000}
# Under this execution rate (%) a row is flagged 执行率偏低; over 100 % 超预算执行.
BUDGET_LOW_RATE = Decimal("50")
BACKGROUND_KIND = "consultation.audit_import"
_WRITE_CHUNK = 2000


def _amount(value: str) -> Decimal | str | None:
    if not value:
        return None
    try:
        amount = Decimal(value.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return "invalid"
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        return "invalid"
    return amount.quantize(Decimal("0.01"))


def _deadline(value: str) -> date | str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return "invalid"


def check_rows(
    sheet: core_imports.Sheet, errors: list[RowError], tick: Callable[[int], None]
) -> list[AuditItem]:
    """Every row checked; the items to write (unsaved), or problems in `errors`."""
    checker = core_imports._Checker(errors)
    units = dict(Organisation.objects.filter(is_active=True).values_list("code", "pk"))
    items: list[AuditItem] = []
    for i, row in enumerate(sheet.rows if sheet.header_ok else [], start=1):
        if i % 200 == 0:
            tick(i // 2)
        n = row.number
        for key, limit in _LIMITS.items():
            if len(row.get(key)) > limit:
                column = next(name for k, name, _r in COLUMNS if k == key)
                checker.add(SHEET, n, column, _("不能超过 %(n)d 个字。") % {"n": limit})
        for key, column in (
            ("unit_name", "被审计单位"),
            ("category", "问题类别"),
            ("problem", "问题描述"),
        ):
            if not row.get(key):
                checker.add(SHEET, n, column, _("必填，请填写%(c)s。") % {"c": column})
        status = checker.choice(SHEET, row, "status", "整改状态", ItemStatus)
        if not row.get("status"):
            checker.add(SHEET, n, "整改状态", _("必填，请填写已整改、整改中或未整改。"))
        code = row.get("unit_code")
        if code and code not in units:
            checker.add(
                SHEET, n, "单位代码", _("“%(c)s”不是系统中的单位代码，可留空。") % {"c": code}
            )
        amount = _amount(row.get("amount"))
        if amount == "invalid":
            checker.add(SHEET, n, "涉及金额（万元）", _("请填写不小于 0 的数字，例如 125.5。"))
        deadline = _deadline(row.get("deadline"))
        if deadline == "invalid":
            checker.add(SHEET, n, "整改期限", _("请填写日期，例如 2024-06-30。"))
        items.append(
            AuditItem(
                row=n,
                unit_name=row.get("unit_name")[:200],
                unit_id=units.get(code),
                category=row.get("category")[:100],
                problem=row.get("problem"),
                amount=amount if isinstance(amount, Decimal) else None,
                requirement=row.get("requirement"),
                deadline=deadline if isinstance(deadline, date) else None,
                status=status or ItemStatus.NOT_STARTED,
            )
        )
    return items


def _warning(budget: Decimal, adjusted: Decimal | None, executed: Decimal) -> str:
    base = adjusted if adjusted is not None else budget
    if not base:
        return BudgetWarning.OVER if executed > 0 else ""
    rate = executed * 100 / base
    if rate > 100:
        return BudgetWarning.OVER
    return BudgetWarning.LOW if rate < BUDGET_LOW_RATE else ""


def check_budget_rows(
    sheet: core_imports.Sheet, errors: list[RowError], tick: Callable[[int], None]
) -> list[BudgetLine]:
    """Every row of a budget-execution extract checked; the lines to write (unsaved)."""
    checker = core_imports._Checker(errors)
    units = dict(Organisation.objects.filter(is_active=True).values_list("code", "pk"))
    lines: list[BudgetLine] = []
    money_hint = _("请填写不小于 0 的数字（万元），例如 125.5。")
    for i, row in enumerate(sheet.rows if sheet.header_ok else [], start=1):
        if i % 200 == 0:
            tick(i // 2)
        n = row.number
        for key, limit in _BUDGET_LIMITS.items():
            if len(row.get(key)) > limit:
                column = next(name for k, name, _r in BUDGET_COLUMNS if k == key)
                checker.add(BUDGET_SHEET, n, column, _("不能超过 %(n)d 个字。") % {"n": limit})
        for key, column in (("unit_name", "预算单位"), ("subject", "科目名称")):
            if not row.get(key):
                checker.add(BUDGET_SHEET, n, column, _("必填，请填写%(c)s。") % {"c": column})
        code = row.get("unit_code")
        if code and code not in units:
            checker.add(
                BUDGET_SHEET,
                n,
                "单位代码",
                _("“%(c)s”不是系统中的单位代码，可留空。") % {"c": code},
            )
        sums: dict[str, Decimal | None] = {}
        for key, column, required in (
            ("budget", "年初预算数（万元）", True),
            ("adjusted", "调整预算数（万元）", False),
            ("executed", "执行数（万元）", True),
        ):
            value = _amount(row.get(key))
            if value == "invalid" or (required and value is None):
                checker.add(BUDGET_SHEET, n, column, money_hint)
                value = None
            sums[key] = value if isinstance(value, Decimal) else None
        budget, executed = sums["budget"], sums["executed"]
        lines.append(
            BudgetLine(
                row=n,
                unit_name=row.get("unit_name")[:200],
                unit_id=units.get(code),
                subject_code=row.get("subject_code")[:32],
                subject=row.get("subject")[:200],
                budget=budget or Decimal("0"),
                adjusted=sums["adjusted"],
                executed=executed or Decimal("0"),
                note=row.get("note"),
                warning=_warning(budget, sums["adjusted"], executed)
                if budget is not None and executed is not None
                else "",
            )
        )
    return lines


def audit_items_import(
    *,
    actor: Actor,
    analysis_id: int,
    file: IO[bytes] | bytes,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row of the list; add all of them to the analysis as one batch, or none when
    any row is wrong (the result's errors say where and what to fix)."""
    tick = progress or core_imports.no_progress
    found = Analysis.objects.filter(pk=analysis_id).first()
    if found is None:
        raise ValidationFailed(_("联合研判不存在或已被删除。"))
    actor = access.require(actor, "consultation.analysis.manage", found)
    budget = found.subject == AnalysisSubject.BUDGET
    data = core_imports.read_upload(file)
    if budget:
        sheet, errors = core_imports.read_one_sheet(data, BUDGET_SHEET, BUDGET_COLUMNS)
    else:
        sheet, errors = core_imports.read_one_sheet(data, SHEET, COLUMNS)
    result = ImportResult(errors=errors)
    items: list[Any] = (
        check_budget_rows(sheet, result.errors, tick)
        if budget
        else check_rows(sheet, result.errors, tick)
    )
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        analysis = Analysis.objects.select_for_update().get(pk=analysis_id)
        if analysis.state != AnalysisState.OPEN:
            raise TransitionNotAllowed(_("研判报告已出具，不能再导入数据。"))
        model: Any = BudgetLine if budget else AuditItem
        rows = model.objects.filter(analysis=analysis)
        batch = (rows.aggregate(m=Max("batch"))["m"] or 0) + 1
        for item in items:
            item.analysis_id, item.batch = analysis.pk, batch
        for start in range(0, len(items), _WRITE_CHUNK):
            model.objects.bulk_create(items[start : start + _WRITE_CHUNK])
            tick((len(items) + start + _WRITE_CHUNK) // 2)
        if budget:
            counts = {
                "lines_added": len(items),
                "warnings": sum(1 for line in items if line.warning),
            }
        else:
            counts = {"items_added": len(items)}
        result.counts = counts
        audit.event(
            actor,
            "consultation.analysis.imported",
            analysis,
            analysis.lead_org_id,
            after={**counts, "batch": batch, "file": filename[-200:], "sha256": digest},
        )
    return result


COUNT_LABELS = {
    "items_added": gettext_lazy("导入整改事项"),
    "lines_added": gettext_lazy("导入预算执行数据"),
    "warnings": gettext_lazy("其中预警"),
}


def summary(result: ImportResult) -> str:
    return core_imports.counts_text(result, COUNT_LABELS)


_NOTES = {
    "被审计单位": "必填。",
    "单位代码": "系统中的单位代码，可留空。",
    "问题类别": "必填。例如：预算执行、国有资产管理、政府采购。",
    "问题描述": "必填。",
    "涉及金额（万元）": "数字，例如 125.5。",
    "整改期限": "例如 2024-06-30。",
    "整改状态": "必填。可填：已整改、整改中、未整改",
}


_BUDGET_NOTES = {
    "预算单位": "必填。",
    "单位代码": "系统中的单位代码，可留空。",
    "科目编码": "功能分类科目编码，例如 2080201。",
    "科目名称": "必填。例如：行政运行、一般公共服务。",
    "年初预算数（万元）": "必填。数字，例如 1250。",
    "调整预算数（万元）": "有调整时填写；执行率按调整预算数计算。",
    "执行数（万元）": "必填。数字，例如 980.5。",
}


def template_workbook(budget: bool = False) -> bytes:
    """The empty template (the audit list's, or with `budget` the budget extract's), with a
    note on each column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = BUDGET_SHEET if budget else SHEET
    ws.freeze_panes = "A2"
    notes = _BUDGET_NOTES if budget else _NOTES
    for col, (_key, name, _required) in enumerate(BUDGET_COLUMNS if budget else COLUMNS, start=1):
        cell = xlsx.put(ws, 1, col, name)
        cell.font = Font(bold=True)
        if name in notes:
            cell.comment = Comment(notes[name], "五联")
    return xlsx.workbook_bytes(wb)


def _register() -> None:
    from wulian.core import background

    background.register_import(
        BACKGROUND_KIND,
        run=lambda actor, params, data, progress: audit_items_import(
            actor=actor,
            analysis_id=int(params["analysis_id"]),
            file=data,
            filename=str(params.get("filename", "")),
            progress=progress,
        ),
        summary=lambda result: _("导入完成：%(s)s。") % {"s": summary(result)},
    )


_register()

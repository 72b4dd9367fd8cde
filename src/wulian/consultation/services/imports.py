"""Import of an audit-rectification list or a budget-execution extract into a joint analysis
(.xlsx, one sheet 审计整改清单) — all or nothing, with a row-by-row report, on the core's import
machinery (`wulian.core.imports`: size and zip-bomb bounds, header checks, `RowError`).
A workbook over `core.background.threshold()` rows runs in the worker with a progress bar
(`wulian.core.background`, kind `consultation.audit_import`).

Columns: 被审计单位*, 单位代码, 问题类别*, 问题描述*, 涉及金额（万元）, 整改要求, 整改期限,
整改状态* (已整改 / 整改中 / 未整改). Every row is checked first; only a file without problems
is written (in one transaction, as one numbered batch of the analysis)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.consultation.choices import AnalysisState, ItemStatus
from wulian.consultation.models import Analysis, AuditItem
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
BACKGROUND_KIND = "consultation.audit_import"
_WRITE_CHUNK = 2000


def _read(data: bytes) -> tuple[core_imports.Sheet, list[RowError]]:
    core_imports.check_container(data)
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise core_imports._not_xlsx() from None
    sheet = core_imports.Sheet(SHEET)
    errors: list[RowError] = []
    try:
        names = {name.strip(): name for name in wb.sheetnames}
        if SHEET not in names:
            raise core_imports._refuse(
                _("文件中没有“%(s)s”工作表。请下载导入模板，在模板中填写后上传。") % {"s": SHEET}
            )
        try:
            core_imports.read_sheet(wb[names[SHEET]], sheet, COLUMNS, errors)
        except ValidationFailed:
            raise
        except Exception:
            raise core_imports._not_xlsx() from None
    finally:
        wb.close()
    if not errors and not sheet.rows:
        raise core_imports._refuse(
            _("文件中没有数据：请在“%(s)s”表的第二行起填写。") % {"s": SHEET}
        )
    return sheet, errors


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


def _no_progress(done: int) -> None:
    """No one follows an import run in the request."""


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
    tick = progress or _no_progress
    found = Analysis.objects.filter(pk=analysis_id).first()
    if found is None:
        raise ValidationFailed(_("联合研判不存在或已被删除。"))
    actor = access.require(actor, "consultation.analysis.manage", found)
    data = core_imports.read_upload(file)
    sheet, errors = _read(data)
    result = ImportResult(errors=errors)
    items = check_rows(sheet, result.errors, tick)
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        analysis = Analysis.objects.select_for_update().get(pk=analysis_id)
        if analysis.state != AnalysisState.OPEN:
            raise TransitionNotAllowed(_("研判报告已出具，不能再导入数据。"))
        batch = (analysis.items.aggregate(m=Max("batch"))["m"] or 0) + 1
        for item in items:
            item.analysis_id, item.batch = analysis.pk, batch
        for start in range(0, len(items), _WRITE_CHUNK):
            AuditItem.objects.bulk_create(items[start : start + _WRITE_CHUNK])
            tick((len(items) + start + _WRITE_CHUNK) // 2)
        counts = {"items_added": len(items)}
        result.counts = counts
        audit.record(
            action="consultation.analysis.imported",
            actor=actor,
            target=analysis,
            organisation_id=analysis.lead_org_id,
            after={**counts, "batch": batch, "file": filename[-200:], "sha256": digest},
        )
    return result


COUNT_LABELS = {"items_added": gettext_lazy("导入整改事项")}


def summary(result: ImportResult) -> str:
    return "，".join(f"{COUNT_LABELS.get(k, k)} {v}" for k, v in result.counts.items())


_NOTES = {
    "被审计单位": "必填。",
    "单位代码": "系统中的单位代码，可留空。",
    "问题类别": "必填。例如：预算执行、国有资产管理、政府采购。",
    "问题描述": "必填。",
    "涉及金额（万元）": "数字，例如 125.5。",
    "整改期限": "例如 2024-06-30。",
    "整改状态": "必填。可填：已整改、整改中、未整改",
}


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
        if name in _NOTES:
            cell.comment = Comment(_NOTES[name], "五联")
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

"""Import of the expert pool and of filed cases from .xlsx — all or nothing, with a row-by-row
report, on the core's import machinery (`wulian.core.imports`: size and zip-bomb bounds,
header checks, row reading, `RowError`).

- 专家 sheet: 姓名*, 专家类别*, 专业领域, 工作单位, 律师事务所, 职务, 联系电话, 电子邮箱,
  可参加情况, 入库日期. A new person per row; a name already in the pool (same name and employer)
  or repeated in the file is an error.
- 案件 sheet: 案号*, 承办单位代码*, 评查类别*, 案由, 当事人*, 承办人员*, 代理律师 — lists in one
  cell in the forms of `wulian.judicial.parsing`; the case number is checked by `caseno.parse`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wulian.core import access, audit, xlsx
from wulian.core import imports as core_imports
from wulian.core.access import Actor
from wulian.core.choices import ExpertCategory
from wulian.core.errors import ValidationFailed
from wulian.core.imports import ImportResult, RowError, split_list
from wulian.core.models import Organisation
from wulian.judicial.choices import Availability, CaseKind
from wulian.judicial.models import Expert
from wulian.judicial.policies import JUDICIAL_KINDS
from wulian.judicial.services import cases as case_services
from wulian.judicial.services import pool as pool_services

EXPERT_SHEET = "专家"
CASE_SHEET = "案件"

EXPERT_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("name", "姓名", True),
    ("category", "专家类别", True),
    ("specialties", "专业领域", False),
    ("employer", "工作单位", False),
    ("law_firm", "律师事务所", False),
    ("title", "职务", False),
    ("phone", "联系电话", False),
    ("email", "电子邮箱", False),
    ("availability", "可参加情况", False),
    ("joined_on", "入库日期", False),
)
CASE_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("number", "案号", True),
    ("court_code", "承办单位代码", True),
    ("kind", "评查类别", True),
    ("cause", "案由", False),
    ("parties", "当事人", True),
    ("judges", "承办人员", True),
    ("lawyers", "代理律师", False),
)
_EXPERT_FIELD_COLUMN = {
    "name": "姓名",
    "category": "专家类别",
    "specialties": "专业领域",
    "employer": "工作单位",
    "law_firm": "律师事务所",
    "availability": "可参加情况",
    "joined_on": "入库日期",
    "person": "姓名",
}
_CASE_FIELD_COLUMN = {
    "number": "案号",
    "court": "承办单位代码",
    "kind": "评查类别",
    "cause": "案由",
    "parties": "当事人",
    "judges": "承办人员",
    "lawyers": "代理律师",
}


@dataclass(frozen=True)
class _Kind:
    """What one of the two imports writes: its sheet, the field → column map of the service's
    refusals, the count it reports and its audit event (action, target kind)."""

    sheet: str
    columns: dict[str, str]
    counted: str
    action: str
    target: str


_EXPERTS = _Kind(
    EXPERT_SHEET,
    _EXPERT_FIELD_COLUMN,
    "experts_added",
    "judicial.experts.imported",
    "judicial.expert_import",
)
_CASES = _Kind(
    CASE_SHEET, _CASE_FIELD_COLUMN, "cases_filed", "judicial.cases.imported", "judicial.case_import"
)


def _write(
    actor: Actor,
    result: ImportResult,
    plans: list[tuple[int, dict[str, Any]]],
    add: Callable[..., Any],
    kind: _Kind,
    file: tuple[bytes, str],
    tick: Callable[[int], None],
) -> ImportResult:
    """Every checked row written through the service `add` (none when the checks found
    problems), all or none: a row the service refuses is put into the result on the kind's
    sheet and nothing is kept; otherwise one audit event with the count and the file (its
    bytes and name)."""
    if result.errors:  # a file with problems writes nothing: each said where it is
        result.errors.sort(key=lambda e: e.row)
        return result
    data, filename = file
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            for i, (number, values) in enumerate(plans, start=1):
                tick((len(plans) + i) // 2)
                try:
                    add(actor=actor, data=values)
                except ValidationFailed as exc:
                    _put(result.errors, kind.sheet, number, exc, kind.columns)
            if result.errors:
                transaction.set_rollback(True)
                return result
            result.counts = {kind.counted: len(plans)}
            audit.event(
                actor,
                kind.action,
                (kind.target, digest[:16], filename),
                after={kind.counted: len(plans), "file": filename[-200:], "sha256": digest},
            )
    except IntegrityError:
        raise ValidationFailed(
            _("导入时数据被他人同时修改，未导入任何数据。请稍后重新上传。")
        ) from None
    return result


def _choice(checker: Any, sheet: str, row: Any, key: str, column: str, choices: Any) -> Any:
    return checker.choice(sheet, row, key, column, choices)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _put(
    errors: list[RowError], sheet: str, row: int, exc: ValidationFailed, columns: dict[str, str]
) -> None:
    for field, messages in exc.field_errors.items():
        for message in messages:
            errors.append(RowError(sheet, row, columns.get(field, ""), str(message)))
    if not exc.field_errors:
        errors.append(RowError(sheet, row, "", exc.message))


def experts_import(
    *,
    actor: Actor,
    file: IO[bytes] | bytes,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row; add all the experts, or none when any row is wrong. `progress(n)`
    follows it (half the rows' worth for checking, half for writing; background imports)."""
    tick = progress or core_imports.no_progress
    actor = access.require(actor, "judicial.expert.manage")
    data = core_imports.read_upload(file)
    sheet, errors = core_imports.read_one_sheet(data, EXPERT_SHEET, EXPERT_COLUMNS)
    result = ImportResult(errors=errors)
    checker = core_imports._Checker(result.errors)
    existing = {
        (e.profile.person.name, e.profile.employer)
        for e in Expert.objects.select_related("profile__person")
    }
    seen: dict[tuple[str, str], int] = {}
    plans: list[tuple[int, dict[str, Any]]] = []
    for i, row in enumerate(sheet.rows if sheet.header_ok else [], start=1):
        tick(i // 2)
        category = _choice(checker, EXPERT_SHEET, row, "category", "专家类别", ExpertCategory)
        availability = _choice(
            checker, EXPERT_SHEET, row, "availability", "可参加情况", Availability
        )
        joined = _date(row.get("joined_on"))
        if row.get("joined_on") and joined is None:
            checker.add(EXPERT_SHEET, row.number, "入库日期", _("请填写日期，例如 2023-03-01。"))
        key = (row.get("name"), row.get("employer"))
        if key in existing:
            checker.add(
                EXPERT_SHEET,
                row.number,
                "姓名",
                _("专家库中已有“%(n)s”（%(e)s），如需修改请在专家页面修改。")
                % {"n": key[0], "e": key[1] or _("未填工作单位")},
            )
        elif key in seen:
            checker.add(
                EXPERT_SHEET,
                row.number,
                "姓名",
                _("与第 %(r)d 行重复。") % {"r": seen[key]},
            )
        seen.setdefault(key, row.number)
        values = {
            "name": row.get("name"),
            "category": category or "",
            "specialties": split_list(row.get("specialties")),
            "employer": row.get("employer"),
            "law_firm": row.get("law_firm"),
            "title": row.get("title"),
            "phone": row.get("phone"),
            "email": row.get("email"),
            "availability": availability or Availability.AVAILABLE,
            "joined_on": joined,
        }
        if category:
            try:
                pool_services._clean(values)
            except ValidationFailed as exc:
                _put(result.errors, EXPERT_SHEET, row.number, exc, _EXPERT_FIELD_COLUMN)
        plans.append((row.number, values))
    return _write(actor, result, plans, pool_services.expert_add, _EXPERTS, (data, filename), tick)


def cases_import(
    *,
    actor: Actor,
    file: IO[bytes] | bytes,
    filename: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row (case number, court, kind, people); file all the cases, or none."""
    tick = progress or core_imports.no_progress
    actor = access.require(actor, "judicial.case.file")
    data = core_imports.read_upload(file)
    sheet, errors = core_imports.read_one_sheet(data, CASE_SHEET, CASE_COLUMNS)
    result = ImportResult(errors=errors)
    checker = core_imports._Checker(result.errors)
    courts = {
        o.code: o.pk
        for o in Organisation.objects.filter(is_active=True, kind__in=sorted(JUDICIAL_KINDS))
    }
    numbers: dict[str, int] = {}
    plans: list[tuple[int, dict[str, Any]]] = []
    for i, row in enumerate(sheet.rows if sheet.header_ok else [], start=1):
        tick(i // 2)
        kind = _choice(checker, CASE_SHEET, row, "kind", "评查类别", CaseKind)
        code = row.get("court_code")
        if code and code not in courts:
            checker.add(
                CASE_SHEET,
                row.number,
                "承办单位代码",
                _("“%(c)s”不是系统中法院或检察院的单位代码。") % {"c": code},
            )
        values = {
            "number": row.get("number"),
            "court_id": courts.get(code),
            "kind": kind or "",
            "cause": row.get("cause"),
            "parties": row.get("parties"),
            "judges": row.get("judges"),
            "lawyers": row.get("lawyers"),
        }
        try:
            clean = case_services.clean_case(values)
        except ValidationFailed as exc:
            reported = {e.column for e in result.errors if e.row == row.number}
            for field, messages in exc.field_errors.items():
                column = _CASE_FIELD_COLUMN.get(field, "")
                if column in reported:
                    continue
                for message in messages:
                    result.errors.append(RowError(CASE_SHEET, row.number, column, str(message)))
        else:
            if clean["number"] in numbers:
                checker.add(
                    CASE_SHEET,
                    row.number,
                    "案号",
                    _("与第 %(r)d 行的案号重复。") % {"r": numbers[clean["number"]]},
                )
            numbers.setdefault(clean["number"], row.number)
        plans.append((row.number, values))
    return _write(actor, result, plans, case_services.case_file, _CASES, (data, filename), tick)


COUNT_LABELS = {"experts_added": gettext_lazy("新增专家"), "cases_filed": gettext_lazy("备案案件")}


def summary(result: ImportResult) -> str:
    return core_imports.counts_text(result, COUNT_LABELS)


_NOTES = {
    "专家类别": "必填。可填：人大代表、律师、高校教授、其他",
    "专业领域": "多个领域用顿号分隔，例如：民事、商事",
    "律师事务所": "律师类专家必填（用于回避审查）。",
    "可参加情况": "可填：可参加评查、暂不能参加。留空为可参加评查。",
    "入库日期": "例如 2023-03-01。留空为今天。",
    "案号": "必填。例如（2023）鄂02民初123号。",
    "承办单位代码": "必填。系统中法院或检察院的单位代码。",
    "评查类别": "必填。可填：涉企审判案件、执行案件、监督案件",
    "当事人": "必填。多个用顿号分隔，例如：张三（原告）、某某有限公司（被告，企业）",
    "承办人员": "必填。承办法官或检察官姓名，多个用顿号分隔。",
    "代理律师": "例如：李四（湖北某某律师事务所，代理某某有限公司）",
}


def template_workbook(kind: str) -> bytes:
    """The empty template of one sheet (kind: "experts" or "cases"), with notes per column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    title, columns = (
        (EXPERT_SHEET, EXPERT_COLUMNS) if kind == "experts" else (CASE_SHEET, CASE_COLUMNS)
    )
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.freeze_panes = "A2"
    for col, (_key, name, _required) in enumerate(columns, start=1):
        cell = xlsx.put(ws, 1, col, name)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        ws.column_dimensions[get_column_letter(col)].width = max(14, len(name) * 4)
        if name in _NOTES:
            cell.comment = Comment(_NOTES[name], "五联")
    return xlsx.workbook_bytes(wb)


# Imports over `core.background.threshold()` rows run in the worker (issue 13).
BACKGROUND_KINDS = {"experts": "judicial.experts_import", "cases": "judicial.cases_import"}


def _register() -> None:
    from wulian.core import background

    for kind, run in (("experts", experts_import), ("cases", cases_import)):
        background.register_import(
            BACKGROUND_KINDS[kind],
            run=lambda actor, params, data, progress, run=run: run(
                actor=actor, file=data, filename=str(params.get("filename", "")), progress=progress
            ),
            summary=lambda result: _("导入完成：%(s)s。") % {"s": summary(result)},
        )


_register()

"""Import of a session's suggestions from an .xlsx workbook (e.g. those received on paper
during the congress session), all or nothing.

Every row is checked first and each problem is reported as (sheet, row, column, what to fix);
only a file without problems is written, in one transaction: each suggestion numbered in its
session (the 编号 column, or the next free number), its co-signers, one audit event each
(`suggestions.suggestion.imported`). The suggestions start at 待审查 like submitted ones.

The sheet 代表建议 has the column names below in its first row (`template_workbook()`). Column
names are part of the file format and stay Chinese whatever the interface language; 类别 and
提出时间 accept the Chinese label or the code. Deputies are named by their 代表证号 (or by
name when exactly one deputy has it). The container checks (size, zip bomb, .xls) and the
reading of the sheet are the reference-data import's public API (`wulian.core.imports`).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, xlsx
from wulian.core.choices import Role
from wulian.core.errors import ValidationFailed
from wulian.core.imports import RowError, Sheet, check_container, read_sheet, read_upload
from wulian.core.models import Person
from wulian.suggestions import search
from wulian.suggestions.choices import Category, RaisedDuring
from wulian.suggestions.models import CongressSession, CoSigner, Suggestion

SHEET = "代表建议"
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("number", "编号", False),
    ("title", "标题", True),
    ("content", "内容", True),
    ("category", "类别", True),
    ("raised_during", "提出时间", False),
    ("lead", "领衔代表", True),
    ("co", "附议代表", False),
)
SEPARATORS = ("、", "，", ",", ";", "；", "\n")


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _lookup(choices: Any) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, label in choices.choices:
        table[str(value)] = value
        table[str(label)] = value
    return table


def _split(value: str) -> list[str]:
    for sep in SEPARATORS[1:]:
        value = value.replace(sep, SEPARATORS[0])
    return [v.strip() for v in value.split(SEPARATORS[0]) if v.strip()]


class _Deputies:
    """Deputies by certificate number or by name (one query)."""

    def __init__(self) -> None:
        people = (
            Person.objects.filter(
                Q(deputy__isnull=False)
                | Q(memberships__role=Role.DEPUTY, memberships__is_active=True),
                is_active=True,
            )
            .distinct()
            .values_list("pk", "name", "deputy__certificate_no")
        )
        self.by_cert: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        for pk, name, cert in people:
            if cert:
                self.by_cert[cert] = pk
            ids = self.by_name.setdefault(name, [])
            if pk not in ids:
                ids.append(pk)

    def find(self, key: str) -> tuple[int | None, str]:
        if key in self.by_cert:
            return self.by_cert[key], ""
        ids = self.by_name.get(key, [])
        if len(ids) == 1:
            return ids[0], ""
        if len(ids) > 1:
            return None, _("有 %(n)d 位代表叫“%(name)s”，请填写代表证号。") % {
                "n": len(ids),
                "name": key,
            }
        return None, _("找不到代表“%(key)s”：请填写系统中已有代表的代表证号或姓名。") % {"key": key}


def suggestions_import(
    *,
    actor: Any,
    session_id: int,
    file: IO[bytes] | bytes,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row; write all of them or none. `progress(n)` follows it (half the rows'
    worth for checking, half for writing; background imports)."""
    tick = progress or (lambda done: None)
    who = access.require(actor, "suggestions.suggestion.import")
    session = CongressSession.objects.filter(pk=session_id).first()
    if session is None:
        raise ValidationFailed(
            _("请选择届次会次。"), field_errors={"session": [_("请选择届次会次。")]}
        )
    data = read_upload(file)
    check_container(data)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any parse failure: "not a workbook we can read"
        raise ValidationFailed(
            _("无法读取该文件：它不是有效的 Excel 工作簿（.xlsx）。请使用导入模板。"),
            field_errors={"file": [_("无法读取该文件。")]},
        ) from None
    result = ImportResult()
    sheet = Sheet(SHEET)
    if SHEET not in wb.sheetnames:
        result.errors.append(
            RowError(SHEET, 1, "", _("找不到“%(s)s”工作表。请使用导入模板。") % {"s": SHEET})
        )
        return result
    read_sheet(wb[SHEET], sheet, COLUMNS, result.errors)
    if result.errors:
        return result
    if not sheet.rows:
        result.errors.append(RowError(SHEET, 2, "", _("没有要导入的建议。")))
        return result
    categories = _lookup(Category)
    periods = _lookup(RaisedDuring)
    deputies = _Deputies()
    taken = set(Suggestion.objects.filter(session=session).values_list("number", flat=True))
    seen_numbers: dict[int, int] = {}
    plans = []
    for i, row in enumerate(sheet.rows, start=1):
        tick(i // 2)
        errors_before = len(result.errors)

        def err(column: str, message: str, row=row) -> None:
            result.errors.append(RowError(SHEET, row.number, column, message))

        number = None
        if row.get("number"):
            try:
                number = int(row.get("number"))
                if number <= 0:
                    raise ValueError
            except ValueError:
                err("编号", _("编号须为正整数。"))
            else:
                if number in taken:
                    err("编号", _("本会次已有第%(n)d号建议。") % {"n": number})
                elif number in seen_numbers:
                    err(
                        "编号",
                        _("与第 %(r)d 行的编号重复。") % {"r": seen_numbers[number]},
                    )
                seen_numbers[number] = row.number
        title, content = row.get("title"), row.get("content")
        if not title:
            err("标题", _("请填写标题。"))
        if not content:
            err("内容", _("请填写内容。"))
        if len(title) > 200:
            err("标题", _("标题不能超过 200 个字。"))
        if len(content) > 20_000:
            err("内容", _("内容不能超过 20000 个字。"))
        category = categories.get(row.get("category"))
        if category is None:
            err(
                "类别",
                _("无法识别的类别。可填：%(c)s。")
                % {"c": "、".join(str(label) for _v, label in Category.choices)},
            )
        raised = RaisedDuring.RECESS
        if row.get("raised_during"):
            raised = periods.get(row.get("raised_during"))
            if raised is None:
                err("提出时间", _("请填写“大会期间”或“闭会期间”。"))
        elif session.opens_on <= timezone.localdate() <= session.closes_on:
            raised = RaisedDuring.SESSION
        lead, problem = deputies.find(row.get("lead"))
        if not row.get("lead"):
            err("领衔代表", _("请填写领衔代表的代表证号或姓名。"))
        elif problem:
            err("领衔代表", problem)
        co_ids = []
        for key in _split(row.get("co")):
            pk, problem = deputies.find(key)
            if problem:
                err("附议代表", problem)
            elif pk != lead and pk not in co_ids:
                co_ids.append(pk)
        if len(result.errors) == errors_before:
            plans.append(
                {
                    "row": row.number,
                    "number": number,
                    "title": title,
                    "content": content,
                    "category": category,
                    "raised_during": raised,
                    "lead": lead,
                    "co": co_ids,
                }
            )
    if result.errors:
        return result
    digest = hashlib.sha256(data).hexdigest()
    now = timezone.now()
    with transaction.atomic():
        session = CongressSession.objects.select_for_update().get(pk=session.pk)
        last = Suggestion.objects.filter(session=session).aggregate(m=Max("number"))["m"] or 0
        used = set(seen_numbers)
        for i, plan in enumerate(plans, start=1):
            tick((len(plans) + i) // 2)
            number = plan["number"]
            if number is None:
                last += 1
                while last in used or last in taken:
                    last += 1
                number = last
            s = Suggestion.objects.create(
                session=session,
                number=number,
                title=plan["title"],
                content=plan["content"],
                category=plan["category"],
                raised_during=plan["raised_during"],
                lead_deputy_id=plan["lead"],
                office_id=session.office_id,
                submitted_by=who.user,
                submitted_at=now,
                search_tokens=search.tokens_for(plan["title"], plan["content"]),
            )
            CoSigner.objects.bulk_create(
                [
                    CoSigner(suggestion=s, person_id=pk, position=i)
                    for i, pk in enumerate(plan["co"], start=1)
                ]
            )
            audit.event(
                who,
                "suggestions.suggestion.imported",
                s,
                s.office_id,
                after={
                    "session": session.pk,
                    "number": number,
                    "row": plan["row"],
                    "file_sha256": digest,
                    "lead_deputy": plan["lead"],
                    "co_signers": plan["co"],
                    "status": s.status,
                },
            )
    result.counts = {"created": len(plans)}
    return result


def template_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    header = [name + ("*" if required else "") for _key, name, required in COLUMNS]
    example = [
        "",
        "关于老旧小区加装电梯的建议",
        "老旧小区多为六七层楼房，没有电梯……建议简化审批、提高补贴。",
        str(Category.URBAN_RURAL.label),
        str(RaisedDuring.SESSION.label),
        "HS15-0001",
        "张三、HS15-0002",
    ]
    for row, values in enumerate((header, example), start=1):
        for col, value in enumerate(values, start=1):
            cell = xlsx.put(ws, row, col, value)
            if row == 1:
                cell.font = Font(bold=True)
    return xlsx.workbook_bytes(wb)


# Imports over `core.background.threshold()` rows run in the worker (issue 13).
BACKGROUND_KIND = "suggestions.import"


def _summary(result: ImportResult) -> str:
    return _("已导入 %(n)d 件代表建议。") % {"n": result.counts.get("created", 0)}


def _register() -> None:
    from wulian.core import background

    background.register_import(
        BACKGROUND_KIND,
        run=lambda actor, params, data, progress: suggestions_import(
            actor=actor, session_id=int(params["session"]), file=data, progress=progress
        ),
        summary=_summary,
    )


_register()

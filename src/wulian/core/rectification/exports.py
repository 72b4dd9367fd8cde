"""The rectification ledger as .xlsx (整改台账): the rows of the page, all of them, with
Chinese headers and a frozen header row. The export is an audit event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from wulian.core import access, audit, background, xlsx
from wulian.core.rectification.selectors import rectification_ledger
from wulian.core.xlsx import minute

XLSX_CONTENT_TYPE = xlsx.XLSX_CONTENT_TYPE
MAX_ROWS = 100_000


def _columns() -> list[tuple[str, int]]:
    return [
        (_("序号"), 8),
        (_("问题概述"), 40),
        (_("严重程度"), 10),
        (_("被监督单位"), 20),
        (_("提出单位"), 20),
        (_("整改责任单位"), 20),
        (_("发现日期"), 12),
        (_("状态"), 14),
        (_("计划完成日期"), 14),
        (_("整改期限"), 18),
        (_("是否逾期"), 10),
        (_("最近报送进展"), 18),
        (_("销号时间"), 18),
        (_("退回次数"), 10),
    ]


def ledger_rows(*, actor: Any, filters: dict[str, Any]) -> int:
    """How many rows the export of `filters` would write (whether it runs in the background)."""
    who = access.require(actor, "rectification.rectification.view")
    return min(MAX_ROWS, rectification_ledger(actor=who, filters=filters).count())


def ledger_workbook(
    *, actor: Any, filters: dict[str, Any], progress: Callable[[int], None] | None = None
) -> tuple[bytes, int]:
    """The workbook bytes and the number of rows. Streams the query (write-only workbook);
    `progress(rows)` follows it (a background export's progress bar)."""
    who = access.require(actor, "rectification.rectification.view")
    sheet = xlsx.ledger(_("整改台账"), _columns())
    count = 0
    rows = rectification_ledger(actor=who, filters=filters)[:MAX_ROWS]
    for rect in rows.iterator(chunk_size=2000):
        count += 1
        finding = rect.finding
        sheet.append(
            [
                count,
                finding.title,
                finding.get_severity_display(),
                finding.about_organisation.name,
                rect.raising_org.name,
                rect.responsible_org.name,
                finding.found_at.isoformat(),
                rect.get_state_display(),
                rect.planned_completion.isoformat() if rect.planned_completion else "",
                minute(rect.due_at),
                _("是") if rect.is_overdue else _("否"),
                minute(rect.last_report_at),
                minute(rect.closed_at),
                rect.reopen_count,
            ]
        )
        if progress is not None:
            progress(count)
    body = sheet.getvalue()
    audit.event(
        who,
        "rectification.ledger.exported",
        ("rectification.ledger", "", _("整改台账")),
        after={"filters": {k: v for k, v in filters.items() if v not in ("", None)}, "rows": count},
    )
    return body, count


# Exports over `core.background.threshold()` rows run in the worker (issue 13).
BACKGROUND_KIND = "rectification.ledger"
background.register(
    BACKGROUND_KIND,
    run=lambda actor, params, progress: ledger_workbook(
        actor=actor, filters=params, progress=progress
    ),
)

"""The suggestions ledger as .xlsx (代表建议台账): the rows of the page (same filters, same
scope), all of them, with Chinese headers and a frozen header row. The verdict column is there
only for those who may see verdicts. The export is an audit event."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from wulian.core import access, audit, background, xlsx
from wulian.core.xlsx import minute
from wulian.suggestions.selectors import suggestion_list, visible_filters

XLSX_CONTENT_TYPE = xlsx.XLSX_CONTENT_TYPE
MAX_ROWS = 100_000


def _columns(verdicts: bool) -> list[tuple[str, int]]:
    columns = [
        (_("届次会次"), 20),
        (_("编号"), 8),
        (_("标题"), 40),
        (_("类别"), 14),
        (_("提出时间"), 10),
        (_("领衔代表"), 12),
        (_("状态"), 14),
        (_("主办单位"), 20),
        (_("交办时间"), 18),
        (_("联系代表期限"), 18),
        (_("首次联系代表"), 18),
        (_("答复期限"), 18),
        (_("答复时间"), 18),
        (_("答复类别"), 10),
        (_("重点督办"), 8),
        (_("联系逾期"), 8),
        (_("答复逾期"), 8),
    ]
    if verdicts:
        columns.append((_("代表评价"), 10))
    return columns


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


def ledger_rows(*, actor: Any, filters: Mapping[str, Any]) -> int:
    """How many rows the export of `filters` would write (whether it runs in the background)."""
    who = access.require(actor, "suggestions.suggestion.export")
    return min(MAX_ROWS, suggestion_list(actor=who, filters=visible_filters(who, filters)).count())


def ledger_workbook(
    *, actor: Any, filters: Mapping[str, Any], progress: Callable[[int], None] | None = None
) -> tuple[bytes, int]:
    """The workbook bytes and the number of rows. Streams the query (write-only workbook);
    `progress(rows)` follows it (a background export's progress bar)."""
    who = access.require(actor, "suggestions.suggestion.export")
    verdicts = access.can(who, "suggestions.verdict.view")
    filters = visible_filters(who, filters)
    sheet = xlsx.ledger(_("代表建议台账"), _columns(verdicts))
    count = 0
    for s in suggestion_list(actor=who, filters=filters)[:MAX_ROWS].iterator(chunk_size=2000):
        count += 1
        row = [
            s.session.name,
            s.number,
            s.title,
            s.get_category_display(),
            s.get_raised_during_display(),
            s.lead_deputy.name,
            s.get_status_display(),
            s.lead_unit.name if s.lead_unit_id else "",
            minute(s.assigned_at),
            minute(s.contact_due_at),
            minute(s.first_contact_at),
            minute(s.reply_due_at),
            minute(s.replied_at),
            s.reply_category,
            _yes(s.is_key),
            _yes(s.contact_overdue),
            _yes(s.reply_overdue),
        ]
        if verdicts:
            row.append(s.get_verdict_display() if s.verdict else "")
        sheet.append(row)
        if progress is not None:
            progress(count)
    body = sheet.getvalue()
    audit.event(
        who,
        "suggestions.ledger.exported",
        ("suggestions.ledger", "", _("代表建议台账")),
        after={
            "filters": {k: filters.get(k) for k in filters if filters.get(k) not in ("", None)},
            "rows": count,
        },
    )
    return body, count


# Exports over `core.background.threshold()` rows run in the worker (issue 13).
BACKGROUND_KIND = "suggestions.ledger"
background.register(
    BACKGROUND_KIND,
    run=lambda actor, params, progress: ledger_workbook(
        actor=actor, filters=params, progress=progress
    ),
)

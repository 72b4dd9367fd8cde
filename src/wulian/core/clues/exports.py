"""The clue register as .xlsx (线索台账). Each row is what the person may see of that clue:
the content for the CDI clue officers (and the drafting office for its drafts), the status
columns only for the sending office. Every row exported is an audit event, like opening it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wulian.core import access, audit, xlsx
from wulian.core.clues import selectors, services
from wulian.core.clues.models import Clue
from wulian.core.xlsx import minute

XLSX_CONTENT_TYPE = xlsx.XLSX_CONTENT_TYPE
MAX_ROWS = 20_000


def _columns() -> list[tuple[str, int]]:
    return [
        (_("线索编号"), 16),
        (_("状态"), 10),
        (_("移送单位"), 20),
        (_("受理机关"), 16),
        (_("移送时间"), 18),
        (_("签收时间"), 18),
        (_("签收期限"), 18),
        (_("处置时间"), 18),
        (_("处置期限"), 18),
        (_("处置方式"), 12),
        (_("反馈时间"), 18),
        (_("反馈意见"), 40),
        (_("问题类别"), 16),
        (_("反映对象"), 12),
        (_("职务"), 20),
        (_("所在单位"), 20),
        (_("主要问题"), 60),
        (_("证据材料说明"), 40),
        (_("处置说明"), 40),
    ]


def clue_register_workbook(*, actor: Any, filters: dict[str, Any]) -> tuple[bytes, int]:
    who = access.require(actor, "clues.clue.view_status")
    rows = list(selectors.clue_list(actor=who, filters=filters)[:MAX_ROWS])
    full_ids = [c.pk for c in rows if access.can(who, "clues.clue.view", c)]
    full = Clue.objects.select_related("subject_organisation").in_bulk(full_ids)
    statuses = services.clue_statuses(actor=who, clues=rows)
    sheet = xlsx.ledger(_("线索台账"), _columns())
    for clue, status in zip(rows, statuses, strict=True):
        line = [
            status.number,
            status.state_label,
            status.sending_org,
            status.receiving_org,
            minute(status.transferred_at),
            minute(status.received_at),
            minute(status.receipt_due),
            minute(status.disposed_at),
            minute(status.disposition_due),
            status.disposition_label,
            minute(status.feedback_at),
            status.feedback,
        ]
        whole = full.get(clue.pk)
        if whole is not None:
            line += [
                whole.get_violation_type_display(),
                whole.subject_name,
                whole.subject_post,
                whole.subject_organisation.name if whole.subject_organisation else "",
                whole.content,
                whole.evidence,
                whole.disposition_note,
            ]
            audit.event(
                who,
                "clues.clue.viewed",
                whole,
                whole.receiving_org_id,
                after={"state": whole.state, "via": "export"},
            )
        else:
            audit.event(
                who,
                "clues.clue.status_viewed",
                clue,
                clue.sending_org_id,
                after={"state": clue.state, "via": "export"},
            )
        sheet.append(line)
    return sheet.getvalue(), len(rows)

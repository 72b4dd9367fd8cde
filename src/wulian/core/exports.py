"""Ledger exports as .xlsx (台账): the audit trail of a record or a period."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import IO

from django.utils import timezone

from wulian.core import xlsx
from wulian.core.actions import label_for
from wulian.core.models import AuditEvent

AUDIT_COLUMNS = [
    ("序号", 10),
    ("时间", 20),
    ("操作人", 16),
    ("操作", 22),
    ("操作代码", 30),
    ("对象类型", 20),
    ("对象编号", 10),
    ("对象", 30),
    ("结果", 8),
    ("变更前", 40),
    ("变更后", 40),
    ("IP", 16),
    ("请求编号", 34),
    ("哈希", 66),
]


def audit_trail_queryset(
    *,
    target_type: str = "",
    target_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
):
    qs = AuditEvent.objects.order_by("seq")
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=str(target_id))
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return qs


def audit_trail_workbook(*, path: Path | IO[bytes], **filters) -> int:
    sheet = xlsx.ledger("审计轨迹", AUDIT_COLUMNS)
    count = 0
    for ev in audit_trail_queryset(**filters).iterator(chunk_size=2000):
        sheet.append(
            [
                ev.seq,
                timezone.localtime(ev.at).strftime("%Y-%m-%d %H:%M:%S"),
                ev.actor_label,
                str(label_for(ev.action)),
                ev.action,
                ev.target_type,
                ev.target_id,
                ev.target_label,
                "成功" if ev.outcome == "success" else "失败",
                ev.before,
                ev.after,
                ev.ip,
                ev.request_id,
                ev.hash,
            ]
        )
        count += 1
    sheet.save(path)
    return count

"""How long delivered messages and read inbox items are kept (a daily job).

The outbox and the inbox grow with every notice; nothing else ever removes a row. What each
row is for, and so how long it is kept:

- an outbox row that was sent (or dropped by an administrator) answers "was I told, when, on
  which channel?" and keeps a second enqueue of the same occurrence from sending twice (the
  `key`); overlapping sweeps and retried requests happen within minutes, questions about a
  notice within weeks: `NOTIFICATION_OUTBOX_RETENTION_DAYS` (90);
- a dead row (delivery gave up) is a problem an administrator should look at on 消息投递; it
  stays longer: `NOTIFICATION_OUTBOX_DEAD_RETENTION_DAYS` (180);
- a read inbox item is the person's own history: `NOTIFICATION_READ_RETENTION_DAYS` (365).

Never removed: undelivered work (pending, failed, sending) and rows waiting for a person to
decide (uncertain), unread inbox items. The audit chain does not point at these rows: the event
that caused each notice stays in the chain for good, so purging them loses no evidence.

Safe to run twice at once: rows are claimed in chunks with `select_for_update(skip_locked)`
and deleted only if they still match (a dead row retried meanwhile is kept). One audit event
per run records what was removed and the cut-off dates.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit, jobs
from wulian.core.notifications.models import Notification, OutboxMessage, OutboxStatus

CHUNK = 1000


def _purge(queryset: QuerySet) -> int:
    """Delete the rows of `queryset` in chunks, each claimed and re-checked under a lock."""
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                queryset.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:CHUNK]
            )
            if not ids:
                return total
            _total, by_model = queryset.filter(pk__in=ids).delete()
            total += by_model.get(queryset.model._meta.label, 0)
        if len(ids) < CHUNK:
            return total


def purge(now: Any = None) -> dict[str, Any]:
    now = now or timezone.now()
    sent_before = now - timedelta(days=settings.NOTIFICATION_OUTBOX_RETENTION_DAYS)
    dead_before = now - timedelta(days=settings.NOTIFICATION_OUTBOX_DEAD_RETENTION_DAYS)
    read_before = now - timedelta(days=settings.NOTIFICATION_READ_RETENTION_DAYS)
    done = OutboxMessage.objects.filter(
        Q(status=OutboxStatus.SENT, sent_at__lt=sent_before)
        | Q(status=OutboxStatus.DROPPED, created_at__lt=sent_before)
    )
    dead = OutboxMessage.objects.filter(status=OutboxStatus.DEAD, created_at__lt=dead_before)
    read = Notification.objects.filter(read_at__isnull=False, read_at__lt=read_before)
    counts = {
        "outbox_done": _purge(done),
        "outbox_dead": _purge(dead),
        "notifications_read": _purge(read),
    }
    with transaction.atomic():
        audit.record(
            action="notifications.retention.purged",
            target=("notifications.retention", "", _("消息保留期限")),
            after={
                **counts,
                "sent_before": sent_before.isoformat(),
                "dead_before": dead_before.isoformat(),
                "read_before": read_before.isoformat(),
            },
        )
    return counts


@jobs.job("notifications.retention", every_seconds=24 * 3600)
def retention_job() -> dict[str, Any]:
    return purge()

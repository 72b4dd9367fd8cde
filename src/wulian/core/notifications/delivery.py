"""Delivering the outbox: the `notifications.deliver` job (every 10 s in `wulian worker`).

Each run:

1. rows left `sending` for longer than SENDING_TIMEOUT (the deliverer crashed mid-send) are
   settled: an at-most-once channel's row becomes `uncertain` and is never sent again by itself
   (an administrator re-sends or drops it); an idempotent channel's row (the inbox) is simply
   due again;
2. due rows (pending / failed, next_attempt_at <= now) are claimed a few at a time: locked with
   `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite's IMMEDIATE transactions serialise
   deliverers), marked `sending` with attempts + 1, and committed — before anything is sent;
3. each claimed row is sent outside any transaction, then marked `sent`, or `failed` with
   back-off (1 min, 5 min, 30 min, 2 h, 12 h), `dead` after MAX_ATTEMPTS or a refusal that
   will not pass, `uncertain` when the channel cannot say whether it arrived.

Marking is conditional on (status, attempts) as read at claim time, so a deliverer that lost a
row (settled as uncertain, retried by an administrator) never overwrites the newer state.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import jobs
from wulian.core.notifications import channels
from wulian.core.notifications.channels import DeliveryError, DeliveryUncertain
from wulian.core.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

BACKOFF: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Far longer than one claimed chunk can take (CLAIM_CHUNK × the channels' timeouts).
SENDING_TIMEOUT = timedelta(minutes=15)
CLAIM_CHUNK = 10
DUE = (OutboxStatus.PENDING, OutboxStatus.FAILED)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    uncertain: int = 0
    dropped: int = 0
    settled: int = 0  # stale `sending` rows settled at the start
    lost: int = 0  # rows whose state changed under us while sending (left as they are)
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.dead + self.uncertain + self.dropped + self.lost


def backoff_after(attempts: int) -> timedelta:
    """The wait before the next attempt, after `attempts` attempts."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def settle_stale(now: datetime | None = None) -> int:
    """Rows still `sending` long after their claim: uncertain (at-most-once channels) or due
    again (idempotent channels)."""
    now = now or timezone.now()
    stale = OutboxMessage.objects.filter(status=OutboxStatus.SENDING).filter(
        Q(claimed_at__lt=now - SENDING_TIMEOUT) | Q(claimed_at__isnull=True)
    )
    idempotent = [name for name, ch in channels.registered().items() if ch.idempotent]
    n = stale.filter(channel__in=idempotent).update(
        status=OutboxStatus.FAILED,
        next_attempt_at=now,
        last_error=_("发送中断，将重新投递（站内消息不会重复）。"),
    )
    n += stale.exclude(channel__in=idempotent).update(
        status=OutboxStatus.UNCERTAIN,
        last_error=_("发送中断，无法确认对方是否已收到；请核实后选择重发或放弃。"),
    )
    if n:
        log.warning("notifications: %d interrupted deliveries settled", n)
    return n


def claim(limit: int = CLAIM_CHUNK, now: datetime | None = None) -> list[OutboxMessage]:
    """Claim up to `limit` due rows for this deliverer and commit the claim."""
    now = now or timezone.now()
    with transaction.atomic():
        due = OutboxMessage.objects.filter(status__in=DUE, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        if not ids:
            return []
        OutboxMessage.objects.filter(id__in=ids, status__in=DUE).update(
            status=OutboxStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
        # The lock above is what makes the rows ours; matching our claim time as well keeps a
        # database without row locks from handing one row to two deliverers.
        return list(
            OutboxMessage.objects.filter(id__in=ids, status=OutboxStatus.SENDING, claimed_at=now)
            .select_related("recipient", "recipient__person", "webhook_target")
            .order_by("id")
        )


def _finish(message: OutboxMessage, *, allow_uncertain: bool = True, **fields: object) -> bool:
    """Record the outcome if the row is still ours (same attempt, not retried meanwhile).
    A row settled as uncertain while we were sending takes the outcome we now know."""
    statuses = [OutboxStatus.SENDING]
    if allow_uncertain:
        statuses.append(OutboxStatus.UNCERTAIN)
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status__in=statuses, attempts=message.attempts
    ).update(claimed_at=None, **fields)
    return updated == 1


def _error_text(message: OutboxMessage, text: str) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    return f"{stamp} #{message.attempts}: {text}"[:2000]


def send_one(message: OutboxMessage, report: DeliveryReport) -> str:
    """Send one claimed row (outside any transaction) and record the outcome."""
    now = timezone.now()
    recipient = message.recipient
    if recipient is not None and not recipient.is_active:
        ok = _finish(
            message,
            status=OutboxStatus.DROPPED,
            last_error=_error_text(message, _("收件人账号已停用，未发送。")),
        )
        report.dropped += ok
        report.lost += not ok
        return OutboxStatus.DROPPED
    try:
        channel = channels.get(message.channel)
        channel.send(message)
    except DeliveryUncertain as exc:
        outcome, error = OutboxStatus.UNCERTAIN, exc.message
    except DeliveryError as exc:
        error = exc.message
        if exc.retry and message.attempts < MAX_ATTEMPTS:
            outcome = OutboxStatus.FAILED
        else:
            outcome = OutboxStatus.DEAD
    except Exception as exc:
        # A fault in our own code: for an at-most-once channel we cannot tell whether the
        # message left, so a person decides; the inbox is simply tried again.
        log.exception("notifications: channel %s failed on message %s", message.channel, message.pk)
        error = f"{exc.__class__.__name__}: {exc}"
        idempotent = getattr(channels.registered().get(message.channel), "idempotent", False)
        if idempotent and message.attempts < MAX_ATTEMPTS:
            outcome = OutboxStatus.FAILED
        elif idempotent:
            outcome = OutboxStatus.DEAD
        else:
            outcome = OutboxStatus.UNCERTAIN
    else:
        ok = _finish(message, status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="")
        report.sent += ok
        report.lost += not ok
        return OutboxStatus.SENT

    fields: dict[str, object] = {"status": outcome, "last_error": _error_text(message, error)}
    if outcome == OutboxStatus.FAILED:
        fields["next_attempt_at"] = now + backoff_after(message.attempts)
    ok = _finish(message, **fields)
    if ok:
        setattr(report, str(outcome), getattr(report, str(outcome)) + 1)
        report.errors.append(f"{message.pk}: {error}")
    else:
        report.lost += 1
    return outcome


def deliver_due(limit: int = 200) -> DeliveryReport:
    """Deliver up to `limit` due messages. Safe to run in several processes at once."""
    report = DeliveryReport()
    report.settled = settle_stale()
    while report.attempted < limit:
        batch = claim(min(CLAIM_CHUNK, limit - report.attempted))
        if not batch:
            break
        for message in batch:
            send_one(message, report)
    if report.attempted:
        log.info(
            "notifications: sent %d, failed %d, dead %d, uncertain %d, dropped %d",
            report.sent,
            report.failed,
            report.dead,
            report.uncertain,
            report.dropped,
        )
    return report


@jobs.job("notifications.deliver", every_seconds=10)
def deliver_job() -> dict[str, Any]:
    """The periodic job: deliver what is due; the report as plain data (a Celery result
    backend, where one is configured, stores it as JSON)."""
    return dataclasses.asdict(deliver_due())

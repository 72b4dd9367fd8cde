"""Reads of notifications, each with a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Min, Q, QuerySet

from wulian.core import access
from wulian.core.access import Actor
from wulian.core.notifications import kinds
from wulian.core.notifications.channels import available_personal_channels
from wulian.core.notifications.models import (
    PROBLEM_STATUSES,
    Channel,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Preference,
    WebhookTarget,
)
from wulian.core.notifications.outbox import DEFAULT_CHANNELS


def inbox(*, actor: Actor) -> QuerySet:
    """The person's notifications: unread first, newest first."""
    qs = access.scope(actor, "notifications.inbox.view", Notification.objects.all())
    return qs.annotate(
        unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    ).order_by("-unread", "-created_at", "-id")


def unread_count(*, user: Any) -> int:
    """One indexed count (the partial index on unread rows)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


# --- Preferences --------------------------------------------------------------------------


@dataclass(frozen=True)
class PreferenceCell:
    channel: str
    label: str
    value: str  # "on" | "off" | "" (as the row above: only for kind rows)
    effective: bool


@dataclass(frozen=True)
class PreferenceRow:
    prefix: str
    label: str
    cells: list[PreferenceCell]


def preference_rows(*, actor: Actor) -> list[PreferenceRow]:
    """The grid of the preferences page: one row for everything, one per registered kind
    (and per kind the person set earlier), one column per channel this site offers."""
    access.require(actor, "notifications.preference.manage")
    user = access.as_actor(actor).user
    stored = {
        (p, c): enabled
        for p, c, enabled in Preference.objects.filter(user=user).values_list(
            "kind_prefix", "channel", "enabled"
        )
    }
    offered = available_personal_channels()
    labels = dict(Channel.choices)
    prefixes = [kinds.EVERYTHING.prefix] + [k.prefix for k in kinds.registered()]
    prefixes += sorted({p for p, _c in stored if p not in prefixes})
    rows = []
    for prefix in prefixes:
        cells = []
        for channel in offered:
            value = stored.get((prefix, channel))
            if prefix:
                default = stored.get(("", channel), channel in DEFAULT_CHANNELS)
                effective = default if value is None else value
                text = "" if value is None else ("on" if value else "off")
            else:
                effective = channel in DEFAULT_CHANNELS if value is None else value
                text = "on" if effective else "off"
            cells.append(PreferenceCell(channel, str(labels[channel]), text, effective))
        rows.append(PreferenceRow(prefix, str(kinds.label_for(prefix)), cells))
    return rows


# --- Administration -----------------------------------------------------------------------


def outbox_problems(*, actor: Actor, status: str = "") -> QuerySet:
    """Deliveries an administrator should look at (failed, dead, uncertain), newest first."""
    qs = access.scope(actor, "notifications.outbox.manage", OutboxMessage.objects.all())
    statuses = [status] if status in PROBLEM_STATUSES else list(PROBLEM_STATUSES)
    return (
        qs.filter(status__in=statuses)
        .select_related("recipient", "recipient__person", "webhook_target")
        .defer("body")
        .order_by("-id")
    )


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[str, int]
    oldest_due: Any  # the oldest due row's next_attempt_at: a stalled worker shows here

    @property
    def problems(self) -> int:
        return sum(self.counts.get(s, 0) for s in PROBLEM_STATUSES)


def outbox_summary(*, actor: Actor) -> OutboxSummary:
    qs = access.scope(actor, "notifications.outbox.manage", OutboxMessage.objects.all())
    counts = dict(
        qs.exclude(status__in=[OutboxStatus.SENT, OutboxStatus.DROPPED])
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
        .order_by()
    )
    oldest = (
        qs.filter(status=OutboxStatus.PENDING).aggregate(m=Min("next_attempt_at"))["m"]
        if counts.get(OutboxStatus.PENDING)
        else None
    )
    return OutboxSummary(counts=counts, oldest_due=oldest)


def problem_count(*, actor: Actor) -> int:
    """For the administrator's 待办: one count, only for those who may act on it."""
    if not access.can(actor, "notifications.outbox.manage"):
        return 0
    return OutboxMessage.objects.filter(status__in=PROBLEM_STATUSES).count()


def webhook_targets(*, actor: Actor) -> QuerySet:
    qs = access.scope(actor, "notifications.webhook.manage", WebhookTarget.objects.all())
    return qs.select_related("organisation").order_by("name", "id")

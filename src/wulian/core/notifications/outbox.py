"""`enqueue()` — the one way a service announces something to people.

Call it inside the service's transaction, right after `audit.record()`: the outbox rows commit
or roll back with the change. The worker delivers them after commit; nothing is sent from
inside a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from wulian.core.notifications.models import Channel, OutboxMessage, Preference

# Channels used when a person has stated no preference.
DEFAULT_CHANNELS: tuple[str, ...] = (Channel.INBOX, Channel.EMAIL)


def channels_for(user: Any, kind: str) -> list[str]:
    """The person's channels for this kind: the most specific matching preference wins."""
    prefs = list(
        Preference.objects.filter(user=user).values_list("kind_prefix", "channel", "enabled")
    )
    chosen: dict[str, tuple[int, bool]] = {}
    for prefix, channel, enabled in prefs:
        if kind.startswith(prefix):
            best = chosen.get(channel)
            if best is None or len(prefix) > best[0]:
                chosen[channel] = (len(prefix), enabled)
    result = [c for c in DEFAULT_CHANNELS if chosen.get(c, (0, True))[1]]
    result += [c for c, (_len, enabled) in chosen.items() if enabled and c not in result]
    return result


def enqueue(
    *,
    kind: str,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    dedupe: str,
) -> list[OutboxMessage]:
    """Queue a message for each recipient on each of their channels.

    `kind` is the audit action code that caused it; `dedupe` names the occurrence (e.g.
    "deadline:42:reminder:80") so that enqueueing the same occurrence twice — two overlapping
    sweeps, a retried request — creates no second message."""
    now = timezone.now()
    created = []
    for user in {u.pk: u for u in recipients if u is not None}.values():
        for channel in channels_for(user, kind):
            address = ""
            if channel == Channel.EMAIL:
                address = user.email or ""
                if not address:
                    continue
            message, was_created = OutboxMessage.objects.get_or_create(
                key=f"{dedupe}:{user.pk}:{channel}"[:200],
                defaults={
                    "channel": channel,
                    "recipient": user,
                    "address": address,
                    "kind": kind,
                    "title": title[:200],
                    "body": body,
                    "url": url[:500],
                    "next_attempt_at": now,
                },
            )
            if was_created:
                created.append(message)
    return created

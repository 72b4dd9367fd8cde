"""`enqueue()` — the one way a service announces something to people.

Call it inside the service's transaction, right after `audit.record()`: the outbox rows commit
or roll back with the change. The worker delivers them after commit; nothing is sent from
inside a transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from wulian.core import audit
from wulian.core.notifications.models import Channel, OutboxMessage, Preference, WebhookTarget

# Channels used when a person has stated no preference.
DEFAULT_CHANNELS: tuple[str, ...] = (Channel.INBOX, Channel.EMAIL)


KEY_LENGTH = OutboxMessage._meta.get_field("key").max_length


def outbox_key(dedupe: str, *parts: object) -> str:
    """`dedupe:part:part`; a dedupe too long for the column is replaced by its digest, so that
    truncation never makes two recipients or channels share a key."""
    suffix = "".join(f":{p}" for p in parts)
    if len(dedupe) + len(suffix) > KEY_LENGTH:
        dedupe = "sha256-" + hashlib.sha256(dedupe.encode()).hexdigest()
    return f"{dedupe}{suffix}"


def channels_for(user: Any, kind: str) -> list[str]:
    """The person's channels for this kind: the most specific matching preference wins.
    Only channels this site offers to people count (see `channels.available_personal_channels`:
    no e-mail without a mail server, no SMS without a gateway; robots are not personal)."""
    from wulian.core.notifications.channels import available_personal_channels

    offered = available_personal_channels()
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
    return [c for c in result if c in offered]


def _queue(created: list[OutboxMessage], key: str, said: dict[str, Any], **to: Any) -> None:
    """One message (`said`: its kind, title, body, url and the time to send it `now`) to one
    address (`to`: channel, recipient or robot, address) under `key`, added to `created`
    unless that key was queued before."""
    message, was_created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            **to,
            "kind": said["kind"],
            "title": said["title"][:200],
            "body": said["body"],
            "url": said["url"][:500],
            "next_attempt_at": said["now"],
        },
    )
    if was_created:
        created.append(message)


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
    said = {"kind": kind, "title": title, "body": body, "url": url, "now": timezone.now()}
    created: list[OutboxMessage] = []
    for user in {u.pk: u for u in recipients if u is not None}.values():
        for channel in channels_for(user, kind):
            address = ""
            if channel == Channel.EMAIL:
                address = user.email or ""
                if not address:
                    continue
            _queue(
                created,
                outbox_key(dedupe, user.pk, channel),
                said,
                channel=channel,
                recipient=user,
                address=address,
            )
    return created


def announce(
    actor: Any,
    action: str,
    target: Any,
    organisation_id: int | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    dedupe: str,
) -> None:
    """A change recorded and told at once (the audit entry is what drives the notification):
    the audit event `action` on `target` (`audit.event`), then the message of the same kind
    about it, its page as the link, queued for `recipients` (`enqueue`)."""
    audit.event(actor, action, target, organisation_id, before=before, after=after)
    enqueue(
        kind=action,
        recipients=recipients,
        title=title,
        body=body,
        url=target.get_absolute_url(),
        dedupe=dedupe,
    )


def enqueue_webhooks(
    *,
    kind: str,
    organisation_ids: Iterable[int],
    title: str,
    body: str = "",
    url: str = "",
    dedupe: str,
) -> list[OutboxMessage]:
    """Queue a message for the group robots of these organisations and the site-wide ones
    whose kind prefix matches. Call it inside the service's transaction, like `enqueue()`.

    Robots post to group chats on public SaaS (企业微信 / 钉钉): give them a short,
    non-sensitive summary and a link — never the content of a clue or of a personal record."""
    said = {"kind": kind, "title": title, "body": body, "url": url, "now": timezone.now()}
    org_ids = [i for i in organisation_ids if i is not None]
    targets = WebhookTarget.objects.filter(enabled=True).filter(
        Q(organisation__isnull=True) | Q(organisation_id__in=org_ids)
    )
    created: list[OutboxMessage] = []
    for target in targets:
        if not kind.startswith(target.kind_prefix):
            continue
        _queue(
            created,
            outbox_key(dedupe, "webhook", target.pk),
            said,
            channel=Channel.WEBHOOK,
            webhook_target=target,
            address=target.name[:500],
        )
    return created


def settle(*, url: str, user_ids: Iterable[int]) -> int:
    """The work a message asked for is done (a deadline met or cancelled): the unread in-app
    messages pointing at that work (`url`) for the people who answered for it are marked read —
    a colleague's doing counts. Messages about it that come later stay unread. Returns how many
    were marked."""
    from wulian.core.notifications.models import Notification

    ids = [int(u) for u in user_ids]
    if not url or not ids:
        return 0
    return Notification.objects.filter(recipient_id__in=ids, url=url, read_at__isnull=True).update(
        read_at=timezone.now()
    )

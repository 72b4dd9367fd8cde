"""Writes of notifications: reading one's inbox, one's preferences, and the administrator's
actions on deliveries and group robots.

Marking one's own notifications read is not audited (it changes nothing but one's own view);
everything else is.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.errors import (
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.notifications import kinds, netguard
from wulian.core.notifications.channels import available_personal_channels
from wulian.core.notifications.models import (
    PROBLEM_STATUSES,
    Channel,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Preference,
    WebhookKind,
    WebhookTarget,
)
from wulian.core.notifications.outbox import DEFAULT_CHANNELS

# --- The inbox ------------------------------------------------------------------------------


def reader_language_set(*, user: Any, language: str) -> bool:
    """Remember the interface language a signed-in person chose (the language switch), so that
    his e-mails read in it too. Only the site's languages; True when stored. A preference of
    the person's own, like the language cookie: no audit event."""
    from django.conf import settings

    from wulian.core.notifications.models import ReaderLanguage

    if user is None or not user.is_authenticated:
        return False
    if language not in {code for code, _name in settings.LANGUAGES}:
        return False
    ReaderLanguage.objects.update_or_create(user=user, defaults={"language": language})
    return True


def notification_mark_read(*, actor: Actor, notification_id: int) -> bool:
    """Mark one of the actor's own notifications read. Another person's, or one already read,
    is left as it is (and nothing says which)."""
    actor = access.require(actor, "notifications.inbox.view")
    updated = Notification.objects.filter(
        pk=notification_id, recipient_id=actor.user.pk, read_at__isnull=True
    ).update(read_at=timezone.now())
    return updated == 1


def notification_mark_all_read(*, actor: Actor) -> int:
    actor = access.require(actor, "notifications.inbox.view")
    return Notification.objects.filter(recipient_id=actor.user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_for_opening(*, actor: Actor, notification_id: int) -> Notification | None:
    """Mark it read and return it (for its link); None when it is not the actor's."""
    actor = access.require(actor, "notifications.inbox.view")
    notification = Notification.objects.filter(
        pk=notification_id, recipient_id=actor.user.pk
    ).first()
    if notification is not None and notification.read_at is None:
        notification_mark_read(actor=actor, notification_id=notification.pk)
    return notification


# --- Preferences ----------------------------------------------------------------------------


def preferences_save(
    *, actor: Actor, choices: Mapping[tuple[str, str], bool | None]
) -> dict[str, bool]:
    """Save the person's choices: {(kind_prefix, channel): True (on) | False (off) | None
    (as for everything)}. For the "" prefix None means the site default. Returns the stored
    preferences as {"prefix|channel": enabled}."""
    actor = access.require(actor, "notifications.preference.manage")
    offered = set(available_personal_channels())
    with transaction.atomic():
        rows = {
            (p.kind_prefix, p.channel): p
            for p in Preference.objects.select_for_update().filter(user_id=actor.user.pk)
        }
        allowed_prefixes = {"", *(k.prefix for k in kinds.registered()), *(p for p, _c in rows)}
        errors = [
            f"{prefix or '*'} / {channel}"
            for prefix, channel in choices
            if channel not in offered or prefix not in allowed_prefixes
        ]
        if errors:
            raise ValidationFailed(_("提交的消息类型或渠道不可选，请刷新页面后重试。"))
        before = {f"{p}|{c}": row.enabled for (p, c), row in rows.items()}
        for (prefix, channel), enabled in choices.items():
            if prefix == "" and enabled is not None and enabled == (channel in DEFAULT_CHANNELS):
                enabled = None  # the site default: store nothing
            row = rows.get((prefix, channel))
            if enabled is None:
                if row is not None:
                    row.delete()
                    del rows[(prefix, channel)]
            elif row is None:
                rows[(prefix, channel)] = Preference.objects.create(
                    user_id=actor.user.pk, kind_prefix=prefix, channel=channel, enabled=enabled
                )
            elif row.enabled != enabled:
                row.enabled = enabled
                row.save(update_fields=["enabled"])
        after = {f"{p}|{c}": row.enabled for (p, c), row in rows.items()}
        if before != after:
            audit.event(
                actor,
                "notifications.preferences.saved",
                ("accounts.user", actor.user.pk, actor.user.get_username()),
                before=before,
                after=after,
            )
    return after


# --- Deliveries (the system administrator) --------------------------------------------------


def _outbox_snapshot(message: OutboxMessage) -> dict[str, Any]:
    return {"status": message.status, "attempts": message.attempts, "channel": message.channel}


def _problem_message(actor: Actor, message_id: int) -> OutboxMessage:
    message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None or message.status not in PROBLEM_STATUSES:
        raise TransitionNotAllowed(
            _("这条投递记录已被处理（已重发、已放弃或已发送），请刷新页面查看最新状态。")
        )
    return message


def outbox_retry(*, actor: Actor, message_id: int) -> OutboxMessage:
    """Send a failed, dead or uncertain message again at the next delivery run. A message that
    used up its attempts gets one more; an uncertain one may arrive twice — the page says so."""
    actor = access.require(actor, "notifications.outbox.manage")
    with transaction.atomic():
        message = _problem_message(actor, message_id)
        before = _outbox_snapshot(message)
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "next_attempt_at"])
        audit.event(
            actor,
            "notifications.outbox.retried",
            message,
            before=before,
            after=_outbox_snapshot(message),
        )
    return message


def outbox_drop(*, actor: Actor, message_id: int) -> OutboxMessage:
    """Give up on a failed, dead or uncertain message: it is never sent (again)."""
    actor = access.require(actor, "notifications.outbox.manage")
    with transaction.atomic():
        message = _problem_message(actor, message_id)
        before = _outbox_snapshot(message)
        message.status = OutboxStatus.DROPPED
        message.save(update_fields=["status"])
        audit.event(
            actor,
            "notifications.outbox.dropped",
            message,
            before=before,
            after=_outbox_snapshot(message),
        )
    return message


# --- Group robots (the system administrator) -----------------------------------------------

WEBHOOK_FIELDS = ("name", "kind", "url", "organisation_id", "kind_prefix", "enabled")


def masked_url(url: str) -> str:
    """The URL with its query values hidden: a 企业微信 robot's key is its secret."""
    parts = urllib.parse.urlsplit(url)
    query = "&".join(
        f"{k}=***" for k, _v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    )
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _webhook_snapshot(target: WebhookTarget) -> dict[str, Any]:
    data = {f: getattr(target, f) for f in WEBHOOK_FIELDS}
    data["url"] = masked_url(target.url)
    data["secret_set"] = bool(target.secret)
    return data


def _validate_webhook(target: WebhookTarget) -> None:
    errors: dict[str, list[str]] = {}
    try:
        target.full_clean(exclude=["organisation"])
    except ValidationError as exc:
        errors.update({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    if target.url and urllib.parse.urlsplit(target.url).scheme not in {"http", "https"}:
        errors.setdefault("url", []).append(_("Webhook 地址必须以 http:// 或 https:// 开头。"))
    elif target.url and (reason := netguard.check_url(target.url)):
        errors.setdefault("url", []).append(reason)
    if target.kind == WebhookKind.WECOM and target.secret:
        errors.setdefault("secret", []).append(
            _("企业微信群机器人没有加签密钥：地址中的 key 即为密钥，此处请留空。")
        )
    if errors:
        raise ValidationFailed(_("保存失败，请按提示更正。"), field_errors=errors)


def webhook_target_create(*, actor: Actor, data: dict[str, Any]) -> WebhookTarget:
    """`data`: name, kind, url, secret, organisation_id (None: the whole site), kind_prefix,
    enabled."""
    actor = access.require(actor, "notifications.webhook.manage")
    target = WebhookTarget(**{k: v for k, v in data.items() if k in (*WEBHOOK_FIELDS, "secret")})
    _validate_webhook(target)
    with transaction.atomic():
        target.save(force_insert=True)
        audit.event(
            actor, "notifications.webhook_target.created", target, after=_webhook_snapshot(target)
        )
    return target


def webhook_target_update(
    *, actor: Actor, target_id: int, version: int, data: dict[str, Any]
) -> WebhookTarget:
    """Update a robot. `secret`: a new secret, "" to keep the stored one; `clear_secret`: True
    to remove it."""
    actor = access.require(actor, "notifications.webhook.manage")
    with transaction.atomic():
        target = WebhookTarget.objects.select_for_update().get(pk=target_id)
        if target.version != version:
            raise ConcurrentEdit(
                _("该记录已被他人修改，您的修改未保存。请刷新页面查看最新内容后再修改。")
            )
        before = _webhook_snapshot(target)
        old_secret = target.secret
        for key in WEBHOOK_FIELDS:
            if key in data:
                setattr(target, key, data[key])
        if data.get("clear_secret"):
            target.secret = ""
        elif data.get("secret"):
            target.secret = data["secret"]
        _validate_webhook(target)
        old, new = audit.diff(before, _webhook_snapshot(target))
        secret_changed = target.secret != old_secret
        if not new and not secret_changed:
            return target
        if secret_changed:
            old["secret"], new["secret"] = "***", _("已更换") if target.secret else _("已删除")
        versioned.save(
            target, "name", "kind", "url", "organisation", "kind_prefix", "enabled", "secret"
        )
        audit.event(actor, "notifications.webhook_target.updated", target, before=old, after=new)
    return target


def webhook_target_test(*, actor: Actor, target_id: int) -> OutboxMessage:
    """Queue a test message to the robot; it goes out with the next delivery run."""
    actor = access.require(actor, "notifications.webhook.manage")
    # Resolved before the row is locked (a slow name server must not hold the lock).
    url = WebhookTarget.objects.values_list("url", flat=True).get(pk=target_id)
    refused = netguard.check_url(url)
    with transaction.atomic():
        target = WebhookTarget.objects.select_for_update().get(pk=target_id)
        if refused and target.url == url:
            raise RuleViolation(refused)
        if not target.enabled:
            raise TransitionNotAllowed(_("该群机器人已停用，请先启用再发送测试消息。"))
        now = timezone.now()
        message = OutboxMessage.objects.create(
            key=f"webhook-test:{target.pk}:{now.timestamp():.6f}",
            channel=Channel.WEBHOOK,
            webhook_target=target,
            address=target.name[:500],
            kind="notifications.webhook_target.tested",
            title=_("测试消息：群机器人已接通"),
            body=_("这是一条测试消息，收到即表示配置正确。"),
            next_attempt_at=now,
        )
        audit.event(
            actor, "notifications.webhook_target.tested", target, after={"message": message.pk}
        )
    return message

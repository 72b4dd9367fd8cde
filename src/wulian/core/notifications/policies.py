"""Access rules of notifications: a person's own inbox and preferences; the delivery problems
and the group robots are the system administrator's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from wulian.core.access import Actor, rule, scope_rule
from wulian.core.choices import Role


@rule("notifications.inbox.view", describe="own in-app notifications: every signed-in person")
def _inbox(actor: Actor, obj: Any) -> bool:
    if obj is not None:
        return actor.is_authenticated and obj.recipient_id == actor.user.pk
    return actor.is_authenticated


@scope_rule("notifications.inbox.view")
def _inbox_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs.filter(recipient_id=actor.user.pk)


@rule("notifications.preference.manage", describe="own notification preferences")
def _preferences(actor: Actor, obj: Any) -> bool:
    return actor.is_authenticated


@rule(
    "notifications.outbox.manage",
    describe="failed, dead and interrupted deliveries: the system administrator",
)
def _outbox(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN


@scope_rule("notifications.outbox.manage")
def _outbox_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if actor.admin_role == Role.SYSTEM_ADMIN else qs.none()


@rule(
    "notifications.webhook.manage",
    describe="企业微信 / 钉钉 group robots: the system administrator",
)
def _webhooks(actor: Actor, obj: Any) -> bool:
    return actor.admin_role == Role.SYSTEM_ADMIN


@scope_rule("notifications.webhook.manage")
def _webhooks_scope(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if actor.admin_role == Role.SYSTEM_ADMIN else qs.none()

"""Delivery channels behind one small interface.

A channel is any object with a `name`, an `idempotent` flag and `send(message) -> None`.
`send` returns when the message was handed over, and raises `DeliveryError` when it was not:
`retry=True` for a passing fault (server busy, connection refused), `retry=False` for one that
will not pass by itself (address refused, robot deleted). `DeliveryUncertain` says the message
may or may not have arrived (the request went out, no answer came back): the deliverer never
sends it again by itself — an administrator decides.

`idempotent` channels (the in-app inbox) may be run twice for one message without showing it
twice, so a crash half-way through is simply delivered again. The others (e-mail, robots, SMS)
are at-most-once: a message found still `sending` after a crash becomes `uncertain`.

Register a channel with `register(channel)`; `get(name)` finds it. `wulian.core.notifications`
registers the four built-in ones (inbox, email, webhook, sms).
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from wulian.core.notifications.common import DeliveryError, DeliveryUncertain, absolute_url
from wulian.core.notifications.models import Channel as ChannelName
from wulian.core.notifications.models import Notification, OutboxMessage

log = logging.getLogger(__name__)


@runtime_checkable
class Channel(Protocol):
    name: str
    idempotent: bool

    def send(self, message: OutboxMessage) -> None: ...


_channels: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Register (or replace) the channel under its name."""
    _channels[channel.name] = channel
    return channel


def get(name: str) -> Channel:
    try:
        return _channels[name]
    except KeyError:
        raise DeliveryError(f"no channel is registered for {name!r}", retry=False) from None


def registered() -> dict[str, Channel]:
    return dict(_channels)


def available_personal_channels() -> list[str]:
    """The channels a person may choose on this site: the inbox always, e-mail when a mail
    server is configured, SMS when a gateway is configured (WULIAN_SMS_GATEWAY)."""
    result = [ChannelName.INBOX.value]
    if settings.EMAIL_HOST:
        result.append(ChannelName.EMAIL.value)
    if settings.SMS_GATEWAY:
        result.append(ChannelName.SMS.value)
    return result


# --- In-app inbox -------------------------------------------------------------------------


class InboxChannel:
    """Creates the person's Notification. The row is one-to-one with the outbox message, so a
    second run finds it and creates none: delivered exactly once."""

    name = ChannelName.INBOX.value
    idempotent = True

    def send(self, message: OutboxMessage) -> None:
        if message.recipient_id is None:
            raise DeliveryError(_("站内消息没有收件人。"), retry=False)
        with transaction.atomic():
            Notification.objects.get_or_create(
                outbox=message,
                defaults={
                    "recipient_id": message.recipient_id,
                    "kind": message.kind,
                    "title": message.title,
                    "body": message.body,
                    "url": message.url,
                },
            )


# --- E-mail -------------------------------------------------------------------------------


def reader_title(message: OutboxMessage) -> str:
    """The message's title in the language its recipient last chose for the interface
    (`ReaderLanguage`; the site's language when he never chose one)."""
    from django.utils import translation

    from wulian.core.deadlines import titles
    from wulian.core.notifications.models import ReaderLanguage

    language = (
        ReaderLanguage.objects.filter(user_id=message.recipient_id)
        .values_list("language", flat=True)
        .first()
        if message.recipient_id
        else None
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        return titles.display(message.title)


def message_id(key: str) -> str:
    """The same Message-ID for every attempt of one outbox message, so that a mail client
    shows a message that was (in the worst case) accepted twice as one."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "wulian.localhost"
    return f"<{digest}.wulian@{domain}>"


class EmailChannel:
    """Plain-text e-mail through Django's mail backend (EMAIL_HOST and friends)."""

    name = ChannelName.EMAIL.value
    idempotent = False

    def send(self, message: OutboxMessage) -> None:
        if not message.address:
            raise DeliveryError(_("收件人没有电子邮箱地址。"), retry=False)
        link = absolute_url(message.url)
        body = "\n\n".join(part for part in (message.body, link) if part)
        email = EmailMessage(
            subject=f"[{settings.SITE_NAME}] {reader_title(message)}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            headers={"Message-ID": message_id(message.key)},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPResponseException as exc:
            # 5xx: refused for good (no such mailbox, message rejected); 4xx: try again later.
            text = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            raise DeliveryError(text, retry=not 500 <= exc.smtp_code < 600) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(
                f"SMTP recipients refused: {exc.recipients!r}", retry=False
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Connection refused, timeout, TLS failure: the server did not take the message.
            raise DeliveryError(f"SMTP: {exc.__class__.__name__}: {exc}", retry=True) from exc


# --- Group robots ---------------------------------------------------------------------------


class WebhookChannel:
    """企业微信 / 钉钉 group robots and generic JSON endpoints (`webhooks.post`)."""

    name = ChannelName.WEBHOOK.value
    idempotent = False

    def send(self, message: OutboxMessage) -> None:
        from wulian.core.notifications import webhooks

        target = message.webhook_target
        if target is None:
            raise DeliveryError(_("群机器人已被删除。"), retry=False)
        if not target.enabled:
            raise DeliveryError(_("群机器人已停用。"), retry=False)
        webhooks.post(target, webhooks.payload(target.kind, message), key=message.key)


# --- SMS ------------------------------------------------------------------------------------


class SmsChannel:
    """Text messages through the site's gateway (`wulian.core.notifications.sms`)."""

    name = ChannelName.SMS.value
    idempotent = False

    def send(self, message: OutboxMessage) -> None:
        from wulian.core.notifications import sms

        phone = message.address or sms.phone_of(message.recipient)
        if not phone:
            raise DeliveryError(_("收件人没有登记手机号码。"), retry=False)
        text = f"{message.title} {absolute_url(message.url)}".strip()
        sms.gateway().send(phone=phone, text=text, key=message.key)


for _channel in (InboxChannel(), EmailChannel(), WebhookChannel(), SmsChannel()):
    register(_channel)

__all__ = [
    "Channel",
    "DeliveryError",
    "DeliveryUncertain",
    "absolute_url",
    "available_personal_channels",
    "get",
    "register",
    "registered",
]

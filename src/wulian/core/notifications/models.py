"""Notifications: an outbox written in the same transaction as the state change, delivered
after commit by the worker to each channel (in-app inbox, e-mail, group-robot webhook, SMS)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wulian.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人")
    SMS = "sms", _("短信")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败，待重试")
    DEAD = "dead", _("多次失败，已停止")
    UNCERTAIN = "uncertain", _("发送中断，待人工确认")
    DROPPED = "dropped", _("已放弃")


# Statuses an administrator looks at: retry or drop each.
PROBLEM_STATUSES = (OutboxStatus.FAILED, OutboxStatus.DEAD, OutboxStatus.UNCERTAIN)


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    GENERIC = "generic", _("通用 JSON 回调")


class WebhookTarget(models.Model):
    """A group robot (企业微信 / 钉钉) or a generic JSON endpoint that receives notices of one
    organisation, or of the whole site when `organisation` is empty. Managed by the system
    administrator. The secret (钉钉 加签 secret, or the HMAC key of a generic endpoint) is
    never shown again once saved; for 企业微信 the `key` in the URL is the secret."""

    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=16, choices=WebhookKind.choices)
    # Both encrypted at rest (SM4-GCM, the field key): the 企业微信 key is in the URL.
    url = EncryptedTextField(
        _("Webhook 地址"), validators=[URLValidator(), MaxLengthValidator(500)]
    )
    secret = EncryptedTextField(_("加签密钥"), blank=True, validators=[MaxLengthValidator(200)])
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="webhook_targets",
    )
    kind_prefix = models.CharField(_("消息类型前缀"), max_length=100, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = _("群机器人")

    def __str__(self) -> str:
        return self.name


class OutboxMessage(models.Model):
    """One message for one recipient on one channel. `key` makes enqueueing idempotent: the
    same event never produces the same message twice."""

    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
    )
    address = models.CharField(max_length=500, blank=True)  # e-mail, webhook URL, phone
    kind = models.CharField(max_length=100)  # the audit action code that caused it
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When a deliverer marked the row `sending`; a row still sending long after is uncertain.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The robot of a webhook message (its URL and secret are read at send time, never copied).
    webhook_target = models.ForeignKey(
        WebhookTarget,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="outbox_due_idx",
            ),
            models.Index(fields=["status", "channel"]),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="outbox_sending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient_id or self.address}: {self.title}"

    @property
    def display_title(self) -> str:
        """The title in the reader's language (composed again from its msgid in English)."""
        from wulian.core.deadlines import titles

        return titles.display(self.title)


class Notification(models.Model):
    """An item in a person's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    outbox = models.OneToOneField(
        OutboxMessage, null=True, on_delete=models.SET_NULL, related_name="notification"
    )
    kind = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the reader's language (composed again from its msgid in English)."""
        from wulian.core.deadlines import titles

        return titles.display(self.title)


class ReaderLanguage(models.Model):
    """The language a person last chose for the interface, so that what is sent to him when
    he is not on a page (e-mails) reads in it too. No row: the site's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reader_language",
    )
    language = models.CharField(max_length=16)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class Preference(models.Model):
    """Which channels a person wants, per notification kind prefix ('' = everything)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind_prefix = models.CharField(max_length=100, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind_prefix", "channel"], name="notification_pref_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind_prefix or '*'} {self.channel}={self.enabled}"

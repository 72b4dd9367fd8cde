"""Notifications: an outbox written in the same transaction as the state change, delivered
after commit by the worker to each channel (in-app inbox, e-mail, group-robot webhook, SMS)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="outbox_due_idx",
            ),
            models.Index(fields=["status", "channel"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient_id or self.address}: {self.title}"


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

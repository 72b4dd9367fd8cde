from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A sign-in account. The person behind it (name, memberships) is `core.Person`."""

    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    # The security administrator's recorded allowance of API tokens longer than a day for a
    # person whose role needs a second factor (`account_allow_long_tokens`); None: a day.
    api_token_days_allowed = models.PositiveIntegerField(
        _("API 令牌有效天数（经安全管理员准许）"), null=True, blank=True
    )

    class Meta:
        verbose_name = verbose_name_plural = _("账号")

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class UserSession(models.Model):
    """Which signed-in sessions belong to whom, so that ending a person's sessions (on
    deactivation, password change or by the security administrator) is one indexed delete.

    Written by the sign-in view right after `login()`. The row goes with its session: the
    foreign key cascades when Django deletes the session (sign-out, expiry, `clearsessions`,
    key rotation)."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="owner", db_column="session_key"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    created_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = _("会话")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def session_key(self) -> str:
        return self.session_id


class LoginFailure(models.Model):
    """A refused sign-in from an address, for the per-address throttle (the per-account
    lock-out is on the user). Rows older than the throttle's window are deleted as new ones
    come in."""

    ip = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"])]

    def __str__(self) -> str:
        return f"{self.ip} · {self.at:%Y-%m-%d %H:%M:%S}"

"""Account actions: sign-in with lock-out, second factor, passwords, API tokens, and the
security administrator's actions on other accounts. Each is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from wulian.accounts.models import ApiToken, User
from wulian.core import access, audit
from wulian.core.errors import DomainError, ValidationFailed


class LoginRefused(DomainError):
    status = 401
    code = "login_refused"


def login_attempt(*, username: str, password: str) -> User:
    """Check a username and password. Counts failures and locks the account after
    LOCKOUT_THRESHOLD of them in a row; a locked account is refused even with the right
    password. Raises LoginRefused with a message for the sign-in page."""
    generic = _("用户名或密码错误。")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None or not user.is_active:
            # Same work as a real check, so that timing does not reveal unknown names.
            User().set_password(password)
            audit.record(
                action="accounts.login.failed",
                target=("accounts.user", "", username),
                after={"reason": "unknown_or_inactive"},
                outcome="failure",
            )
            raise LoginRefused(generic)
        if user.is_locked():
            audit.record(
                action="accounts.login.refused_locked",
                actor=None,
                target=user,
                outcome="failure",
            )
            until = date_format(timezone.localtime(user.locked_until), "H:i")
            raise LoginRefused(
                _("账号因连续登录失败已被锁定，请于 %(t)s 后再试，或联系安全管理员解锁。")
                % {"t": until}
            )
        if not user.check_password(password):
            user.failed_login_count = F("failed_login_count") + 1
            user.save(update_fields=["failed_login_count"])
            user.refresh_from_db(fields=["failed_login_count"])
            locked = user.failed_login_count >= settings.LOCKOUT_THRESHOLD
            if locked:
                user.locked_until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
                user.failed_login_count = 0
                user.save(update_fields=["locked_until", "failed_login_count"])
            audit.record(
                action="accounts.login.locked" if locked else "accounts.login.failed",
                target=user,
                after={"reason": "bad_password"},
                outcome="failure",
            )
            if locked:
                raise LoginRefused(
                    _("连续 %(n)d 次密码错误，账号已锁定 %(m)d 分钟。")
                    % {"n": settings.LOCKOUT_THRESHOLD, "m": settings.LOCKOUT_MINUTES}
                )
            left = settings.LOCKOUT_THRESHOLD - user.failed_login_count
            raise LoginRefused(generic + " " + _("再错 %(n)d 次将锁定账号。") % {"n": left})
        user.failed_login_count = 0
        user.locked_until = None
        user.last_login = timezone.now()
        user.save(update_fields=["failed_login_count", "locked_until", "last_login"])
        audit.record(action="accounts.login.password_ok", actor=user, target=user)
    return user


def second_factor_verify(*, user: User, token: str) -> Any:
    """Check a TOTP or backup code of the user's confirmed devices. Returns the device."""
    token = (token or "").strip().replace(" ", "")
    with transaction.atomic():
        for device in [
            *TOTPDevice.objects.devices_for_user(user, confirmed=True),
            *StaticDevice.objects.devices_for_user(user, confirmed=True),
        ]:
            if device.verify_token(token):
                audit.record(action="accounts.login.second_factor_ok", actor=user, target=user)
                return device
        audit.record(
            action="accounts.login.second_factor_failed", actor=user, target=user, outcome="failure"
        )
    raise ValidationFailed(_("验证码不正确或已过期，请输入验证器中当前显示的 6 位数字。"))


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for the user to scan; replaces any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("验证器"), confirmed=False)


def totp_device_confirm(*, user: User, device_id: int, token: str) -> TOTPDevice:
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device_id, user=user, confirmed=False)
            .first()
        )
        if device is None:
            raise ValidationFailed(_("绑定已过期，请重新扫描二维码。"))
        if not device.verify_token((token or "").strip()):
            raise ValidationFailed(
                _("验证码不正确，请核对手机时间并输入验证器中当前显示的 6 位数字。"),
                field_errors={"token": [_("验证码不正确。")]},
            )
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(action="accounts.second_factor.enrolled", actor=user, target=user)
    return device


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    errors: dict[str, list[str]] = {}
    if not user.check_password(old_password):
        errors["old_password"] = [_("原密码不正确。")]
    if old_password == new_password:
        errors.setdefault("new_password", []).append(_("新密码不能与原密码相同。"))
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        errors.setdefault("new_password", []).extend(exc.messages)
    if errors:
        raise ValidationFailed(_("密码未修改，请按提示更正。"), field_errors=errors)
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(action="accounts.password.changed", actor=user, target=user)


def logout_recorded(*, user: Any) -> None:
    if user is not None and user.is_authenticated:
        audit.record(action="accounts.logout", actor=user, target=user)


# --- API tokens ---------------------------------------------------------------------------


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; return it with its key, which is never stored and shown only once."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            _("请填写令牌用途。"), field_errors={"name": [_("请填写令牌用途。")]}
        )
    key = "wl_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:80],
            prefix=key[:10],
            digest=token_digest(key),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        )
        audit.record(
            action="accounts.api_token.created", actor=user, target=token, after={"name": name}
        )
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None or token.revoked_at is not None:
            return
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(action="accounts.api_token.revoked", actor=user, target=token)


# --- The security administrator's actions -------------------------------------------------


def _sessions_of(user: User) -> list[str]:
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


def account_unlock(*, actor: Any, user_id: int) -> User:
    access.require(actor, "accounts.account.manage")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        before = {"locked_until": user.locked_until, "failed_login_count": user.failed_login_count}
        user.locked_until = None
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        audit.record(
            action="accounts.account.unlocked",
            actor=actor,
            target=user,
            before=before,
            after={"locked_until": None, "failed_login_count": 0},
        )
    return user


def account_reset_second_factor(*, actor: Any, user_id: int) -> User:
    access.require(actor, "accounts.account.manage")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        Session.objects.filter(session_key__in=_sessions_of(user)).delete()
        audit.record(action="accounts.second_factor.reset", actor=actor, target=user)
    return user


def account_end_sessions(*, actor: Any, user_id: int) -> int:
    access.require(actor, "accounts.account.manage")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        keys = _sessions_of(user)
        Session.objects.filter(session_key__in=keys).delete()
        audit.record(
            action="accounts.sessions.ended", actor=actor, target=user, after={"count": len(keys)}
        )
    return len(keys)

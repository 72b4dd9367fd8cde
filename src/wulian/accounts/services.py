"""Account actions: sign-in with lock-out, second factor, passwords, API tokens, and the
security administrator's actions on other accounts. Each is audited."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import hashers, password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from wulian.accounts.models import ApiToken, LoginFailure, User, UserSession
from wulian.core import access, audit
from wulian.core.access import Actor
from wulian.core.choices import ADMIN_ROLES, OrgKind, Role
from wulian.core.errors import AccessDenied, DomainError, RuleViolation, ValidationFailed
from wulian.core.models import Membership, Organisation, Person


class LoginRefused(DomainError):
    status = 401
    code = "login_refused"


class LoginThrottled(DomainError):
    """Too many refused sign-ins from one address: answered 429 with Retry-After."""

    status = 429
    code = "login_throttled"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _refusal_message() -> str:
    """One message for every refused sign-in — unknown name, wrong password, the lock-out
    starting, a locked account — so that the page does not tell which accounts exist."""
    return _(
        "用户名或密码错误。连续 %(n)d 次错误后账号将锁定 %(m)d 分钟；如已锁定，请稍后再试"
        "或联系安全管理员解锁。"
    ) % {"n": settings.LOCKOUT_THRESHOLD, "m": settings.LOCKOUT_MINUTES}


def login_throttle_wait(ip: str) -> int:
    """Seconds until this address may try again (0: now). LOGIN_THROTTLE_FAILURES refused
    sign-ins within LOGIN_THROTTLE_WINDOW_SECONDS close it until the oldest of them leaves
    the window."""
    limit, window = settings.LOGIN_THROTTLE_FAILURES, settings.LOGIN_THROTTLE_WINDOW_SECONDS
    if not ip or limit <= 0:
        return 0
    now = timezone.now()
    recent = list(
        LoginFailure.objects.filter(ip=ip, at__gt=now - timedelta(seconds=window))
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return 0
    return max(1, math.ceil((recent[-1] + timedelta(seconds=window) - now).total_seconds()))


def _failure_from(ip: str) -> None:
    if not ip or settings.LOGIN_THROTTLE_FAILURES <= 0:
        return
    now = timezone.now()
    LoginFailure.objects.filter(
        at__lte=now - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    ).delete()
    LoginFailure.objects.create(ip=ip[:45], at=now)


def login_attempt(*, username: str, password: str, ip: str = "") -> User:
    """Check a username and password. Counts failures and locks the account after
    LOCKOUT_THRESHOLD of them in a row; a locked account is refused even with the right
    password. Refuses an address with too many recent failures (LoginThrottled, before any
    password is checked). Every refusal has the same message and costs one password hash,
    whether the account exists or not.

    The failure count, the lock and the audit event are committed before the refusal is
    raised: raising inside the transaction would roll them back."""
    wait = login_throttle_wait(ip)
    if wait:
        audit.record(
            action="accounts.login.throttled",
            target=("accounts.user", "", username),
            after={"retry_after": wait},
            outcome="failure",
        )
        raise LoginThrottled(
            _("登录失败次数过多，请 %(s)d 秒后再试。") % {"s": wait}, retry_after=wait
        )
    refused = False
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None or not user.is_active:
            # Same work as a real check (one hash), so that timing does not reveal names.
            User().set_password(password)
            audit.record(
                action="accounts.login.failed",
                target=("accounts.user", "", username),
                after={"reason": "unknown_or_inactive"},
                outcome="failure",
            )
            refused = True
        elif user.is_locked():
            hashers.check_password(password, user.password)  # the same work again
            audit.event(None, "accounts.login.refused_locked", user, outcome="failure")
            refused = True
        elif not user.check_password(password):
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
            refused = True
        else:
            user.failed_login_count = 0
            user.locked_until = None
            user.last_login = timezone.now()
            user.save(update_fields=["failed_login_count", "locked_until", "last_login"])
            audit.event(user, "accounts.login.password_ok", user)
        if refused:
            _failure_from(ip)
    if refused:
        raise LoginRefused(_refusal_message())
    assert user is not None
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
                audit.event(user, "accounts.login.second_factor_ok", user)
                return device
        audit.event(user, "accounts.login.second_factor_failed", user, outcome="failure")
    raise ValidationFailed(_("验证码不正确或已过期，请输入验证器中当前显示的 6 位数字。"))


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for the user to scan; replaces any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("验证器"), confirmed=False)


def has_confirmed_device(user: User) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True).exists()
    )


def totp_device_confirm(
    *, user: User, device_id: int, token: str, verified: bool = False
) -> TOTPDevice:
    """Confirm a new TOTP device with a code from it. It replaces a confirmed device only when
    the person has passed the second factor in this session (`verified`): otherwise knowing
    the password alone would be enough to bind one's own authenticator (ASVS 6.4.3)."""
    with transaction.atomic():
        if not verified and has_confirmed_device(user):
            raise AccessDenied(_("您已绑定验证器。如需更换，请先完成双因素验证。"))
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
        audit.event(user, "accounts.second_factor.enrolled", user)
    return device


def password_change(
    *, user: User, old_password: str, new_password: str, keep_session_key: str | None = None
) -> int:
    """Change the person's own password. Their other sessions end (ASVS 7.4.3); the one they
    are using (`keep_session_key`) stays. Returns how many sessions ended."""
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
        ended = end_sessions_of(user, keep=keep_session_key)
        revoked = revoke_tokens_of(user)
        audit.event(
            user,
            "accounts.password.changed",
            user,
            after={"other_sessions_ended": ended, "api_tokens_revoked": revoked},
        )
    return ended


# --- Sessions -----------------------------------------------------------------------------


def session_record(*, user: User, session_key: str, ip: str = "", user_agent: str = "") -> None:
    """Note that a session belongs to a user. Called by the sign-in view after `login()`, and
    again whenever the session key is rotated while signed in."""
    if not session_key:
        return
    UserSession.objects.update_or_create(
        session_id=session_key,
        defaults={"user": user, "ip": (ip or "")[:45], "user_agent": (user_agent or "")[:200]},
    )


def end_sessions_of(user: User, *, keep: str | None = None) -> int:
    """End every session of the user (but `keep`), with one indexed delete. Their rows in
    UserSession go with them (the foreign key cascades)."""
    sessions = Session.objects.filter(owner__user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    _total, per_model = sessions.delete()
    return per_model.get(Session._meta.label, 0)


def logout_recorded(*, user: Any) -> None:
    if user is not None and user.is_authenticated:
        audit.event(user, "accounts.logout", user)


# --- API tokens ---------------------------------------------------------------------------


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime(user: User) -> timedelta:
    """How long a token of this person lasts. A token is a credential without the second
    factor: for a person whose role needs one (CDI side, administrators) it lasts
    API_TOKEN_HOURS_SECOND_FACTOR hours, unless the security administrator has allowed longer
    (`account_allow_long_tokens`); everyone else API_TOKEN_DAYS days."""
    if not access.actor_for(user).needs_second_factor:
        return timedelta(days=settings.API_TOKEN_DAYS)
    if user.api_token_days_allowed:
        return timedelta(days=min(user.api_token_days_allowed, settings.API_TOKEN_DAYS))
    return timedelta(hours=settings.API_TOKEN_HOURS_SECOND_FACTOR)


def token_still_valid(token: ApiToken) -> bool:
    """Usable (not revoked, not past its date) and within the lifetime the person's roles
    allow now — a token made before the person took a CDI-side or administrator seat, or
    before an allowance was withdrawn, is held to the shorter lifetime."""
    return token.is_usable and token.created_at + token_lifetime(token.user) > timezone.now()


def revoke_tokens_of(user: User) -> int:
    """Revoke every usable token of the user (sessions ended, password changed, second
    factor reset, account deactivated). Returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


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
            expires_at=timezone.now() + token_lifetime(user),
        )
        audit.event(user, "accounts.api_token.created", token, after={"name": name})
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens. False when there is no such usable token."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None or token.revoked_at is not None:
            return False
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.event(user, "accounts.api_token.revoked", token)
    return True


# --- The security administrator's actions -------------------------------------------------


def _managed_user(actor: Actor, user_id: int, *, self_allowed: bool = True) -> User:
    """The account to act on, locked for the transaction."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise ValidationFailed(_("账号不存在。"))
    if not self_allowed and user.pk == getattr(actor.user, "pk", None):
        raise RuleViolation(_("不能对自己的账号执行此操作，请由另一名安全管理员办理。"))
    return user


def account_unlock(*, actor: Actor, user_id: int) -> User:
    actor = access.require(actor, "accounts.account.manage")
    with transaction.atomic():
        user = _managed_user(actor, user_id)
        before = {"locked_until": user.locked_until, "failed_login_count": user.failed_login_count}
        user.locked_until = None
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        audit.event(
            actor,
            "accounts.account.unlocked",
            user,
            before=before,
            after={"locked_until": None, "failed_login_count": 0},
        )
    return user


def account_reset_second_factor(*, actor: Actor, user_id: int) -> User:
    """Remove the person's authenticators and end their sessions; they bind a new one at their
    next sign-in. Not on one's own account: that would let a password alone replace it."""
    actor = access.require(actor, "accounts.account.manage")
    with transaction.atomic():
        user = _managed_user(actor, user_id, self_allowed=False)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ended = end_sessions_of(user)
        revoked = revoke_tokens_of(user)
        audit.event(
            actor,
            "accounts.second_factor.reset",
            user,
            after={"sessions_ended": ended, "api_tokens_revoked": revoked},
        )
    return user


def account_end_sessions(*, actor: Actor, user_id: int) -> int:
    actor = access.require(actor, "accounts.account.manage")
    with transaction.atomic():
        user = _managed_user(actor, user_id)
        ended = end_sessions_of(user)
        revoked = revoke_tokens_of(user)
        audit.event(
            actor,
            "accounts.sessions.ended",
            user,
            after={"count": ended, "api_tokens_revoked": revoked},
        )
    return ended


def account_set_active(*, actor: Actor, user_id: int, active: bool) -> User:
    """Deactivate an account (its sessions end at once, ASVS 7.4.2; its API tokens stop
    working) or reactivate it. Not on one's own account."""
    actor = access.require(actor, "accounts.account.manage")
    with transaction.atomic():
        user = _managed_user(actor, user_id, self_allowed=False)
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        ended = 0 if active else end_sessions_of(user)
        revoked = 0 if active else revoke_tokens_of(user)
        audit.event(
            actor,
            "accounts.account.reactivated" if active else "accounts.account.deactivated",
            user,
            before={"is_active": not active},
            after={"is_active": active, "sessions_ended": ended, "api_tokens_revoked": revoked},
        )
    return user


def account_allow_long_tokens(*, actor: Actor, user_id: int, days: int | None) -> User:
    """Allow a person whose role needs a second factor API tokens of up to `days` days (at
    most API_TOKEN_DAYS); None withdraws the allowance. Recorded on the account and audited;
    not on one's own account. Tokens already made follow the new lifetime at once."""
    actor = access.require(actor, "accounts.account.manage")
    if days is not None and not 1 <= days <= settings.API_TOKEN_DAYS:
        message = _("请填写 1 到 %(n)d 之间的天数，或留空以收回准许。") % {
            "n": settings.API_TOKEN_DAYS
        }
        raise ValidationFailed(message, field_errors={"days": [message]})
    with transaction.atomic():
        user = _managed_user(actor, user_id, self_allowed=False)
        before = user.api_token_days_allowed
        if before == days:
            return user
        user.api_token_days_allowed = days
        user.save(update_fields=["api_token_days_allowed"])
        audit.event(
            actor,
            "accounts.api_token.allowance_set",
            user,
            before={"api_token_days_allowed": before},
            after={"api_token_days_allowed": days},
        )
    return user


# --- Bootstrapping the three administrators (the `create_admin` command) -------------------


def admin_bootstrap(
    *,
    role: str,
    username: str,
    name: str,
    org_code: str,
    password: str | None,
    must_change_password: bool,
    org_name: str = "",
    org_kind: str = OrgKind.CONGRESS_BODY,
) -> User:
    """Create one of the three administrator accounts from the server's console, where no one
    is signed in yet. No default password: the operator supplies one and it must satisfy the
    password rules. An existing account only gains the role (its password is left alone).
    No person holds two administrator roles (三员分立). Audited with no actor."""
    if role not in ADMIN_ROLES:
        raise ValidationFailed(
            _("只能创建系统管理员、安全管理员或审计管理员。"),
            field_errors={"role": [_("请选择有效的管理员角色。")]},
        )
    username, name, org_code = username.strip(), name.strip(), org_code.strip()
    if not username or not name or not org_code:
        raise ValidationFailed(_("用户名、姓名和单位代码都须填写。"))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            if not password:
                raise ValidationFailed(
                    _("新账号须设置密码。"), field_errors={"password": [_("请设置密码。")]}
                )
            user = User(username=username, last_name=name)
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise ValidationFailed(
                    _("密码不符合要求：%(why)s") % {"why": " ".join(exc.messages)},
                    field_errors={"password": list(exc.messages)},
                ) from None
            user.set_password(password)
            user.password_changed_at = timezone.now()
            user.must_change_password = must_change_password
            user.save(force_insert=True)
            created_user = True
        else:
            created_user = False
        person = Person.objects.select_for_update().filter(user=user).first()
        if person is not None and person.name != name:
            raise ValidationFailed(
                _("账号 %(u)s 属于 %(p)s，与所填姓名 %(n)s 不符。")
                % {"u": username, "p": person.name, "n": name}
            )
        organisation = Organisation.objects.filter(code=org_code).first()
        created_org = False
        if organisation is None:
            if not org_name:
                raise ValidationFailed(
                    _("单位代码 %(c)s 不存在。首次安装时请同时给出单位名称以新建该单位。")
                    % {"c": org_code}
                )
            organisation = Organisation(code=org_code, name=org_name, kind=org_kind)
            try:
                organisation.full_clean()
            except ValidationError as exc:
                raise ValidationFailed(
                    _("单位信息有误：%(why)s") % {"why": " ".join(exc.messages)}
                ) from None
            organisation.save(force_insert=True)
            created_org = True
            audit.record(
                action="core.organisation.created",
                target=organisation,
                after={"code": org_code, "name": org_name, "kind": org_kind},
            )
        elif not organisation.is_active:
            raise ValidationFailed(_("单位 %(c)s 已停用。") % {"c": org_code})
        if person is None:
            person = Person.objects.create(name=name, user=user)
        held = Membership.objects.filter(
            person=person, is_active=True, role__in=ADMIN_ROLES
        ).first()
        if held is not None:
            if held.role == role:
                raise ValidationFailed(
                    _("%(name)s 已是%(role)s（%(org)s），无须重复创建。")
                    % {
                        "name": person.name,
                        "role": held.get_role_display(),
                        "org": held.organisation.display_name,
                    }
                )
            raise RuleViolation(
                _("三员分立：%(name)s 已是%(held)s，不能再担任%(role)s。")
                % {"name": person.name, "held": held.get_role_display(), "role": Role(role).label}
            )
        try:
            with transaction.atomic():
                Membership.objects.create(person=person, organisation=organisation, role=role)
        except IntegrityError:
            raise RuleViolation(_("三员分立：同一人不能同时担任两个管理员角色。")) from None
        audit.record(
            action="accounts.admin.bootstrapped",
            target=user,
            organisation_id=organisation.pk,
            after={
                "role": role,
                "organisation": org_code,
                "person": person.name,
                "new_account": created_user,
                "new_organisation": created_org,
                "must_change_password": user.must_change_password,
            },
        )
    return user

"""Session expiry (idle and absolute) and the gates a signed-in person passes before using
the platform: the second factor where their role requires it, and a password that is not
due for change."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.accounts.passwords import password_expires_at
from wulian.core import access, audit

LOGIN_AT = "wulian_login_at"
SEEN_AT = "wulian_seen_at"


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith("/api/"):
            now = time.time()
            login_at = request.session.get(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            reason = None
            if now - seen_at > settings.SESSION_IDLE_SECONDS:
                reason = "idle"
            elif now - login_at > settings.SESSION_COOKIE_AGE:
                reason = "absolute"
            if reason:
                audit.record(
                    action="accounts.session.expired",
                    actor=user,
                    target=user,
                    after={"reason": reason},
                )
                logout(request)
                messages.info(request, _("长时间未操作，会话已结束，请重新登录。"))
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if now - seen_at > 30:  # write the session at most every 30 s
                request.session[SEEN_AT] = now
            request.session.setdefault(LOGIN_AT, now)
        return self.get_response(request)


class SecondFactorAndPasswordAgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    @cached_property
    def _always_open(self) -> tuple[str, ...]:
        return (
            reverse("accounts:logout"),
            reverse("set_language"),
            settings.STATIC_URL,
            "/api/",
            "/healthz",
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.path.startswith(self._always_open):
            return self.get_response(request)
        actor = access.actor_for(user)
        if actor.needs_second_factor and not user.is_verified():
            targets = (reverse("accounts:otp_verify"), reverse("accounts:otp_setup"))
            if request.path not in targets:
                from django_otp import devices_for_user

                has_device = any(True for _d in devices_for_user(user, confirmed=True))
                return redirect(targets[0] if has_device else targets[1])
            return self.get_response(request)
        change_url = reverse("accounts:password_change")
        if request.path != change_url:
            expires = password_expires_at(user)
            if user.must_change_password or (expires is not None and expires <= timezone.now()):
                messages.warning(request, _("您的密码须先修改后才能继续使用。"))
                return redirect(change_url)
        return self.get_response(request)

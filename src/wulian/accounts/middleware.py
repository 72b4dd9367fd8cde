"""Session expiry (idle and absolute) and the gates a signed-in person passes before using
the platform: the second factor where their role requires it, and a password that is not
due for change."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

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
    """Ends a session idle for SESSION_IDLE_SECONDS or older than SESSION_COOKIE_AGE (the
    absolute lifetime), server-side. Applies to the browser's API calls too: an expired
    session gets no further answer there either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            login_at = request.session.get(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            reason = None
            if now - seen_at > settings.SESSION_IDLE_SECONDS:
                reason = "idle"
            elif now - login_at > settings.SESSION_COOKIE_AGE:
                reason = "absolute"
            if reason:
                audit.event(user, "accounts.session.expired", user, after={"reason": reason})
                logout(request)  # deletes the session (and its UserSession row) server-side
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # now anonymous: 401/403 from the API
                if reason == "idle":
                    messages.info(request, _("长时间未操作，会话已结束，请重新登录。"))
                else:
                    messages.info(
                        request,
                        _("登录已超过 %(h)d 小时，会话已结束，请重新登录。")
                        % {"h": settings.SESSION_COOKIE_AGE // 3600},
                    )
                return redirect(_with_next(reverse("accounts:login"), request))
            if now - seen_at > 30:  # write the session at most every 30 s
                request.session[SEEN_AT] = now
            request.session.setdefault(LOGIN_AT, now)
            request.session.setdefault(SEEN_AT, now)
        return self.get_response(request)


def _with_next(url: str, request: HttpRequest) -> str:
    if request.method != "GET":
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorAndPasswordAgeMiddleware:
    """Until a person whose role requires it has passed the second factor, the only page open
    to them is the one to pass it (or, with no authenticator yet, to bind one). Then, until a
    password that is due for change has been changed, only the password page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    @cached_property
    def _always_open(self) -> tuple[str, ...]:
        # The API is guarded by its own authentication (OTPVerifiedSessionAuthentication).
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
            from django_otp import devices_for_user

            has_device = any(True for _d in devices_for_user(user, confirmed=True))
            target = reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
            if request.path != target:
                return redirect(_with_next(target, request))
            return self.get_response(request)
        change_url = reverse("accounts:password_change")
        if request.path != change_url:
            expires = password_expires_at(user)
            if user.must_change_password or (expires is not None and expires <= timezone.now()):
                messages.warning(request, _("您的密码须先修改后才能继续使用。"))
                return redirect(change_url)
        return self.get_response(request)

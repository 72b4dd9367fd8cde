from __future__ import annotations

import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from wulian.accounts import services
from wulian.accounts.forms import ApiTokenForm, LoginForm, PasswordChangeForm, TokenForm
from wulian.accounts.middleware import LOGIN_AT, SEEN_AT
from wulian.accounts.models import ApiToken, User
from wulian.accounts.passwords import ProfileValidator
from wulian.core.clientip import client_ip
from wulian.core.errors import DomainError
from wulian.core.paging import paginate
from wulian.core.viewpolicy import policy, public


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _record_session(request: HttpRequest) -> None:
    """Note the session against its user, so that it can be ended later with one delete."""
    if not request.session.session_key:
        request.session.save()
    services.session_record(
        user=request.user,
        session_key=request.session.session_key or "",
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )


@public
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    retry_after = 0
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_attempt(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except services.LoginThrottled as exc:
            form.add_error(None, exc.message)
            retry_after = exc.retry_after
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[LOGIN_AT] = request.session[SEEN_AT] = time.time()
            _record_session(request)
            return redirect(_next_url(request))
    demo_accounts = []
    if settings.DEMO_MODE:
        from wulian.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

        demo_accounts = [(a, DEMO_PASSWORD) for a in DEMO_ACCOUNTS]
    response = render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", ""), "demo_accounts": demo_accounts},
        status=429 if retry_after else 200,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.logout_recorded(user=request.user)
    logout(request)  # flushes the server-side session
    messages.info(request, _("您已安全退出。"))
    return redirect("accounts:login")


@policy("accounts.self.manage")
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                user=request.user, token=form.cleaned_data["token"]
            )
        except DomainError as exc:
            form.add_error("token", exc.message)
        else:
            otp_login(request, device)
            # A new session key once the second factor is passed (ASVS 7.2.4).
            request.session.cycle_key()
            _record_session(request)
            return redirect(_next_url(request))
    demo_code = None
    if settings.DEMO_MODE:
        from wulian.core.demo import demo_current_code

        demo_code = demo_current_code(request.user)
    return render(request, "accounts/otp_verify.html", {"form": form, "demo_code": demo_code})


@policy("accounts.self.manage")
def otp_setup(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified() and services.has_confirmed_device(request.user):
        # Replacing an authenticator takes the current one first.
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.path})}")
    form = TokenForm(request.POST or None)
    device = None
    if request.method == "POST":
        device_id = request.session.get("wulian_totp_setup")
        if form.is_valid() and device_id:
            try:
                device = services.totp_device_confirm(
                    user=request.user,
                    device_id=device_id,
                    token=form.cleaned_data["token"],
                    verified=request.user.is_verified(),
                )
            except DomainError as exc:
                form.add_error("token", exc.message)
            else:
                otp_login(request, device)
                request.session.pop("wulian_totp_setup", None)
                request.session.cycle_key()
                _record_session(request)
                messages.success(request, _("双因素认证已启用。"))
                return redirect(_next_url(request))
        device = TOTPDevice.objects.filter(pk=device_id, user=request.user).first()
    if device is None:
        device = services.totp_device_start(user=request.user)
        request.session["wulian_totp_setup"] = device.pk
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": qr, "secret": _base32(device)},
    )


def _base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@policy("accounts.self.manage")
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                keep_session_key=request.session.session_key,
            )
        except DomainError as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.field_errors:
                form.add_error(None, exc.message)
        else:
            # The session stays valid with a new key; the old key's row goes with it.
            update_session_auth_hash(request, request.user)
            _record_session(request)
            messages.success(request, _("密码已修改。"))
            return redirect("core:home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "rules": ProfileValidator().get_help_text()},
    )


@policy("accounts.self.manage")
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(
        request, "accounts/token_list.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


# Revoking a token: a declared step (wulian.accounts.steps).


@policy("accounts.account.manage")
def account_list(request: HttpRequest) -> HttpResponse:
    qs = User.objects.select_related("person").order_by("username")
    q = request.GET.get("q", "").strip()[:60]
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(person__name__icontains=q)
    page = paginate(request, qs)
    return render(request, "accounts/account_list.html", {"page": page, "q": q})


# The security administrator's steps on an account (unlock, reset the second factor, end
# sessions, deactivate, reactivate, allow longer tokens): declared in wulian.accounts.steps.

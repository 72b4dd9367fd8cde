"""Shared steps of the account tests: signing in through the real sign-in page, computing a
TOTP code from a device's key, and reading the audit events written."""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from wulian.core.models import AuditEvent

LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
VERIFY_URL = "/accounts/second-factor/"
SETUP_URL = "/accounts/second-factor/setup/"
PASSWORD_URL = "/accounts/password/"
ME_API = "/api/v1/me/"


def sign_in(
    username: str, password: str = PASSWORD, *, client: Client | None = None, **extra: Any
) -> tuple[Client, Any]:
    """Post the sign-in form; return the client and the response."""
    client = client or Client(HTTP_USER_AGENT="pytest-browser/1.0")
    response = client.post(LOGIN_URL, {"username": username, "password": password}, **extra)
    return client, response


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that is none of the codes the device accepts right now."""
    now = time.time()
    valid = {totp_code(device, at=now + k * device.step) for k in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def after(event: AuditEvent) -> Any:
    """The event's `after` values, whether stored as JSON or as canonical JSON text."""
    value = event.after
    return json.loads(value) if isinstance(value, str) and value else value


def messages_of(response: Any) -> str:
    return response.content.decode()

"""With production settings (WULIAN_HTTPS true) every response carries the security headers,
cookies are Secure, HttpOnly and __Host- prefixed, and `check --deploy` is clean.

The settings module reads the environment once at import, so the production values are
obtained by executing settings.py again under a production environment and applying the
values that differ (all but the database and the tests' fast hasher) with override_settings."""

from __future__ import annotations

import importlib.util
import os
import secrets
import subprocess
import sys
from http.cookies import Morsel
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings

import wulian.settings as settings_module
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOST = "wulian.example.gov.cn"


def production_settings(**env: str) -> dict[str, Any]:
    environment = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DEBUG": "false",
        "WULIAN_HTTPS": "true",
        "WULIAN_DEMO_MODE": "false",
        **env,
    }
    for name in ("WULIAN_SSL_REDIRECT", "WULIAN_BEHIND_PROXY"):
        environment.setdefault(name, "")
    with mock.patch.dict(os.environ, environment):
        spec = importlib.util.spec_from_file_location(
            "wulian_production_settings", settings_module.__file__
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    values = {name: getattr(module, name) for name in dir(module) if name.isupper()}
    values.pop("DATABASES")
    values.pop("PASSWORD_HASHERS")  # the tests' fast hasher stays
    return {k: v for k, v in values.items() if getattr(settings, k, object()) != v}


@pytest.fixture
def production():
    values = production_settings()
    assert values["SESSION_COOKIE_SECURE"] is True  # the fixture does switch to production
    with override_settings(**values):
        yield values


def _cookie(response, name: str) -> Morsel:
    assert name in response.cookies, f"{name} not set; got {list(response.cookies)}"
    return response.cookies[name]


def _assert_host_cookie(morsel: Morsel) -> None:
    assert morsel.key.startswith("__Host-"), morsel.key
    assert morsel["secure"] is True, morsel.key
    assert morsel["httponly"] is True, morsel.key
    assert morsel["path"] == "/", morsel.key
    assert not morsel["domain"], morsel.key  # __Host- cookies carry no Domain
    assert morsel["samesite"] in ("Lax", "Strict"), morsel.key


def test_headers_on_every_page(production, personas):
    client = Client(SERVER_NAME=HOST)
    for path in ("/accounts/login/", "/healthz"):
        response = client.get(path, secure=True, HTTP_HOST=HOST)
        assert response.status_code == 200, path
        csp = {
            part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
            for part in response["Content-Security-Policy"].split(";")
            if part.strip()
        }
        assert csp["default-src"] == "'self'"
        assert csp["object-src"] == "'none'"
        assert csp["base-uri"] == "'none'"
        assert csp["frame-ancestors"] == "'none'"
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(production, personas):
    response = Client().get("/accounts/login/", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/accounts/login/"


def test_cookies_are_secure_httponly_and_host_prefixed(production, personas):
    client = Client()
    page = client.get("/accounts/login/", secure=True, HTTP_HOST=HOST)
    _assert_host_cookie(_cookie(page, "__Host-csrftoken"))

    signed_in = client.post(
        "/accounts/login/",
        {"username": "unit_a", "password": PASSWORD},
        secure=True,
        HTTP_HOST=HOST,
    )
    assert signed_in.status_code == 302
    session = _cookie(signed_in, "__Host-sessionid")
    _assert_host_cookie(session)
    assert not session["max-age"]  # ends with the browser; the server ends it sooner

    language = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, secure=True, HTTP_HOST=HOST
    )
    _assert_host_cookie(_cookie(language, "__Host-wulian_language"))

    assert client.get("/", secure=True, HTTP_HOST=HOST)["Cache-Control"] == "no-store"


def test_check_deploy_is_clean_with_production_settings(production):
    call_command("check", deploy=True, fail_level="WARNING")


def test_check_deploy_fails_with_a_weak_secret_key(production):
    """The check above would notice a problem: a short key is reported."""
    with override_settings(SECRET_KEY="short"), pytest.raises(SystemCheckError, match="W009"):
        call_command("check", deploy=True, fail_level="WARNING")


def test_check_deploy_fails_without_https():
    values = production_settings(WULIAN_HTTPS="false")
    with override_settings(**values), pytest.raises(SystemCheckError):
        call_command("check", deploy=True, fail_level="WARNING")


def test_check_deploy_in_a_fresh_process_with_the_production_environment(tmp_path):
    """The same check as `make check-deploy`, with the settings read from a real environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WULIAN_", "DJANGO_", "DEBUG", "ALLOWED_HOSTS", "SECRET_KEY"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="wulian.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        WULIAN_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout

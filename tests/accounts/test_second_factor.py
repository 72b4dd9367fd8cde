"""TOTP is enforced for CDI, stationed-group and administrator roles: until verified, such a
person reaches no page and no API by session; a real code from the device key verifies; a
wrong one is refused and audited; binding a first authenticator; no bypass by re-binding."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import (
    ME_API,
    SETUP_URL,
    VERIFY_URL,
    events,
    session_key,
    sign_in,
    totp_code,
    wrong_code,
)
from wulian.accounts import services
from wulian.core import access, routes
from wulian.core.errors import AccessDenied, RuleViolation

pytestmark = pytest.mark.django_db

NOW = "2026-03-02 09:00:00 +0800"
NEEDS_TOTP = ["cdi_officer", "cdi_clue", "stationed", "sysadmin", "secadmin", "auditadmin"]
NO_TOTP = ["congress_clerk", "gov_supervisor", "unit_a", "court_clerk", "deputy", "expert"]


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_the_roles_that_need_a_second_factor(personas):
    for name in NEEDS_TOTP:
        assert access.actor_for(personas.users[name]).needs_second_factor, name
    for name in NO_TOTP:
        assert not access.actor_for(personas.users[name]).needs_second_factor, name


@pytest.mark.parametrize("name", NO_TOTP[:3])
def test_other_roles_go_straight_in(personas, name):
    client, _ = sign_in(name)
    assert client.get("/").status_code == 200


def _site_paths() -> list[tuple[str, str]]:
    """Every route of the site with its parameters filled in with 1: (path, policy)."""
    paths = []
    for route in routes.walk():
        if "<format>" in route.pattern:
            continue  # the API's ".json" suffix variants of the routes below
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route.pattern)  # regex routes (the API router)
        path = re.sub(r"<[^>]+>", "1", path)  # path() routes
        path = "/" + path.replace("^", "").replace("$", "").replace("\\", "")
        paths.append((path, route.policy or ""))
    return paths


@pytest.mark.parametrize("name", ["cdi_officer", "stationed", "sysadmin"])
def test_without_verification_no_page_and_no_api_is_reachable(personas, name):
    _device(personas.users[name])
    client, response = sign_in(name)
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == f"{VERIFY_URL}?next=%2F"

    checked = 0
    for path, policy in _site_paths():
        if policy == "public" or path in (VERIFY_URL,):
            continue
        if path.startswith("/api/"):
            response = client.get(path, HTTP_ACCEPT="application/json")
            assert response.status_code in (401, 403), (path, response.status_code)
        else:
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                assert response.status_code == 302, (method, path, response.status_code)
                assert response["Location"].startswith(VERIFY_URL), (method, path)
        checked += 1
    assert checked >= 10
    # Binding another authenticator is not a way round the one already bound.
    assert client.get(SETUP_URL)["Location"].startswith(VERIFY_URL)


@time_machine.travel(NOW, tick=False)
def test_verifying_with_a_code_computed_from_the_device_key(personas):
    device = _device(personas.cdi_officer)
    client, _ = sign_in("cdi_officer")
    assert client.get(ME_API, HTTP_ACCEPT="application/json").status_code in (401, 403)

    response = client.post(f"{VERIFY_URL}?next=/people/", {"token": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.get("/").status_code == 200
    me = client.get(ME_API, HTTP_ACCEPT="application/json")
    assert me.status_code == 200 and me.json()["username"] == "cdi_officer"
    [event] = events("accounts.login.second_factor_ok")
    assert event.actor_id == personas.cdi_officer.pk


@time_machine.travel(NOW, tick=False)
def test_a_code_is_accepted_once(personas):
    """ASVS 6.5.1: a TOTP code used to sign in does not sign in a second session."""
    device = _device(personas.cdi_officer)
    code = totp_code(device)
    first, _ = sign_in("cdi_officer")
    assert first.post(VERIFY_URL, {"token": code}).status_code == 302
    second, _ = sign_in("cdi_officer")
    assert second.post(VERIFY_URL, {"token": code}).status_code == 200
    assert second.get("/").status_code == 302


def test_a_wrong_code_is_refused_in_chinese_and_audited(personas):
    with time_machine.travel(NOW, tick=False) as traveller:
        device = _device(personas.stationed)
        client, _ = sign_in("stationed")
        response = client.post(VERIFY_URL, {"token": wrong_code(device)})
        assert response.status_code == 200
        assert "验证码不正确或已过期，请输入验证器中当前显示的 6 位数字。" in (
            response.content.decode()
        )
        assert client.get("/").status_code == 302
        [event] = events("accounts.login.second_factor_failed")
        assert event.outcome == "failure" and event.actor_id == personas.stationed.pk
        assert not events("accounts.login.second_factor_ok")

        # After django-otp's throttle delay, the right code still works.
        traveller.shift(timedelta(seconds=5))
        device.refresh_from_db()
        assert client.post(VERIFY_URL, {"token": totp_code(device)}).status_code == 302
        assert client.get("/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_repeated_wrong_codes_are_throttled(personas):
    """Guessing codes is slowed down: right after failures even the right code is refused."""
    device = _device(personas.cdi_clue)
    client, _ = sign_in("cdi_clue")
    for _ in range(3):
        client.post(VERIFY_URL, {"token": wrong_code(device)})
    device.refresh_from_db()
    assert client.post(VERIFY_URL, {"token": totp_code(device)}).status_code == 200
    assert client.get("/").status_code == 302


def test_binding_a_first_authenticator(personas):
    with time_machine.travel(NOW, tick=False) as traveller:
        client, _ = sign_in("cdi_officer")
        response = client.get("/")
        assert response["Location"] == f"{SETUP_URL}?next=%2F"
        assert client.get(VERIFY_URL)["Location"].startswith(SETUP_URL)

        page = client.get(SETUP_URL)
        assert page.status_code == 200
        assert page.context["qr"].startswith("data:image/svg+xml")
        device = TOTPDevice.objects.get(user=personas.cdi_officer, confirmed=False)
        assert page.context["secret"]  # shown for manual entry

        refused = client.post(SETUP_URL, {"token": wrong_code(device)})
        assert refused.status_code == 200
        assert "验证码不正确" in refused.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        assert client.get("/").status_code == 302

        traveller.shift(timedelta(seconds=5))
        device.refresh_from_db()
        response = client.post(SETUP_URL, {"token": totp_code(device)})
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/").status_code == 200
        assert [e.actor_id for e in events("accounts.second_factor.enrolled")] == [
            personas.cdi_officer.pk
        ]

        # The next sign-in asks for the bound authenticator.
        traveller.shift(timedelta(seconds=60))
        again, _ = sign_in("cdi_officer")
        assert again.get("/")["Location"].startswith(VERIFY_URL)


@time_machine.travel(NOW, tick=False)
def test_a_password_alone_cannot_replace_a_bound_authenticator(personas):
    """Without the current authenticator, binding one's own is refused (ASVS 6.4.3)."""
    bound = _device(personas.cdi_officer)
    sign_in("cdi_officer")
    intruder = TOTPDevice.objects.create(user=personas.cdi_officer, name="x", confirmed=False)
    with pytest.raises(AccessDenied):
        services.totp_device_confirm(
            user=personas.cdi_officer, device_id=intruder.pk, token=totp_code(intruder)
        )
    assert TOTPDevice.objects.get(pk=bound.pk).confirmed
    intruder.refresh_from_db()
    assert not intruder.confirmed


@time_machine.travel(NOW, tick=False)
def test_a_verified_person_may_replace_their_authenticator(personas):
    old = _device(personas.cdi_officer)
    client, _ = sign_in("cdi_officer")
    client.post(VERIFY_URL, {"token": totp_code(old)})
    assert client.get(SETUP_URL).status_code == 200
    new = TOTPDevice.objects.get(user=personas.cdi_officer, confirmed=False)
    assert client.post(SETUP_URL, {"token": totp_code(new)}).status_code == 302
    assert list(
        TOTPDevice.objects.filter(user=personas.cdi_officer).values_list("pk", "confirmed")
    ) == [(new.pk, True)]


def test_the_security_administrator_resets_a_second_factor(personas):
    with time_machine.travel(NOW, tick=False) as traveller:
        device = _device(personas.cdi_clue)
        client, _ = sign_in("cdi_clue")
        client.post(VERIFY_URL, {"token": totp_code(device)})
        key = session_key(client)

        services.account_reset_second_factor(actor=personas.secadmin, user_id=personas.cdi_clue.pk)

        assert not TOTPDevice.objects.filter(user=personas.cdi_clue).exists()
        assert not Session.objects.filter(session_key=key).exists()
        assert client.get("/")["Location"].startswith("/accounts/login/")
        [event] = events("accounts.second_factor.reset")
        assert event.actor_id == personas.secadmin.pk
        traveller.shift(timedelta(seconds=60))
        again, _ = sign_in("cdi_clue")
        assert again.get("/")["Location"].startswith(SETUP_URL)


def test_resetting_a_second_factor_is_refused_to_others_and_on_oneself(personas):
    _device(personas.cdi_clue)
    for who in ("sysadmin", "auditadmin", "cdi_officer"):
        with pytest.raises(AccessDenied):
            services.account_reset_second_factor(
                actor=personas.users[who], user_id=personas.cdi_clue.pk
            )
    _device(personas.secadmin)
    with pytest.raises(RuleViolation):
        services.account_reset_second_factor(actor=personas.secadmin, user_id=personas.secadmin.pk)
    assert TOTPDevice.objects.filter(user__in=[personas.cdi_clue, personas.secadmin]).count() == 2
    assert not events("accounts.second_factor.reset")

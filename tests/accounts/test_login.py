"""Sign-in: success and failure with their audit events, lock-out after repeated failures,
refusal while locked, unlock by time and by the security administrator."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.accounts.helpers import after, events, session_key, sign_in
from tests.factories import PASSWORD
from wulian.accounts import services
from wulian.accounts.models import User, UserSession
from wulian.core.errors import AccessDenied, ValidationFailed

pytestmark = pytest.mark.django_db

NOW = "2026-03-02 09:00:00 +0800"
REFUSAL = (
    f"连续 {settings.LOCKOUT_THRESHOLD} 次错误后账号将锁定 {settings.LOCKOUT_MINUTES} 分钟；"
    "如已锁定，请稍后再试或联系安全管理员解锁。"
)


def test_sign_in_with_the_right_password(personas):
    client, response = sign_in("unit_a")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200

    user = User.objects.get(username="unit_a")
    assert user.last_login is not None and user.failed_login_count == 0
    [event] = events("accounts.login.password_ok")
    assert (event.actor_id, event.target_id, event.outcome) == (user.pk, str(user.pk), "success")
    assert event.ip == "127.0.0.1"
    row = UserSession.objects.get(user=user)
    assert row.session_key == session_key(client)
    assert (row.ip, row.user_agent) == ("127.0.0.1", "pytest-browser/1.0")


def test_sign_in_follows_a_local_next_but_not_an_outside_one(personas):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "unit_a", "password": PASSWORD, "next": "/people/"}
    )
    assert response["Location"] == "/people/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/",
        {"username": "unit_a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_counted_and_audited(personas):
    client, response = sign_in("unit_a", "Wrong-password-1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "用户名或密码错误。" in page
    # The same words as for an unknown name (issue 11, item 9): the rule, not a count.
    assert REFUSAL in page and "再错" not in page
    assert client.get("/").status_code == 302  # not signed in

    user = User.objects.get(username="unit_a")
    assert user.failed_login_count == 1  # committed, not rolled back with the refusal
    [event] = events("accounts.login.failed")
    assert event.outcome == "failure" and event.actor_id is None
    assert event.target_id == str(user.pk)
    assert after(event) == {"reason": "bad_password"}
    assert not events("accounts.login.password_ok")


def test_an_unknown_name_gets_the_same_message_and_is_audited(personas):
    _client, response = sign_in("nobody-here", "Whatever-123")
    assert "用户名或密码错误。" in response.content.decode()
    assert REFUSAL in response.content.decode()
    assert "再错" not in response.content.decode()
    [event] = events("accounts.login.failed")
    assert event.target_label == "nobody-here"
    assert after(event) == {"reason": "unknown_or_inactive"}


def test_an_inactive_account_is_refused_even_with_the_right_password(personas):
    User.objects.filter(username="unit_a").update(is_active=False)
    _client, response = sign_in("unit_a")
    assert response.status_code == 200
    assert "用户名或密码错误。" in response.content.decode()
    assert after(events("accounts.login.failed")[0]) == {"reason": "unknown_or_inactive"}


def test_a_successful_sign_in_resets_the_failure_count(personas):
    sign_in("unit_a", "Wrong-password-1")
    sign_in("unit_a", "Wrong-password-2")
    assert User.objects.get(username="unit_a").failed_login_count == 2
    sign_in("unit_a")
    assert User.objects.get(username="unit_a").failed_login_count == 0


@time_machine.travel(NOW, tick=False)
def test_lock_out_after_the_threshold_and_refusal_while_locked(personas):
    threshold = settings.LOCKOUT_THRESHOLD
    for _ in range(threshold - 1):
        sign_in("unit_a", "Wrong-password-1")
    _client, response = sign_in("unit_a", "Wrong-password-1")
    assert REFUSAL in response.content.decode()  # the same words: no oracle of accounts
    user = User.objects.get(username="unit_a")
    assert user.is_locked()
    assert user.locked_until == timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
    assert len(events("accounts.login.failed")) == threshold - 1
    [locked] = events("accounts.login.locked")
    assert locked.outcome == "failure"

    # The right password does not open a locked account.
    client, response = sign_in("unit_a")
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert client.get("/").status_code == 302
    assert len(events("accounts.login.refused_locked")) == 1
    assert not events("accounts.login.password_ok")
    assert not UserSession.objects.exists()


def test_the_lock_lifts_when_its_time_has_passed(personas):
    with time_machine.travel(NOW, tick=False) as traveller:
        for _ in range(settings.LOCKOUT_THRESHOLD):
            sign_in("unit_a", "Wrong-password-1")
        traveller.shift(timedelta(minutes=settings.LOCKOUT_MINUTES - 1))
        assert sign_in("unit_a")[1].status_code == 200  # still locked
        traveller.shift(timedelta(minutes=2))
        client, response = sign_in("unit_a")
        assert response.status_code == 302
        assert client.get("/").status_code == 200
    user = User.objects.get(username="unit_a")
    assert user.locked_until is None and user.failed_login_count == 0


@time_machine.travel(NOW, tick=False)
def test_the_security_administrator_unlocks_an_account(personas):
    for _ in range(settings.LOCKOUT_THRESHOLD):
        sign_in("unit_a", "Wrong-password-1")
    target = User.objects.get(username="unit_a")
    assert target.is_locked()

    services.account_unlock(actor=personas.secadmin, user_id=target.pk)

    target.refresh_from_db()
    assert not target.is_locked() and target.failed_login_count == 0
    [event] = events("accounts.account.unlocked")
    assert event.actor_id == personas.secadmin.pk and event.target_id == str(target.pk)
    assert sign_in("unit_a")[1].status_code == 302


@time_machine.travel(NOW, tick=False)
def test_unlock_through_the_account_page(personas, client_of):
    for _ in range(settings.LOCKOUT_THRESHOLD):
        sign_in("unit_b", "Wrong-password-1")
    target = User.objects.get(username="unit_b")
    response = client_of(personas.secadmin).post(f"/accounts/manage/{target.pk}/unlock/")
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_locked()


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin", "unit_a", "cdi_clue"])
@time_machine.travel(NOW, tick=False)
def test_only_the_security_administrator_unlocks(personas, client_of, who):
    for _ in range(settings.LOCKOUT_THRESHOLD):
        sign_in("unit_b", "Wrong-password-1")
    target = User.objects.get(username="unit_b")
    with pytest.raises(AccessDenied):
        services.account_unlock(actor=personas.users[who], user_id=target.pk)
    response = client_of(personas.users[who]).post(f"/accounts/manage/{target.pk}/unlock/")
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_locked()
    assert not events("accounts.account.unlocked")


def test_unlocking_an_unknown_account_is_a_clear_refusal(personas, client_of):
    with pytest.raises(ValidationFailed):
        services.account_unlock(actor=personas.secadmin, user_id=999_999)
    response = client_of(personas.secadmin).post("/accounts/manage/999999/unlock/")
    assert response.status_code == 404


def test_a_session_is_a_new_one_at_sign_in(personas):
    """ASVS 7.2.4: the key from before sign-in is not the key after it."""
    client = Client()
    before = client.session.session_key  # an anonymous session, as a fixation attempt would
    assert before
    sign_in("unit_a", client=client)
    assert session_key(client) != before
    assert not Session.objects.filter(session_key=before).exists()


# --- The same answer and the same work for every refusal (issue 11, item 9) ------------------


def _refusal_text(response) -> str:
    page = response.content.decode()
    start = page.index("用户名或密码错误")
    return page[start : page.index("<", start)]


@time_machine.travel(NOW, tick=False)
def test_unknown_inactive_wrong_and_locked_accounts_get_the_same_words_and_one_hash(
    personas, monkeypatch
):
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    calls = []
    real = hasher.encode
    monkeypatch.setattr(
        hasher, "encode", lambda self, *a, **k: calls.append(1) or real(self, *a, **k)
    )
    User.objects.filter(username="unit_b").update(is_active=False)
    User.objects.filter(username="court_clerk").update(
        locked_until=timezone.now() + timedelta(minutes=5)
    )
    texts = {}
    for name, password in (
        ("nobody-here", "Whatever-123"),  # no such account
        ("unit_b", PASSWORD),  # inactive
        ("unit_a", "Wrong-password-1"),  # wrong password
        ("court_clerk", PASSWORD),  # locked, even with the right password
    ):
        calls.clear()
        _client, response = sign_in(name, password)
        assert response.status_code == 200
        texts[name] = _refusal_text(response)
        assert len(calls) == 1, (name, len(calls))
    assert len(set(texts.values())) == 1, texts


@time_machine.travel(NOW, tick=False)
def test_an_address_with_too_many_failures_is_answered_429_with_retry_after(personas, settings):
    settings.LOGIN_THROTTLE_FAILURES = 3
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 600
    for name in ("a-guess", "b-guess", "unit_a"):
        assert sign_in(name, "Wrong-password-1")[1].status_code == 200
    client, response = sign_in("unit_b")  # even the right password is not checked
    assert response.status_code == 429 and response["Retry-After"] == "600"
    assert "秒后再试" in response.content.decode()
    assert client.get("/").status_code == 302
    [event] = events("accounts.login.throttled")
    assert after(event) == {"retry_after": 600}
    assert User.objects.get(username="unit_b").last_login is None
    # Another address is not affected; the per-account lock-out counted unit_a once only.
    assert sign_in("unit_b", REMOTE_ADDR="10.0.0.9")[1].status_code == 302
    assert User.objects.get(username="unit_a").failed_login_count == 1


def test_the_address_may_try_again_when_its_failures_leave_the_window(personas, settings):
    settings.LOGIN_THROTTLE_FAILURES = 2
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 60
    with time_machine.travel(NOW, tick=False) as traveller:
        sign_in("a-guess", "x")
        traveller.shift(timedelta(seconds=20))
        sign_in("b-guess", "x")
        response = sign_in("unit_a")[1]
        assert response.status_code == 429 and response["Retry-After"] == "40"
        traveller.shift(timedelta(seconds=41))
        assert sign_in("unit_a")[1].status_code == 302

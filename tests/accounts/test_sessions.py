"""Sessions: idle and absolute expiry, sign-out ending the session server-side, and ending a
person's sessions with one indexed delete (by the security administrator, on deactivation,
and on a change of password)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.helpers import LOGOUT_URL, PASSWORD_URL, after, events, session_key, sign_in
from tests.factories import PASSWORD, UserFactory
from wulian.accounts import services
from wulian.accounts.models import ApiToken, User, UserSession
from wulian.core.errors import AccessDenied, RuleViolation

pytestmark = pytest.mark.django_db

NOW = "2026-03-02 09:00:00 +0800"


def _signed_out(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- Expiry -------------------------------------------------------------------------------


def test_an_idle_session_ends(personas):
    idle = timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    with time_machine.travel(NOW, tick=False) as traveller:
        client, _ = sign_in("unit_a")
        key = session_key(client)
        traveller.shift(idle - timedelta(minutes=1))
        assert client.get("/").status_code == 200  # activity: the idle clock restarts
        traveller.shift(idle - timedelta(minutes=1))
        assert client.get("/").status_code == 200
        traveller.shift(idle + timedelta(seconds=1))
        response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fpeople%2F"
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.exists()
    [event] = events("accounts.session.expired")
    assert after(event) == {"reason": "idle"}
    assert event.actor_id == personas.unit_a.pk
    assert (
        "长时间未操作，会话已结束，请重新登录。" in client.get("/accounts/login/").content.decode()
    )


def test_a_session_ends_at_its_absolute_lifetime_despite_activity(personas, settings):
    settings.SESSION_IDLE_SECONDS = 3 * 3600
    lifetime = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(NOW, tick=False) as traveller:
        client, _ = sign_in("unit_a")
        elapsed = timedelta(0)
        while elapsed + timedelta(hours=2) <= lifetime:
            traveller.shift(timedelta(hours=2))
            elapsed += timedelta(hours=2)
            assert client.get("/").status_code == 200, elapsed
        traveller.shift(lifetime - elapsed + timedelta(minutes=1))
        assert _signed_out(client)
    [event] = events("accounts.session.expired")
    assert after(event) == {"reason": "absolute"}
    assert not Session.objects.exists()


def test_an_expired_session_gets_no_answer_from_the_api_either(personas):
    with time_machine.travel(NOW, tick=False) as traveller:
        client, _ = sign_in("unit_a")
        assert client.get("/api/v1/me/", HTTP_ACCEPT="application/json").status_code == 200
        traveller.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1))
        response = client.get("/api/v1/me/", HTTP_ACCEPT="application/json")
    assert response.status_code in (401, 403)
    assert len(events("accounts.session.expired")) == 1


# --- Sign-out -----------------------------------------------------------------------------


def test_sign_out_ends_the_session_on_the_server(personas):
    client, _ = sign_in("unit_a")
    key = session_key(client)
    assert Session.objects.filter(session_key=key).exists()

    response = client.post(LOGOUT_URL)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=personas.unit_a).exists()
    [event] = events("accounts.logout")
    assert event.actor_id == personas.unit_a.pk

    # Someone who kept a copy of the cookie is anonymous with it.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert _signed_out(replay)
    assert replay.get("/api/v1/me/", HTTP_ACCEPT="application/json").status_code in (401, 403)


def test_sign_out_is_post_only(personas):
    client, _ = sign_in("unit_a")
    assert client.get(LOGOUT_URL).status_code == 405
    assert client.get("/").status_code == 200


# --- Ending a person's sessions -------------------------------------------------------------


def test_each_sign_in_is_noted_against_its_user(personas):
    first, _ = sign_in("unit_a")
    second, _ = sign_in("unit_a")
    sign_in("unit_b")
    keys = set(
        UserSession.objects.filter(user=personas.unit_a).values_list("session_id", flat=True)
    )
    assert keys == {session_key(first), session_key(second)}


def test_the_security_administrator_ends_someones_sessions(personas):
    first, _ = sign_in("unit_a")
    second, _ = sign_in("unit_a")
    bystander, _ = sign_in("unit_b")

    ended = services.account_end_sessions(actor=personas.secadmin, user_id=personas.unit_a.pk)

    assert ended == 2
    assert _signed_out(first) and _signed_out(second)
    assert bystander.get("/").status_code == 200
    [event] = events("accounts.sessions.ended")
    assert event.actor_id == personas.secadmin.pk and after(event) == {
        "count": 2,
        "api_tokens_revoked": 0,
    }


def test_ending_sessions_through_the_account_page(personas, client_of):
    client, _ = sign_in("unit_a")
    response = client_of(personas.secadmin).post(
        f"/accounts/manage/{personas.unit_a.pk}/end_sessions/"
    )
    assert response.status_code == 302
    assert _signed_out(client)


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin", "unit_b"])
def test_only_the_security_administrator_ends_sessions(personas, who):
    client, _ = sign_in("unit_a")
    with pytest.raises(AccessDenied):
        services.account_end_sessions(actor=personas.users[who], user_id=personas.unit_a.pk)
    assert client.get("/").status_code == 200


def test_ending_sessions_costs_the_same_however_many_sessions_others_have(personas):
    """An indexed delete, not a scan of every session on the platform."""
    sign_in("unit_a")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.end_sessions_of(personas.unit_a)
        return len(queries)

    few = cost()
    sign_in("unit_a")
    for _ in range(15):
        user = UserFactory()
        sign_in(user.username)
    assert cost() == few
    assert UserSession.objects.count() == 15


def test_deactivating_an_account_ends_its_sessions_and_tokens(personas, client_of):
    client, _ = sign_in("unit_a")
    _token, key = services.api_token_create(user=personas.unit_a, name="报表")

    response = client_of(personas.secadmin).post(
        f"/accounts/manage/{personas.unit_a.pk}/deactivate/"
    )
    assert response.status_code == 302

    assert not User.objects.get(pk=personas.unit_a.pk).is_active
    assert _signed_out(client)
    assert sign_in("unit_a")[1].status_code == 200  # refused
    api = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 401
    [event] = events("accounts.account.deactivated")
    assert after(event) == {"is_active": False, "sessions_ended": 1, "api_tokens_revoked": 1}

    services.account_set_active(actor=personas.secadmin, user_id=personas.unit_a.pk, active=True)
    assert sign_in("unit_a")[1].status_code == 302
    assert len(events("accounts.account.reactivated")) == 1
    assert ApiToken.objects.filter(user=personas.unit_a).count() == 1


def test_deactivation_is_refused_on_oneself_and_to_others(personas):
    with pytest.raises(RuleViolation):
        services.account_set_active(
            actor=personas.secadmin, user_id=personas.secadmin.pk, active=False
        )
    for who in ("sysadmin", "auditadmin", "unit_b"):
        with pytest.raises(AccessDenied):
            services.account_set_active(
                actor=personas.users[who], user_id=personas.unit_a.pk, active=False
            )
    assert User.objects.filter(is_active=False).count() == 0


def test_changing_ones_password_ends_ones_other_sessions(personas):
    here, _ = sign_in("unit_a")
    elsewhere, _ = sign_in("unit_a")
    bystander, _ = sign_in("unit_b")

    response = here.post(
        PASSWORD_URL,
        {
            "old_password": PASSWORD,
            "new_password": "Fresh-Batch-77q",
            "new_password2": "Fresh-Batch-77q",
        },
    )
    assert response.status_code == 302

    assert here.get("/").status_code == 200  # the session in use stays, with a new key
    assert _signed_out(elsewhere)
    assert bystander.get("/").status_code == 200
    [row] = UserSession.objects.filter(user=personas.unit_a)
    assert row.session_key == session_key(here)
    [event] = events("accounts.password.changed")
    assert after(event) == {"other_sessions_ended": 1, "api_tokens_revoked": 0}

    # The row of the session in use follows its new key, so it can still be ended.
    services.account_end_sessions(actor=personas.secadmin, user_id=personas.unit_a.pk)
    assert _signed_out(here)
    assert sign_in("unit_a", "Fresh-Batch-77q")[1].status_code == 302
    assert sign_in("unit_a", PASSWORD)[1].status_code == 200


def test_the_account_page_offers_deactivation_but_not_on_oneself(personas, client_of):
    page = client_of(personas.secadmin).get("/accounts/manage/").content.decode()
    assert f"/accounts/manage/{personas.unit_a.pk}/deactivate/" in page
    assert f"/accounts/manage/{personas.secadmin.pk}/deactivate/" not in page


def test_a_refused_account_action_is_explained(personas, client_of):
    client = client_of(personas.secadmin)
    response = client.post(
        f"/accounts/manage/{personas.secadmin.pk}/reset_second_factor/", follow=True
    )
    assert "不能对自己的账号执行此操作" in response.content.decode()
    assert client.post(f"/accounts/manage/{personas.unit_a.pk}/explode/").status_code == 404

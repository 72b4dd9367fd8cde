"""The security administrator's account steps through the API (wulian.accounts.steps): each
step's success and refusals, the second factor in front of them as on the pages, and the
page's doors kept where they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import ApiClient, assert_problem, audit_events
from tests.factories import UserFactory
from tests.personas import client_for
from wulian.accounts.models import ApiToken, User
from wulian.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def url(user: User, step: str = "") -> str:
    return f"/api/v1/accounts/{user.pk}/{step + '/' if step else ''}"


@pytest.fixture
def locked():
    return UserFactory(
        username="locked", locked_until=timezone.now() + timedelta(hours=1), failed_login_count=5
    )


def test_the_security_administrator_unlocks_an_account(personas, api, locked):
    response = api(personas.secadmin).post_json(url(locked, "unlock"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["username"], body["locked"]) == (locked.pk, "locked", False)
    assert body["failed_login_count"] == 0 and "password" not in body
    locked.refresh_from_db()
    assert not locked.is_locked()
    assert len(audit_events("accounts.account.unlocked")) == 1


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin", "unit_a", "cdi_clue"])
@pytest.mark.parametrize(
    "step", ["unlock", "reset-second-factor", "end-sessions", "deactivate", "token-allowance"]
)
def test_account_administration_stays_with_the_security_administrator(
    personas, api, locked, who, step
):
    assert_problem(api(personas.users[who]).post_json(url(locked, step)), 403, "forbidden")
    assert_problem(api(personas.users[who]).get(url(locked)), 403, "forbidden")
    locked.refresh_from_db()
    assert locked.is_locked() and locked.is_active


def test_deactivate_and_reactivate(personas, api):
    other = UserFactory(username="other")
    client = api(personas.secadmin)
    response = client.post_json(url(other, "deactivate"))
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get(url(other)).json()["is_active"] is False
    assert client.post_json(url(other, "reactivate")).json()["is_active"] is True
    assert [e.action for e in audit_events("accounts.account.deactivated")] == [
        "accounts.account.deactivated"
    ]


@pytest.mark.parametrize("step", ["deactivate", "reset-second-factor", "token-allowance"])
def test_not_on_ones_own_account_is_a_409(personas, api, step):
    body = assert_problem(api(personas.secadmin).post_json(url(personas.secadmin, step)), 409)
    assert "不能对自己的账号" in body["detail"]
    personas.secadmin.refresh_from_db()
    assert personas.secadmin.is_active


def test_the_token_allowance_names_its_field(personas, api):
    client = api(personas.secadmin)
    target = personas.cdi_clue
    for days in ("x", 1.5, 0, 1000):
        body = assert_problem(client.post_json(url(target, "token-allowance"), {"days": days}), 400)
        assert set(body["errors"]) == {"days"}, days
    response = client.post_json(url(target, "token-allowance"), {"days": 30})
    assert response.status_code == 200 and response.json()["api_token_days_allowed"] == 30
    response = client.post_json(url(target, "token-allowance"), {"days": None})
    assert response.status_code == 200 and response.json()["api_token_days_allowed"] is None


def test_the_page_keeps_its_message_for_days_that_are_no_number(personas):
    response = client_for(personas.secadmin).post(
        reverse("accounts:account_token_allowance", args=[personas.cdi_clue.pk]),
        {"days": "三十"},
        follow=True,
    )
    assert "天数须为整数。" in response.content.decode()
    personas.cdi_clue.refresh_from_db()
    assert personas.cdi_clue.api_token_days_allowed is None


def test_end_sessions_ends_the_tokens_too(personas, api, token_for):
    key = token_for(personas.unit_a)
    response = api(personas.secadmin).post_json(url(personas.unit_a, "end-sessions"))
    assert response.status_code == 200, response.content
    assert ApiClient(key).get("/api/v1/me/").status_code == 401


def test_a_missing_account_is_a_404(personas, api):
    assert_problem(api(personas.secadmin).post_json("/api/v1/accounts/999999/unlock/"), 404)


def test_without_credentials_it_is_401(personas, api, locked):
    assert_problem(api().post_json(url(locked, "unlock")), 401)


def test_a_session_short_of_the_second_factor_does_not_reach_it(personas, locked):
    """The security administrator's role needs a second factor: a browser session signed in
    with the password alone is no credential for the API (as it opens no page but the second
    factor's)."""
    client = Client()
    client.force_login(personas.secadmin)
    response = client.post(url(locked, "unlock"), "{}", content_type="application/json")
    assert response.status_code in (401, 403)
    locked.refresh_from_db()
    assert locked.is_locked()
    page = client.post(reverse("accounts:account_unlock", args=[locked.pk]))
    assert page.status_code == 302 and "second-factor" in page["Location"]
    locked.refresh_from_db()
    assert locked.is_locked()
    # Past the second factor, the same session may.
    verified = client_for(personas.secadmin)
    response = verified.post(url(locked, "unlock"), "{}", content_type="application/json")
    assert response.status_code == 200, response.content


def test_the_pages_doors_are_where_they_were(personas, locked):
    client = client_for(personas.secadmin)
    response = client.post(f"/accounts/manage/{locked.pk}/unlock/", follow=True)
    assert "账号已解锁。" in response.content.decode()
    locked.refresh_from_db()
    assert not locked.is_locked()


# --- One's own API tokens ---------------------------------------------------------------------


def test_the_owner_revokes_a_token_and_it_stops_working(personas, api):
    token, key = api_token_create(user=personas.unit_a, name="对接")
    client = api(personas.unit_a)
    body = client.get(f"/api/v1/tokens/{token.pk}/").json()
    assert (body["name"], body["revoked_at"]) == ("对接", None)
    assert "digest" not in body and "key" not in body
    response = client.post_json(f"/api/v1/tokens/{token.pk}/revoke/")
    assert response.status_code == 200, response.content
    assert response.json()["revoked_at"] is not None
    assert ApiClient(key).get("/api/v1/me/").status_code == 401
    assert len(audit_events("accounts.api_token.revoked")) == 1
    # Again: it is revoked already.
    assert_problem(client.post_json(f"/api/v1/tokens/{token.pk}/revoke/"), 409, "wrong_state")
    assert len(audit_events("accounts.api_token.revoked")) == 1


def test_the_token_in_use_revokes_itself(personas, token_for):
    key = token_for(personas.cdi_clue)
    token = ApiToken.objects.get(user=personas.cdi_clue)
    client = ApiClient(key)
    assert client.post_json(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("who", ["unit_b", "secadmin", "sysadmin"])
def test_another_persons_token_is_not_found(personas, api, who):
    token, key = api_token_create(user=personas.unit_a, name="对接")
    client = api(personas.users[who])
    assert_problem(client.get(f"/api/v1/tokens/{token.pk}/"), 404)
    assert_problem(client.post_json(f"/api/v1/tokens/{token.pk}/revoke/"), 404)
    assert ApiClient(key).get("/api/v1/me/").status_code == 200
    page = client_for(personas.users[who]).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert page.status_code == 404
    assert ApiClient(key).get("/api/v1/me/").status_code == 200


def test_the_token_page_revokes_ones_own(personas):
    token, key = api_token_create(user=personas.unit_a, name="对接")
    client = client_for(personas.unit_a)
    page = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "令牌已作废。" in page.content.decode()
    assert ApiClient(key).get("/api/v1/me/").status_code == 401
    page = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "未找到该令牌，或它已作废。" in page.content.decode()

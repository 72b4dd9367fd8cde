"""API tokens: the key is shown once and only its digest is stored; revoked and expired
tokens are refused."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import ME_API, events
from tests.factories import MembershipFactory
from tests.personas import client_for
from wulian.accounts import services
from wulian.accounts.models import ApiToken
from wulian.core.choices import Role
from wulian.core.errors import AccessDenied, RuleViolation, ValidationFailed

pytestmark = pytest.mark.django_db


def _me(key: str):
    return Client().get(ME_API, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_key_is_shown_once_and_only_its_digest_is_kept(personas, client_of):
    client = client_of(personas.unit_a)
    response = client.post("/accounts/tokens/", {"name": "数据对接"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("wl_") and len(key) > 40
    assert key in response.content.decode()

    token = ApiToken.objects.get(user=personas.unit_a)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(key in value for value in stored)
    assert token.prefix == key[:10]

    again = client.get("/accounts/tokens/")
    assert key not in again.content.decode()
    assert token.prefix in again.content.decode() or token.name in again.content.decode()
    [event] = events("accounts.api_token.created")
    assert key not in str(event.after)


def test_a_token_answers_as_its_owner(personas):
    _token, key = services.api_token_create(user=personas.unit_a, name="对接")
    response = _me(key)
    assert response.status_code == 200
    assert response.json()["username"] == "unit_a"
    assert ApiToken.objects.get(user=personas.unit_a).last_used_at is not None


def test_a_revoked_token_is_refused(personas, client_of):
    token, key = services.api_token_create(user=personas.unit_a, name="对接")
    response = client_of(personas.unit_a).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _me(key).status_code == 401
    assert len(events("accounts.api_token.revoked")) == 1


def test_only_the_owner_revokes_a_token(personas, client_of):
    token, key = services.api_token_create(user=personas.unit_a, name="对接")
    client_of(personas.unit_b).post(f"/accounts/tokens/{token.pk}/revoke/")
    services.api_token_revoke(user=personas.unit_b, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _me(key).status_code == 200


def test_an_expired_token_is_refused(personas):
    with time_machine.travel("2026-03-02 09:00:00 +0800", tick=False) as traveller:
        _token, key = services.api_token_create(user=personas.unit_a, name="对接")
        traveller.shift(timedelta(days=settings.API_TOKEN_DAYS) - timedelta(minutes=1))
        assert _me(key).status_code == 200
        traveller.shift(timedelta(minutes=2))
        response = _me(key)
    assert response.status_code == 401
    assert "令牌无效、已过期或已作废。" in response.content.decode()


def test_a_made_up_token_is_refused(personas):
    assert _me("wl_" + "A" * 43).status_code == 401


def test_a_token_needs_a_purpose(personas):
    with pytest.raises(ValidationFailed) as caught:
        services.api_token_create(user=personas.unit_a, name="   ")
    assert caught.value.field_errors == {"name": ["请填写令牌用途。"]}
    assert not ApiToken.objects.exists()


# --- Tokens end with the person's other credentials (issue 11, item 10) --------------------

NOW = "2026-12-06 09:00:00 +0800"


def test_ending_a_persons_sessions_revokes_their_tokens(personas):
    _token, key = services.api_token_create(user=personas.unit_a, name="对接")
    assert _me(key).status_code == 200
    services.account_end_sessions(actor=personas.secadmin, user_id=personas.unit_a.pk)
    assert _me(key).status_code == 401
    [event] = events("accounts.sessions.ended")
    assert event.after_data["api_tokens_revoked"] == 1


def test_a_password_change_revokes_the_tokens(personas):
    from tests.factories import PASSWORD

    _token, key = services.api_token_create(user=personas.unit_a, name="对接")
    services.password_change(
        user=personas.unit_a, old_password=PASSWORD, new_password="Brand-new-Pass-2026!"
    )
    assert _me(key).status_code == 401
    assert events("accounts.password.changed")[0].after_data["api_tokens_revoked"] == 1


def test_a_second_factor_reset_revokes_the_tokens(personas):
    _token, key = services.api_token_create(user=personas.cdi_clue, name="对接")
    assert _me(key).status_code == 200
    services.account_reset_second_factor(actor=personas.secadmin, user_id=personas.cdi_clue.pk)
    assert _me(key).status_code == 401
    assert events("accounts.second_factor.reset")[0].after_data["api_tokens_revoked"] == 1


def test_a_token_of_a_second_factor_role_lasts_a_day(personas):
    with time_machine.travel(NOW, tick=False) as traveller:
        token, key = services.api_token_create(user=personas.cdi_clue, name="对接")
        hours = settings.API_TOKEN_HOURS_SECOND_FACTOR
        assert token.expires_at - token.created_at == timedelta(hours=hours) <= timedelta(days=1)
        other, _key = services.api_token_create(user=personas.unit_a, name="对接")
        assert other.expires_at - other.created_at == timedelta(days=settings.API_TOKEN_DAYS)
        traveller.shift(timedelta(hours=hours, seconds=1))
        assert _me(key).status_code == 401


def test_an_old_long_token_stops_when_its_owner_takes_a_second_factor_role(personas):
    """A token made as a unit's clerk does not stay a 90-day credential for a CDI seat."""
    with time_machine.travel(NOW, tick=False) as traveller:
        _token, key = services.api_token_create(user=personas.deputy, name="对接")
        MembershipFactory(
            person=personas.deputy.person, organisation=personas.orgs["cdi"], role=Role.STAFF
        )
        traveller.shift(timedelta(days=2))
        assert _me(key).status_code == 401


def test_the_security_administrator_allows_longer_tokens_recorded_and_audited(personas):
    with time_machine.travel(NOW, tick=False) as traveller:
        with pytest.raises(AccessDenied):
            services.account_allow_long_tokens(
                actor=personas.sysadmin, user_id=personas.cdi_clue.pk, days=30
            )
        with pytest.raises(ValidationFailed):
            services.account_allow_long_tokens(
                actor=personas.secadmin, user_id=personas.cdi_clue.pk, days=1000
            )
        with pytest.raises(RuleViolation):  # not for oneself
            services.account_allow_long_tokens(
                actor=personas.secadmin, user_id=personas.secadmin.pk, days=30
            )
        response = client_for(personas.secadmin).post(
            reverse("accounts:account_token_allowance", args=[personas.cdi_clue.pk]),
            {"days": "30"},
        )
        assert response.status_code == 302
        personas.cdi_clue.refresh_from_db()
        assert personas.cdi_clue.api_token_days_allowed == 30
        [event] = events("accounts.api_token.allowance_set")
        assert (event.before_data, event.after_data) == (
            {"api_token_days_allowed": None},
            {"api_token_days_allowed": 30},
        )
        token, key = services.api_token_create(user=personas.cdi_clue, name="对接")
        assert token.expires_at - token.created_at == timedelta(days=30)
        traveller.shift(timedelta(days=2))
        assert _me(key).status_code == 200
        services.account_allow_long_tokens(
            actor=personas.secadmin, user_id=personas.cdi_clue.pk, days=None
        )
        assert _me(key).status_code == 401  # withdrawn: the day applies at once

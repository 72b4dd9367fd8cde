"""Bearer tokens: valid, expired, revoked, unknown; and the web session's second factor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import ApiClient, assert_problem
from tests.personas import client_for
from wulian.accounts.models import ApiToken
from wulian.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_no_token_is_401_with_the_bearer_challenge(personas):
    response = ApiClient().get(ME)
    body = assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"
    assert body["title"] == "未认证"


def test_a_valid_token_authenticates_and_records_its_use(personas):
    token, key = api_token_create(user=personas.congress_clerk, name="脚本")
    response = ApiClient(key).get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "congress_clerk"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_token_keyword_is_accepted_too(personas):
    _token, key = api_token_create(user=personas.unit_a, name="脚本")
    client = ApiClient()
    assert client.get(ME, headers={"Authorization": f"Token {key}"}).status_code == 200


def test_an_expired_token_is_refused(personas):
    token, key = api_token_create(user=personas.congress_clerk, name="脚本")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    body = assert_problem(ApiClient(key).get(ME), 401, "authentication_failed")
    assert "令牌" in body["detail"]


def test_a_revoked_token_is_refused(personas):
    token, key = api_token_create(user=personas.congress_clerk, name="脚本")
    assert ApiClient(key).get(ME).status_code == 200
    api_token_revoke(user=personas.congress_clerk, token_id=token.pk)
    assert_problem(ApiClient(key).get(ME), 401, "authentication_failed")


@pytest.mark.parametrize("key", ["wl_not-a-real-key", "x" * 500, "wl_\u00e9"])
def test_an_unknown_token_is_refused(personas, key):
    assert_problem(ApiClient(key).get(ME), 401, "authentication_failed")


@pytest.mark.parametrize("header", ["Bearer", "Basic dXNlcjpwYXNz", "Bearer a b"])
def test_other_authorization_headers_are_no_credentials(personas, header):
    response = ApiClient().get(ME, headers={"Authorization": header})
    assert_problem(response, 401, "not_authenticated")


def test_a_token_of_a_deactivated_account_is_refused(personas):
    _token, key = api_token_create(user=personas.unit_a, name="脚本")
    personas.unit_a.is_active = False
    personas.unit_a.save(update_fields=["is_active"])
    assert_problem(ApiClient(key).get(ME), 401, "authentication_failed")


def test_a_token_of_a_locked_account_is_refused(personas):
    _token, key = api_token_create(user=personas.unit_a, name="脚本")
    personas.unit_a.locked_until = timezone.now() + timedelta(minutes=5)
    personas.unit_a.save(update_fields=["locked_until"])
    assert_problem(ApiClient(key).get(ME), 401, "authentication_failed")


def test_the_web_session_works_once_the_second_factor_is_passed(personas):
    assert client_for(personas.sysadmin).get(ME, HTTP_ACCEPT="application/json").status_code == 200


def test_a_web_session_without_the_required_second_factor_is_not_enough(personas):
    client = ApiClient()
    client.force_login(personas.sysadmin)  # a role that needs TOTP; not verified
    assert_problem(client.get(ME), 401, "not_authenticated")


def test_refusals_are_in_english_on_request(personas):
    body = assert_problem(ApiClient(language="en").get(ME), 401)
    assert body["title"] == "Not authenticated"
    assert body["detail"] == "Authentication credentials were not provided."
    _token, key = api_token_create(user=personas.unit_a, name="脚本")
    ApiToken.objects.update(revoked_at=timezone.now())
    body = assert_problem(ApiClient(key, language="en").get(ME), 401)
    assert body["detail"] == "The token is invalid, expired or revoked."

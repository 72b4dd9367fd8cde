from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.api.conftest import ApiClient
from wulian.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_working_key(personas):
    out = StringIO()
    call_command("api_token", "congress_clerk", name="schemathesis", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    assert key.startswith("wl_")
    token = ApiToken.objects.get(user=personas.congress_clerk)
    assert token.name == "schemathesis" and token.digest != key
    assert ApiClient(key).get("/api/v1/me/").json()["username"] == "congress_clerk"


def test_the_command_refuses_an_unknown_account(personas):
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody", name="x", stdout=StringIO())


def test_the_command_needs_a_purpose(personas):
    with pytest.raises(CommandError):
        call_command("api_token", "congress_clerk", name="  ", stdout=StringIO())

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from wulian.accounts.models import User
from wulian.accounts.services import api_token_create

PROBLEM = "application/problem+json"


class ApiClient(Client):
    """A test client that sends and receives JSON and, given a user, a bearer token."""

    def __init__(self, key: str | None = None, language: str | None = None):
        headers = {}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if language:
            headers["Accept-Language"] = language
        super().__init__(headers=headers, raise_request_exception=False)
        self.key = key

    def post_json(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self.post(path, json.dumps(data or {}), content_type="application/json", **kwargs)

    def patch_json(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self.patch(path, json.dumps(data or {}), content_type="application/json", **kwargs)


@pytest.fixture
def token_for() -> Callable[[User], str]:
    def make(user: User) -> str:
        _token, key = api_token_create(user=user, name="tests")
        return key

    return make


@pytest.fixture
def api(token_for: Callable[[User], str]) -> Callable[..., ApiClient]:
    """`api(personas.sysadmin)`: a client with a fresh token of that user; `api()`: none."""

    def make(user: User | None = None, *, language: str | None = None) -> ApiClient:
        return ApiClient(token_for(user) if user is not None else None, language=language)

    return make


def assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is problem+json of this status (and code); returns the body."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = json.loads(response.content)
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], dict)
    assert isinstance(body["code"], str) and body["code"]
    if code is not None:
        assert body["code"] == code, body
    text = response.content.decode()
    assert "Traceback" not in text and 'File "' not in text
    return body


def audit_events(action: str) -> list[Any]:
    from wulian.core.models import AuditEvent

    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def audit_dict(value: Any) -> dict[str, Any]:
    """An audit event's before/after as a dict (stored as canonical JSON text)."""
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}

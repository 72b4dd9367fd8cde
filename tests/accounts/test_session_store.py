"""The session store's written-out read (wulian.accounts.sessions) gives what Django's
database store gives: the saved data, nothing for an expired or unknown session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from wulian.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(data: dict) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_saved_session_reads_as_django_reads_it():
    key = _saved({"a": 1, "wulian_login_at": 1.5, "nested": {"b": [1, 2]}})
    ours, django = SessionStore(key), DjangoStore(key)
    assert ours.load() == django.load() == {"a": 1, "wulian_login_at": 1.5, "nested": {"b": [1, 2]}}
    assert ours.session_key == django.session_key == key


@pytest.mark.parametrize("case", ["expired", "unknown", "none"])
def test_no_session_reads_as_none_as_in_django(case):
    key = _saved({"a": 1})
    if case == "expired":
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
    elif case == "unknown":
        key = "x" * 32
    else:
        key = None
    ours, django = SessionStore(key), DjangoStore(key)
    assert ours.load() == django.load() == {}
    assert ours.session_key is None and django.session_key is None

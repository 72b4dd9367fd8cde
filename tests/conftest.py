from __future__ import annotations

import os
import socket
from datetime import datetime

import pytest

from tests.personas import Personas, client_for


@pytest.fixture(autouse=True, scope="session")
def _test_today():
    """`WULIAN_TEST_TODAY=2026-12-15 make test` runs the whole suite as if on that day (the
    clock ticks from 10:00 China time): no test may depend on the real date, and CI runs the
    suite again in mid-December of the last year the holiday calendar holds, where every
    working-day clock reaches into a year not yet entered. Tests that set the clock themselves
    still do (time-machine nests)."""
    raw = os.environ.get("WULIAN_TEST_TODAY", "").strip()
    if not raw:
        yield
        return
    import time_machine

    traveller = time_machine.travel(datetime.fromisoformat(f"{raw}T10:00:00+08:00"), tick=True)
    traveller.start()
    try:
        yield
    finally:
        traveller.stop()


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """The product runs on intranets: no test may reach outside this machine."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in {"localhost", "::1"} or host.startswith("/")
        ):
            raise RuntimeError(f"test tried to reach {address!r}; the network is off in tests")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts in the product's default language, whatever the previous one left
    active on the thread (a request in English activates English for the thread)."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test's data left under ids and a chain
    head that the next test's data reuses (a rolled-back SQLite reuses ids) is not its own."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db) -> Personas:
    return Personas.build()


@pytest.fixture(autouse=True)
def _field_keys():
    """A fixed in-memory field key for every test: clues, TOTP secrets and robot secrets are
    encrypted at rest (tests that need the key file set their own)."""
    from tests.clues.helpers import use_test_keyring
    from wulian.core import crypto

    use_test_keyring()
    yield
    crypto.reset_field_keyring(None)


@pytest.fixture
def client_of():
    return client_for


def pytest_configure(config):
    """Tests on committed data (live server, concurrency) empty the database afterwards; the
    audit table refuses that, so its protection is set aside for the flush only and installed
    again right after (whatever state a test left it in)."""
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown
    if getattr(original, "_wulian_wrapped", False):
        return

    def teardown(self):
        from django.db import connections

        from wulian.core import dbprotect

        connection = connections["default"]
        with dbprotect.set_aside(connection):
            original(self)

    teardown._wulian_wrapped = True
    TransactionTestCase._fixture_teardown = teardown

"""Two deliverers at once deliver each message once (PostgreSQL: FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.notifications.helpers import FakeChannel, make_message
from wulian.core.notifications import channels
from wulian.core.notifications.delivery import deliver_due
from wulian.core.notifications.models import Channel, Notification, OutboxMessage, OutboxStatus

N = 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliverers_at_once_deliver_each_message_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an in-memory SQLite database is not shared by threads")
    user = UserFactory()
    for i in range(N):
        make_message(channel=Channel.SMS if i % 2 else Channel.INBOX, recipient=user, address="1")
    original = channels.get("sms")
    fake = channels.register(FakeChannel("sms", delay=0.01))
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def deliverer() -> None:
        try:
            barrier.wait(timeout=10)
            reports.append(deliver_due())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=deliverer) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        channels.register(original)

    assert not errors
    assert sorted(fake.sent) == sorted(set(fake.sent))  # no SMS sent twice
    assert len(fake.sent) == N // 2
    assert Notification.objects.count() == N // 2
    assert sum(r.sent for r in reports) == N
    assert all(r.sent for r in reports), "both deliverers should have taken part"
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}

"""The retention job: delivered, dropped and dead outbox rows and read inbox items go after their
periods; undelivered work and unread items stay; one audit event per run; two runs at once."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from tests.notifications.helpers import make_message
from wulian.core import jobs
from wulian.core.models import AuditEvent
from wulian.core.notifications import retention
from wulian.core.notifications.models import Notification, OutboxMessage, OutboxStatus

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _message(personas, status, age_days, **fields):
    with time_machine.travel(NOW - timedelta(days=age_days), tick=False):
        sent = {"sent_at": NOW - timedelta(days=age_days)} if status == OutboxStatus.SENT else {}
        return make_message(recipient=personas.unit_a, status=status, **sent, **fields)


def _notification(personas, age_days, read):
    with time_machine.travel(NOW - timedelta(days=age_days), tick=False):
        return Notification.objects.create(
            recipient=personas.unit_a,
            kind="tests.thing.happened",
            title="旧消息",
            read_at=NOW - timedelta(days=age_days) if read else None,
        )


@pytest.mark.django_db
def test_old_delivered_work_goes_and_undelivered_or_unread_stays(personas):
    S = OutboxStatus
    gone = [
        _message(personas, S.SENT, 91),
        _message(personas, S.DROPPED, 91),
        _message(personas, S.DEAD, 181),
    ]
    kept = [
        _message(personas, S.SENT, 89),
        _message(personas, S.DEAD, 100),
        *(_message(personas, s, 400) for s in (S.PENDING, S.FAILED, S.SENDING, S.UNCERTAIN)),
    ]
    inbox = _message(personas, S.SENT, 120)
    read_old = _notification(personas, 366, read=True)
    read_old.outbox = inbox
    read_old.save(update_fields=["outbox"])
    kept_items = [_notification(personas, 364, read=True), _notification(personas, 800, read=False)]

    with time_machine.travel(NOW, tick=False):
        counts = jobs.run("notifications.retention")

    assert counts == {"outbox_done": 3, "outbox_dead": 1, "notifications_read": 1}
    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert remaining == {m.pk for m in kept}
    assert not remaining & {m.pk for m in gone}
    assert set(Notification.objects.values_list("pk", flat=True)) == {n.pk for n in kept_items}
    [event] = AuditEvent.objects.filter(action="notifications.retention.purged")
    after = json.loads(event.after)
    assert (after["outbox_done"], after["outbox_dead"], after["notifications_read"]) == (3, 1, 1)
    assert datetime.fromisoformat(after["sent_before"]) == NOW - timedelta(days=90)


@pytest.mark.django_db
def test_retention_periods_come_from_the_settings(personas, settings):
    settings.NOTIFICATION_OUTBOX_RETENTION_DAYS = 7
    settings.NOTIFICATION_READ_RETENTION_DAYS = 30
    _message(personas, OutboxStatus.SENT, 8)
    _notification(personas, 31, read=True)
    with time_machine.travel(NOW, tick=False):
        assert retention.purge() == {"outbox_done": 1, "outbox_dead": 0, "notifications_read": 1}


@pytest.mark.django_db
def test_a_run_with_nothing_to_remove_still_records_one_event(personas):
    _message(personas, OutboxStatus.SENT, 1)
    with time_machine.travel(NOW, tick=False):
        retention.purge()
        retention.purge()
    assert OutboxMessage.objects.count() == 1
    assert AuditEvent.objects.filter(action="notifications.retention.purged").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_delete_each_row_once(personas, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an in-memory SQLite database is not shared by threads")
    monkeypatch.setattr(retention, "CHUNK", 7)
    for _ in range(60):
        _message(personas, OutboxStatus.SENT, 100)
    _message(personas, OutboxStatus.PENDING, 100)
    results: list[dict] = []

    def run():
        try:
            with time_machine.travel(NOW, tick=True):
                results.append(retention.purge())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["outbox_done"] for r in results) == 60
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == [OutboxStatus.PENDING]
    assert AuditEvent.objects.filter(action="notifications.retention.purged").count() == 2

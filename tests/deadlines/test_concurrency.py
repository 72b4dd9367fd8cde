"""Two sweeps at once send each point once: on PostgreSQL two threads, each with its own
connection, start together (SKIP LOCKED splits the rows between them); on any database the
unique (deadline, point) row refuses a second send of a point already recorded."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import time_machine
from django.db import connection

from tests.deadlines.conftest import local
from wulian.core import audit
from wulian.core.deadlines import rules
from wulian.core.deadlines.models import Deadline, DeadlinePoint
from wulian.core.deadlines.services import desk_users
from wulian.core.deadlines.sweep import _process, sweep
from wulian.core.models import AuditEvent, Organisation
from wulian.core.notifications.models import OutboxMessage

N = 40


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_sweeps_on_postgresql_send_each_point_once(personas, open_deadline):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED between two connections needs PostgreSQL (SQLite serialises)")
    records = list(Organisation.objects.all())
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        for i in range(N):
            open_deadline(record=records[i % len(records)], kind=f"k{i}")
    now = local(2025, 2, 5, 9, 0)  # every deadline's 50 % reminder is due
    barrier = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(sweep(now=now, batch_size=3))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(results) == 2
    assert sum(r["reminded"] for r in results) == N
    assert sum(r["deadlines"] for r in results) == N, "no deadline was claimed twice"
    assert sum(r["failed"] + r["already_sent"] for r in results) == 0
    assert Counter(DeadlinePoint.objects.values_list("point", flat=True)) == {"g0:r50": N}
    assert AuditEvent.objects.filter(action="deadlines.deadline.reminded").count() == N
    keys = list(
        OutboxMessage.objects.filter(kind="deadlines.deadline.reminded").values_list(
            "key", flat=True
        )
    )
    assert len(keys) == len(set(keys)) and len(keys) >= N
    assert audit.verify().ok
    # And once more, nothing is left.
    assert sweep(now=now)["deadlines"] == 0


@pytest.mark.django_db
def test_a_point_already_recorded_is_not_sent_again(personas, open_deadline):
    """What protects a sweep that read a deadline before another sweep committed it."""
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
    now = local(2025, 2, 5, 9, 0)
    stale = Deadline.objects.get(pk=d.pk)
    users = desk_users([d.responsible_org_id, d.assigner_org_id])
    assert _process(Deadline.objects.get(pk=d.pk), now, set(), users)["reminded"] == 1
    # A second sweep holding the same stale view of the deadline tries the same point.
    assert _process(stale, now, set(), users) == Counter({"already_sent": 1})
    assert DeadlinePoint.objects.count() == 1
    assert AuditEvent.objects.filter(action="deadlines.deadline.reminded").count() == 1
    assert OutboxMessage.objects.filter(kind="deadlines.deadline.reminded").count() == len(
        OutboxMessage.objects.filter(kind="deadlines.deadline.reminded").values("key").distinct()
    )
    assert rules.loaded(stale.schedule)[0]["point"] == "g0:r50"

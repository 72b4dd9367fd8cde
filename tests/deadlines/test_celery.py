"""At scale the sweep runs as a Celery task on the real Redis at 127.0.0.1:6379: a worker
thread takes `wulian.run_job("deadlines.sweep")` from the queue, and the reminder is sent once
however often the task runs.

Skipped (with the reason) only when Redis is unreachable; CI sets WULIAN_REQUIRE_REDIS=1, and
then an unreachable Redis fails the test instead."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from wulian.core.deadlines.models import DeadlinePoint
from wulian.core.deadlines.rules import Rule
from wulian.core.notifications.models import OutboxMessage

REDIS = ("127.0.0.1", 6379)
# A database number of its own, so that the test never sees a running site's queue.
BROKER = "redis://127.0.0.1:6379/14"


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_or_skip():
    if _redis_up():
        return
    if os.environ.get("WULIAN_REQUIRE_REDIS") == "1":
        pytest.fail("Redis is not reachable on 127.0.0.1:6379 but WULIAN_REQUIRE_REDIS=1")
    pytest.skip("Redis is not reachable on 127.0.0.1:6379 (CI requires it)")


@pytest.fixture
def celery_app(redis_or_skip):
    from wulian.celery import app

    saved = {k: app.conf.get(k) for k in ("broker_url", "result_backend", "task_ignore_result")}
    app.conf.update(broker_url=BROKER, result_backend=BROKER, task_ignore_result=False)
    app.connection_for_write().default_channel.client.flushdb()  # a clean queue
    yield app
    app.connection_for_write().default_channel.client.flushdb()
    app.conf.update(saved)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_sweep_task_runs_on_a_real_celery_worker_and_sends_once(
    celery_app, personas, open_deadline
):
    from celery.contrib.testing.worker import start_worker

    from wulian.celery import beat_schedule, run_job

    assert beat_schedule()["deadlines.sweep"] == {
        "task": "wulian.run_job",
        "schedule": 60.0,
        "args": ("deadlines.sweep",),
        "options": {"expires": 60},
    }
    # A 48-hour deadline opened 30 hours ago: its 50 % reminder is due, the 80 % one is not.
    d = open_deadline(
        kind="contact", rule=Rule.hours(48), start=timezone.now() - timedelta(hours=30)
    )
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        first = run_job.delay("deadlines.sweep").get(timeout=60)
        again = [run_job.delay("deadlines.sweep") for _ in range(3)]
        later = [r.get(timeout=60) for r in again]
    assert first["reminded"] == 1
    assert all(r["reminded"] == 0 for r in later)
    assert list(DeadlinePoint.objects.values_list("point", "outcome")) == [("g0:r50", "sent")]
    keys = OutboxMessage.objects.filter(key__startswith=f"deadline:{d.pk}:g0:r50:")
    assert keys.count() >= 1
    assert set(keys.values_list("recipient__username", flat=True)) == {"unit_a"}

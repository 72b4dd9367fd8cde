"""Celery at scale: the periodic jobs of `wulian.core.jobs` as tasks on a queue.

Off unless `CELERY_BROKER_URL` is set (e.g. `redis://redis.internal:6379/0`). Then run, on as
many machines as needed:

    celery -A wulian worker --loglevel INFO      # executes the jobs
    celery -A wulian beat --loglevel INFO        # exactly one per site: schedules them

Beat sends `wulian.run_job` with each registered job's name at the job's interval; the worker
calls the same function `wulian worker` calls. The jobs are safe to run twice at once (they
claim rows with SKIP LOCKED and record what they sent), so a late or duplicated beat tick, or
`wulian worker` left running beside Celery, sends nothing twice.

Small sites need none of this: `wulian worker` (started by `make run`) runs the same jobs.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wulian.settings")

app = Celery("wulian")
app.conf.update(
    broker_url=os.environ.get("CELERY_BROKER_URL", "") or None,
    # No result backend by default: the jobs log what they did; nothing waits on a result.
    result_backend=os.environ.get("CELERY_RESULT_BACKEND", "") or None,
    task_ignore_result=not os.environ.get("CELERY_RESULT_BACKEND"),
    task_serializer="json",
    accept_content=["json"],
    timezone=os.environ.get("TIME_ZONE", "Asia/Shanghai"),
    enable_utc=True,
    # A job is short and idempotent: acknowledge after it ran, so a crashed worker's job is
    # run again by another one.
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)


@app.task(name="wulian.run_job")
def run_job(name: str) -> Any:
    """Run one registered job (`deadlines.sweep`, `audit.checkpoint`, …)."""
    from django.db import close_old_connections

    from wulian.core import jobs

    close_old_connections()
    try:
        return jobs.run(name)
    finally:
        close_old_connections()


def beat_schedule() -> dict[str, dict[str, Any]]:
    """One beat entry per registered job, at the job's own interval."""
    import django

    django.setup()
    from wulian.core import jobs

    return {
        name: {
            "task": "wulian.run_job",
            "schedule": float(entry.every_seconds),
            "args": (name,),
            "options": {"expires": max(entry.every_seconds, 30)},
        }
        for name, entry in sorted(jobs.registered().items())
    }


@app.on_after_configure.connect
def _schedule(sender: Celery, **kwargs: Any) -> None:
    sender.conf.beat_schedule = beat_schedule()

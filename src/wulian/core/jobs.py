"""Background work that runs by itself: a registry of periodic jobs.

Each job is a plain function, safe to run twice at once and to run again after a crash
(sweeps claim rows with locks and record what they sent). Two runners call the same
functions:

- `wulian worker` — a loop in one process, started by `make run` beside the web server: the
  embedded tier needs no extra service;
- Celery beat + workers on Redis or RabbitMQ at scale (`wulian.celery`: beat sends the task
  `wulian.run_job` for each job on its schedule).

`wulian worker --once` runs every job one time (what `wulian sweep` does for deadlines).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    fn: Callable[[], Any]


_jobs: dict[str, Job] = {}


def job(name: str, *, every_seconds: int) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register a periodic job. Apps register theirs in `AppConfig.ready()` (via import)."""

    def decorator(fn: Callable[[], Any]) -> Callable[[], Any]:
        if name in _jobs and _jobs[name].fn is not fn:
            raise RuntimeError(f"job {name!r} registered twice")
        _jobs[name] = Job(name=name, every_seconds=every_seconds, fn=fn)
        return fn

    return decorator


def registered() -> dict[str, Job]:
    return dict(_jobs)


def run(name: str) -> Any:
    """Run one job now, logging (not raising) its failure so that one job cannot stop others."""
    entry = _jobs[name]
    try:
        return entry.fn()
    except Exception:
        log.exception("job %s failed", name)
        return None

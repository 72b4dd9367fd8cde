"""Periodic work of the suggestions app: a missed reply or re-reply deadline escalates to
joint supervision by itself (an automatic 逾期督办 order), without anyone pressing anything."""

from __future__ import annotations

from wulian.core.jobs import job


@job("suggestions.overdue_escalate", every_seconds=900)
def overdue_escalate() -> int:
    from wulian.suggestions.services import overdue_escalate as run

    return run()

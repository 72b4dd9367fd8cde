"""Audit chain at scale: fill a chain of N events (hashes computed as `record()` does), then
measure the append rate through `audit.record()` on top of it and the verify rate over it."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone


def fill(n: int) -> float:
    from wulian.core import audit
    from wulian.core.models import AuditEvent, AuditHead

    head = AuditHead.objects.get(id=1)
    prev, seq = head.hash, head.seq
    start_at = timezone.now() - timedelta(days=365)
    batch: list[AuditEvent] = []
    started = time.perf_counter()
    actions = [
        "suggestions.suggestion.assigned",
        "core.person.updated",
        "accounts.login.password_ok",
    ]
    for i in range(n):
        seq += 1
        body = audit.canonical(
            seq,
            audit.at_text(start_at + timedelta(seconds=i * 30)),
            None,
            f"clerk{i % 500}",
            i % 60,
            actions[i % 3],
            "success",
            "suggestions.suggestion",
            str(i % 200_000),
            f"关于加快推进第{i % 1000}号民生实事项目的建议",
            audit.canonical_json({"status": "accepted"}),
            audit.canonical_json({"status": "assigned", "lead_unit": i % 60}),
            f"{i:032x}",
            "10.1.2.3",
        ).decode()
        ev = AuditEvent(body=body, prev_hash=prev, hash=audit.chain_hash(prev, body))
        prev = ev.hash
        batch.append(ev)
        if len(batch) == 10_000:
            with transaction.atomic():
                AuditEvent.objects.bulk_create(batch)
            batch.clear()
    with transaction.atomic():
        if batch:
            AuditEvent.objects.bulk_create(batch)
        AuditHead.objects.filter(id=1).update(seq=seq, hash=prev)
    return time.perf_counter() - started


def run(args) -> None:
    from wulian.core import audit

    n = args.events
    elapsed = fill(n)
    print(f"fill: {n:,} events written in {elapsed:.1f} s ({n / elapsed:,.0f} events/s, bulk)")

    appends = 5_000
    started = time.perf_counter()
    for i in range(appends):
        with transaction.atomic():
            audit.record(
                action="bench.thing.changed",
                target=("bench.thing", i, f"事项{i}"),
                before={"status": "a"},
                after={"status": "b"},
            )
    elapsed = time.perf_counter() - started
    print(
        f"append: {appends:,} events through audit.record() (one transaction each) on a "
        f"{n:,}-event chain in {elapsed:.1f} s = {appends / elapsed:,.0f} events/s"
    )

    for workers in (1, os.cpu_count() or 1):
        connection.close()
        started = time.perf_counter()
        result = audit.verify(workers=workers)
        elapsed = time.perf_counter() - started
        assert result.ok, result.first_break
        print(
            f"verify ({workers} process{'es' if workers > 1 else ''}): {result.events:,} events "
            f"in {elapsed:.1f} s = {result.events / elapsed:,.0f} events/s"
        )

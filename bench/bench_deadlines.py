"""The deadline sweep over N open deadlines (default 100,000).

A city's worth of open deadlines — 48-hour contacts, 15-working-day answers and 3-month
replies, started over the last four months (some overdue and still open), on 60 handling units
with two desk staff each —
as if the sweep had last run BENCH_SWEEP_GAP_HOURS ago (default 24: a worker down for a day).
Every point before that is recorded as dealt with; the points that fell due since are the
backlog. Then: one full `sweep()` (it sends the backlog: outbox rows, audit events, point
rows), and a second one right after, with next to nothing left to send (the steady-state cost
of each minute's sweep over the whole table).
"""

from __future__ import annotations

import os
import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

BATCH = 10_000
UNITS = 60
# (rule kind, amount, share): the mix of open deadlines.
MIX = (("hours", 48, 0.10), ("working_days", 15, 0.50), ("months", 3, 0.40))


def _people(n_units: int):
    from django.contrib.auth.hashers import make_password

    from wulian.accounts.models import User
    from wulian.core.choices import OrgKind, Role
    from wulian.core.models import Membership, Organisation, Person

    office = Organisation.objects.create(
        kind=OrgKind.CONGRESS_BODY, code="BENCH-DB", name="代表工委（基准）"
    )
    units = Organisation.objects.bulk_create(
        Organisation(kind=OrgKind.HANDLING_UNIT, code=f"BENCH-U{i:03d}", name=f"承办单位{i}")
        for i in range(n_units)
    )
    orgs = [office, *units]
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench{i}_{k}", email=f"bench{i}_{k}@example.gov.cn", password=unusable)
        for i in range(len(orgs))
        for k in range(2)
    )
    people = Person.objects.bulk_create(Person(name=f"人员{u.pk}", user=u) for u in users)
    Membership.objects.bulk_create(
        Membership(
            person=p,
            organisation=orgs[i // 2],
            role=Role.STAFF if i < 2 else Role.LIAISON,
        )
        for i, p in enumerate(people)
    )
    return office, units


def fill(n: int, gap: timedelta) -> dict[str, int]:
    from django.contrib.contenttypes.models import ContentType

    from wulian.core.deadlines import rules, workcalendar
    from wulian.core.deadlines.choices import PointOutcome
    from wulian.core.deadlines.models import Deadline, DeadlinePoint
    from wulian.core.models import Organisation

    rng = random.Random(20250128)
    office, units = _people(UNITS)
    ctype = ContentType.objects.get_for_model(Organisation)
    now = timezone.now()
    last_sweep = now - gap
    workcalendar.snapshot()
    kinds = [(k, a) for k, a, share in MIX for _ in range(round(share * 100))]
    stats = {"deadlines": 0, "points_done": 0}
    cache: dict[tuple[str, int, object], tuple] = {}
    for chunk_start in range(0, n, BATCH):
        rows, done_rows = [], []
        for i in range(chunk_start, min(n, chunk_start + BATCH)):
            kind, amount = kinds[i % len(kinds)]
            rule = rules.Rule(kind, amount)
            span = {"hours": 2, "working_days": 21, "months": 91}[kind]
            # Started at a random moment within 1.3 spans of the rule (some are overdue and
            # still open), to the minute so that many rows share one computed schedule.
            start = (now - timedelta(minutes=rng.randrange(int(span * 1.3 * 24 * 60)))).replace(
                second=0, microsecond=0
            )
            key = (kind, amount, start)
            if key not in cache:
                due = rules.due_at(rule, start)
                esc = rules.escalate_at(due, 0, "hours")
                points = rules.schedule(
                    rule=rule,
                    start=start,
                    original_due=due,
                    due=due,
                    reminder_points=[50, 80],
                    escalate=esc,
                    generation=0,
                )
                cache[key] = (
                    due,
                    esc,
                    points,
                    rules.stored(points),
                    rules.provisional(rule, start, due),
                )
            due, esc, points, stored, provisional = cache[key]
            done = [p for p in points if p["at"] <= last_sweep]
            pending = [p for p in points if p["at"] > last_sweep]
            rows.append(
                Deadline(
                    content_type=ctype,
                    object_id=units[i % len(units)].pk,
                    kind=f"bench{i}",
                    title=f"第{i}号代表建议的答复",
                    manage_action="core.organisation.manage",
                    assigner_org=office,
                    responsible_org=units[i % len(units)],
                    rule_kind=kind,
                    rule_amount=amount,
                    start=start,
                    due_at=due,
                    original_due_at=due,
                    escalate_at=esc,
                    provisional=provisional,
                    schedule=stored,
                    next_point=pending[0]["point"] if pending else "",
                    next_point_at=pending[0]["at"] if pending else None,
                )
            )
            done_rows.append(done)
        with transaction.atomic():
            created = Deadline.objects.bulk_create(rows)
            points = [
                DeadlinePoint(
                    deadline=d, point=p["point"], scheduled_at=p["at"], outcome=PointOutcome.SENT
                )
                for d, done in zip(created, done_rows, strict=True)
                for p in done
            ]
            DeadlinePoint.objects.bulk_create(points)
        stats["deadlines"] += len(rows)
        stats["points_done"] += len(points)
    return stats


def run(args) -> None:
    from wulian.core.deadlines.models import Deadline
    from wulian.core.deadlines.sweep import sweep
    from wulian.core.models import AuditEvent
    from wulian.core.notifications.models import OutboxMessage

    n = args.deadlines
    gap = timedelta(hours=float(os.environ.get("BENCH_SWEEP_GAP_HOURS", "24")))
    started = time.perf_counter()
    stats = fill(n, gap)
    elapsed = time.perf_counter() - started
    print(
        f"fill: {stats['deadlines']:,} open deadlines ({', '.join(f'{k} {a}' for k, a, _ in MIX)})"
        f" and {stats['points_done']:,} points already dealt with, in {elapsed:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    backlog = Deadline.objects.filter(state="open", next_point_at__lte=timezone.now()).count()
    print(
        f"backlog: {backlog:,} deadlines ({backlog / n:.1%}) have a point that fell due in the "
        f"last {gap.total_seconds() / 3600:g} h"
    )
    events_before = AuditEvent.objects.count()
    outbox_before = OutboxMessage.objects.count()
    started = time.perf_counter()
    result = sweep()
    elapsed = time.perf_counter() - started
    events = AuditEvent.objects.count() - events_before
    messages = OutboxMessage.objects.count() - outbox_before
    sent = result["reminded"] + result["escalated"]
    print(
        f"sweep: the sweep time over {n:,} open deadlines: {elapsed:.1f} s — sent {sent:,} points "
        f"({result['reminded']:,} reminders, {result['escalated']:,} escalations; "
        f"{result['skipped']:,} skipped), {messages:,} outbox messages, {events:,} audit events "
        f"= {sent / elapsed:,.0f} points/s"
    )
    started = time.perf_counter()
    again = sweep()
    elapsed = time.perf_counter() - started
    print(
        f"sweep again right after (the steady state, every minute): {elapsed * 1000:.0f} ms over "
        f"{n:,} open deadlines (sent {again['reminded'] + again['escalated']}: the points that "
        "fell due while the first sweep ran)"
    )

    complete_next_year(n)


def complete_next_year(n: int) -> None:
    """Completing next year in the holiday calendar recounts every live deadline counted on it
    (ADR 0016): the time of that one transaction, with a bridge day in early January so that
    the due dates reaching past it move (each an audit event and a message)."""
    from datetime import date

    from wulian.core.deadlines import services, statutory
    from wulian.core.deadlines.choices import DayKind
    from wulian.core.deadlines.models import CalendarYear, Deadline
    from wulian.core.models import AuditEvent
    from wulian.core.notifications.models import OutboxMessage

    year = timezone.localdate().year + 1
    provisional = Deadline.objects.filter(provisional=True, state="open").count()
    if CalendarYear.objects.filter(year=year, complete=True).exists() or not provisional:
        print(
            f"complete {year}: nothing to recount ({provisional:,} provisional deadlines; the "
            "figure is measured in November and December, before next year is entered)"
        )
        return
    for day, name in statutory.holidays(year).items():
        services.calendar_day_add(actor=None, day=day, kind=DayKind.HOLIDAY, name=name)
    bridge = date(year, 1, 2)
    while bridge.weekday() >= 5 or bridge in statutory.holidays(year):
        bridge += timedelta(days=1)
    services.calendar_day_add(actor=None, day=bridge, kind=DayKind.HOLIDAY, name="调休")
    events_before, outbox_before = AuditEvent.objects.count(), OutboxMessage.objects.count()
    started = time.perf_counter()
    services.calendar_year_complete(actor=None, year=year)
    elapsed = time.perf_counter() - started
    moved = AuditEvent.objects.filter(action="deadlines.deadline.recalculated").count()
    print(
        f"complete {year}: {elapsed:.1f} s in one transaction for {provisional:,} provisional "
        f"deadlines of {n:,} open — {moved:,} due dates moved "
        f"({AuditEvent.objects.count() - events_before:,} audit events, "
        f"{OutboxMessage.objects.count() - outbox_before:,} messages)"
    )

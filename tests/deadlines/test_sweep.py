"""The sweep, with frozen time across Spring Festival and National Day 2025: each reminder
and escalation is sent exactly once however often the sweep runs, to the right people, and
never while the clock is paused."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from tests.deadlines.conftest import local
from wulian.core import audit, jobs
from wulian.core.deadlines import services
from wulian.core.deadlines.choices import PointOutcome
from wulian.core.deadlines.models import DeadlinePoint
from wulian.core.deadlines.rules import Rule, WorkingDays
from wulian.core.deadlines.sweep import sweep
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def run_sweeps_through(start: datetime, end: datetime, step: timedelta, runs_each: int = 3):
    """Advance frozen time from start to end, sweeping `runs_each` times at each step; return
    {point: the first moment it had been sent}."""
    first_seen: dict[str, datetime] = {}
    at = start
    while at <= end:
        with time_machine.travel(at, tick=False):
            for _ in range(runs_each):
                sweep()
        for point in DeadlinePoint.objects.values_list("point", flat=True):
            first_seen.setdefault(point, at)
        at += step
    return first_seen


def sent_counts() -> Counter:
    return Counter(
        DeadlinePoint.objects.filter(outcome=PointOutcome.SENT).values_list("point", flat=True)
    )


def audit_counts() -> Counter:
    return Counter(
        AuditEvent.objects.filter(
            action__in=["deadlines.deadline.reminded", "deadlines.deadline.escalated"]
        ).values_list("action", flat=True)
    )


def test_the_sweep_is_registered_as_a_job_every_minute():
    assert jobs.registered()["deadlines.sweep"].every_seconds == 60
    assert jobs.registered()["deadlines.sweep"].fn is sweep


def test_five_working_days_across_spring_festival(personas, open_deadline):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline(
            escalate_after=WorkingDays(1),
            escalate_to=[personas.orgs["gov_office"], personas.orgs["stationed_group"]],
        )
    first = run_sweeps_through(
        local(2025, 1, 24, 10, 0), local(2025, 2, 12, 0, 0), timedelta(hours=1)
    )
    # Nothing during the holiday; 50 % on Feb 5 08:00, 80 % on Feb 7 08:00, escalation on the
    # make-up Saturday Feb 8 at 08:00.
    assert first == {
        "g0:r50": local(2025, 2, 5, 8, 0),
        "g0:r80": local(2025, 2, 7, 8, 0),
        "g0:esc": local(2025, 2, 8, 8, 0),
    }
    assert sent_counts() == {"g0:r50": 1, "g0:r80": 1, "g0:esc": 1}
    assert audit_counts() == {"deadlines.deadline.reminded": 2, "deadlines.deadline.escalated": 1}
    # Each point's message went to each recipient once (per channel).
    for point in ("g0:r50", "g0:r80", "g0:esc"):
        keys = OutboxMessage.objects.filter(key__startswith=f"deadline:{d.pk}:{point}:")
        assert keys.exists()
        assert len(set(keys.values_list("key", flat=True))) == keys.count()
    reminded = set(
        OutboxMessage.objects.filter(kind="deadlines.deadline.reminded").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"unit_a"}
    escalated = set(
        OutboxMessage.objects.filter(kind="deadlines.deadline.escalated").values_list(
            "recipient__username", flat=True
        )
    )
    # The assigner's staff, the government supervision office and the stationed group.
    assert escalated == {"congress_clerk", "gov_supervisor", "stationed"}
    assert audit.verify().ok


def test_fifteen_working_days_across_national_day(personas, open_deadline):
    with time_machine.travel(local(2025, 9, 26, 9, 0), tick=False):
        open_deadline(rule=Rule.working_days(15))
    first = run_sweeps_through(
        local(2025, 9, 26, 9, 0), local(2025, 10, 25, 0, 0), timedelta(hours=2), runs_each=2
    )
    # Swept every two hours from 09:00: the first sweep after 08:00 on Oct 14 (50 %: 8 working
    # days left) and Oct 21 (80 %: 3 left), and the first after the due time Oct 23 23:59:59.
    assert first == {
        "g0:r50": local(2025, 10, 14, 9, 0),
        "g0:r80": local(2025, 10, 21, 9, 0),
        "g0:esc": local(2025, 10, 24, 1, 0),
    }
    assert sent_counts() == {"g0:r50": 1, "g0:r80": 1, "g0:esc": 1}


def test_a_48_hour_rule_over_national_day_counts_every_hour(personas, open_deadline):
    with time_machine.travel(local(2025, 9, 30, 18, 0), tick=False):
        open_deadline(kind="contact", title="联系领衔代表", rule=Rule.hours(48))
    first = run_sweeps_through(
        local(2025, 9, 30, 18, 0), local(2025, 10, 3, 0, 0), timedelta(minutes=30), runs_each=2
    )
    assert first == {
        "g0:r50": local(2025, 10, 1, 18, 0),
        "g0:r80": local(2025, 10, 2, 8, 30),  # due 08:24, swept at the next half hour
        "g0:esc": local(2025, 10, 2, 18, 0),
    }
    assert sent_counts() == {"g0:r50": 1, "g0:r80": 1, "g0:esc": 1}
    body = OutboxMessage.objects.filter(kind="deadlines.deadline.reminded").first().body
    assert "联系领衔代表" in body and "48 小时" in body and "还剩" in body


def test_a_stopped_sweep_sends_only_the_latest_point(personas, open_deadline):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        open_deadline()
    with time_machine.travel(local(2025, 2, 7, 12, 0), tick=False):
        result = sweep()
    assert result["reminded"] == 1 and result["skipped"] == 1
    assert dict(DeadlinePoint.objects.values_list("point", "outcome")) == {
        "g0:r50": "skipped",
        "g0:r80": "sent",
    }
    with time_machine.travel(local(2025, 2, 10, 12, 0), tick=False):
        assert sweep()["escalated"] == 1
        assert sweep()["deadlines"] == 0


def test_overdue_on_opening_escalates_without_stale_reminders(personas, open_deadline):
    with time_machine.travel(local(2025, 3, 10, 9, 0), tick=False):
        open_deadline(kind="contact", rule=Rule.hours(48), start=local(2025, 3, 1, 9, 0))
        result = sweep()
    assert result["escalated"] == 1 and result["reminded"] == 0 and result["skipped"] == 2


def test_no_reminder_while_paused_and_shifted_after_resume(personas, open_deadline):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
    with time_machine.travel(local(2025, 1, 27, 15, 0), tick=False):
        services.deadline_pause(actor=personas.congress_clerk, deadline_id=d.pk)
    with time_machine.travel(local(2025, 2, 7, 12, 0), tick=False):
        assert sweep()["deadlines"] == 0  # the 50 % and 80 % times passed, but paused
        services.deadline_resume(actor=personas.congress_clerk, deadline_id=d.pk)
    d.refresh_from_db()
    # Paused Jan 27 → resumed Feb 7: working days Feb 5, 6, 7 are given back; due Feb 7 →
    # Feb 8 (make-up Saturday), 10, 11.
    assert d.due_at == local(2025, 2, 11, 23, 59, 59)
    first = run_sweeps_through(
        local(2025, 2, 7, 12, 0), local(2025, 2, 14, 0, 0), timedelta(hours=1), runs_each=2
    )
    assert first == {
        "g0:r50": local(2025, 2, 8, 8, 0),  # 3 working days left: Feb 8, 10, 11
        "g0:r80": local(2025, 2, 11, 8, 0),
        "g0:esc": local(2025, 2, 12, 0, 0),
    }
    assert sent_counts() == {"g0:r50": 1, "g0:r80": 1, "g0:esc": 1}


def test_an_approved_extension_brings_new_reminders_once(personas, open_deadline):
    with time_machine.travel(local(2025, 3, 3, 9, 0), tick=False):
        d = open_deadline(kind="contact", rule=Rule.hours(48))
    with time_machine.travel(local(2025, 3, 4, 12, 0), tick=False):
        assert sweep()["reminded"] == 1  # 50 % (27 of 48 hours gone)
        req = services.extension_request(
            actor=personas.unit_a, deadline_id=d.pk, new_due=local(2025, 3, 7, 9, 0), reason="x"
        )
        services.extension_approve(actor=personas.congress_clerk, extension_id=req.pk)
    first = run_sweeps_through(
        local(2025, 3, 4, 12, 0), local(2025, 3, 8, 0, 0), timedelta(hours=1)
    )
    # The new schedule keeps the 48-hour span before the new due time (Mar 7 09:00).
    assert first["g1:r50"] == local(2025, 3, 6, 9, 0)
    assert first["g1:r80"] == local(2025, 3, 7, 0, 0)  # due 23:24, swept at the next hour
    assert first["g1:esc"] == local(2025, 3, 7, 9, 0)
    assert sent_counts() == {"g0:r50": 1, "g1:r50": 1, "g1:r80": 1, "g1:esc": 1}


def test_a_closed_deadline_gets_nothing(personas, open_deadline):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
        services.deadline_meet(actor=personas.unit_a, deadline_id=d.pk)
    with time_machine.travel(local(2025, 3, 1, 0, 0), tick=False):
        assert sweep()["deadlines"] == 0
    assert not DeadlinePoint.objects.exists()


def test_a_responsible_person_is_reminded_instead_of_the_whole_unit(personas, open_deadline):
    from tests.factories import account
    from wulian.core.choices import Role

    other = account(personas.orgs["unit_a"], Role.STAFF, username="unit_a_other")
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        open_deadline(responsible_user=other)
    with time_machine.travel(local(2025, 2, 5, 9, 0), tick=False):
        sweep()
    assert set(
        OutboxMessage.objects.filter(kind="deadlines.deadline.reminded").values_list(
            "recipient__username", flat=True
        )
    ) == {"unit_a_other"}


def test_many_deadlines_in_small_batches(personas, open_deadline):
    records = [personas.orgs[k] for k in ("unit_a", "unit_b", "court", "government", "station")]
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        for record in records:
            for kind in ("a", "b", "c"):
                open_deadline(record=record, kind=kind)
    with time_machine.travel(local(2025, 2, 5, 9, 0), tick=False):
        result = sweep(batch_size=4)
        assert result["deadlines"] == 15 and result["reminded"] == 15
        assert sweep(batch_size=4)["deadlines"] == 0


def test_the_sweep_command(personas, open_deadline, capsys):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        open_deadline()
    with time_machine.travel(local(2025, 2, 5, 9, 0), tick=False):
        call_command("sweep")
        assert "reminded=1" in capsys.readouterr().out
        call_command("sweep")
        assert "reminded=0" in capsys.readouterr().out


def test_one_failing_deadline_does_not_stop_the_others(personas, open_deadline, monkeypatch):
    from wulian.core.deadlines import sweep as sweep_module

    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        bad = open_deadline(kind="bad")
        open_deadline(kind="good")
    real = sweep_module._message

    def broken(deadline, point, now):
        if deadline.pk == bad.pk:
            raise RuntimeError("boom")
        return real(deadline, point, now)

    monkeypatch.setattr(sweep_module, "_message", broken)
    with time_machine.travel(local(2025, 2, 5, 9, 0), tick=False):
        result = sweep()
    assert result["failed"] == 1 and result["reminded"] == 1
    assert list(DeadlinePoint.objects.values_list("deadline__kind", flat=True)) == ["good"]

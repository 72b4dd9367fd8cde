"""Deadline services: each success path (new state, one audit event with its code and
before/after) and each refusal (no access, wrong state, bad input)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import time_machine

from tests.deadlines.conftest import MANAGE, local
from wulian.core.deadlines import seed, services
from wulian.core.deadlines.choices import DeadlineState, Decision, EscalateUnit
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.rules import Rule, WorkingDays
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def only_event(code: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=code))
    assert len(events) == 1, f"{code}: {len(events)} events"
    return events[0]


def data(text: str) -> dict:
    return json.loads(text) if text else {}


# --- Open ----------------------------------------------------------------------------------


@time_machine.travel(local(2025, 1, 24, 10, 0), tick=False)
def test_open_computes_the_due_date_and_is_audited_on_the_record(personas, open_deadline):
    d = open_deadline(
        escalate_after=WorkingDays(1),
        escalate_to=[personas.orgs["gov_office"], personas.orgs["stationed_group"]],
    )
    assert d.state == DeadlineState.OPEN
    assert d.start == local(2025, 1, 24, 10, 0)
    assert d.due_at == d.original_due_at == local(2025, 2, 7, 23, 59, 59)
    assert d.escalate_at == local(2025, 2, 8, 8, 0)  # the make-up Saturday
    assert (d.next_point, d.next_point_at) == ("g0:r50", local(2025, 2, 5, 8, 0))
    assert d.escalate_after_unit == EscalateUnit.WORKING_DAYS
    event = only_event("deadlines.deadline.opened")
    assert event.target_type == "core.organisation"
    assert event.target_id == str(personas.orgs["unit_a"].pk)
    after = data(event.after)
    assert after["deadline"] == d.pk and after["rule"] == ["working_days", 5]
    assert after["escalate_to"] == [
        personas.orgs["gov_office"].pk,
        personas.orgs["stationed_group"].pk,
    ]
    assert event.actor_id == personas.congress_clerk.pk


def test_open_needs_the_record_apps_manage_action(personas, open_deadline):
    for who in ("unit_a", "sysadmin", "deputy"):
        with pytest.raises(AccessDenied):
            open_deadline(actor=personas.users[who])
    assert not Deadline.objects.exists()
    assert not AuditEvent.objects.filter(action="deadlines.deadline.opened").exists()


def test_open_refuses_an_unknown_manage_action(personas, open_deadline):
    with pytest.raises(LookupError):
        open_deadline(manage_action="nothing.here.manage")


def test_open_refuses_a_second_live_deadline_of_the_same_kind(personas, open_deadline):
    open_deadline()
    with pytest.raises(RuleViolation):
        open_deadline()
    open_deadline(kind="contact", rule=Rule.hours(48))
    assert Deadline.objects.count() == 2


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"rule": Rule.working_days(0)}, "rule_amount"),
        ({"rule": Rule.months(61)}, "rule_amount"),
        ({"reminder_points": [0, 80]}, "reminder_points"),
        ({"reminder_points": [50, 100]}, "reminder_points"),
    ],
)
def test_open_refuses_bad_input(personas, open_deadline, kw, field):
    with pytest.raises(ValidationFailed) as info:
        open_deadline(**kw)
    assert field in info.value.field_errors


def test_open_into_a_year_not_in_the_calendar_is_provisional(personas, open_deadline):
    last = seed.package_years()[-1]
    d = open_deadline(start=local(last, 12, 20, 9, 0), rule=Rule.working_days(15))
    assert d.provisional and d.due_at.year == last + 1
    within = open_deadline(kind="within", start=local(last, 3, 2, 9, 0), rule=Rule.working_days(5))
    assert not within.provisional
    # Natural hours need no calendar and are never provisional.
    hours = open_deadline(kind="hours", start=local(last + 3, 1, 5, 9, 0), rule=Rule.hours(48))
    assert not hours.provisional


# --- Pause and resume ----------------------------------------------------------------------


def test_pause_and_resume_a_working_day_rule_across_spring_festival(personas, open_deadline):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
    with time_machine.travel(local(2025, 1, 27, 15, 0), tick=False):
        d = services.deadline_pause(
            actor=personas.congress_clerk,
            deadline_id=d.pk,
            version=d.version,
            reason="等待外单位意见",
        )
    assert d.state == DeadlineState.PAUSED and d.paused_at == local(2025, 1, 27, 15, 0)
    paused = only_event("deadlines.deadline.paused")
    assert (
        data(paused.before)["state"] == "open" and data(paused.after)["reason"] == "等待外单位意见"
    )
    with time_machine.travel(local(2025, 2, 6, 9, 0), tick=False):
        d = services.deadline_resume(
            actor=personas.congress_clerk, deadline_id=d.pk, version=d.version
        )
    # Two working days passed while paused (Feb 5, Feb 6): Feb 7 → Feb 8 (make-up) → Feb 10.
    assert d.state == DeadlineState.OPEN and d.paused_at is None
    assert d.due_at == local(2025, 2, 10, 23, 59, 59)
    assert d.paused_total == local(2025, 2, 6, 9, 0) - local(2025, 1, 27, 15, 0)
    resumed = only_event("deadlines.deadline.resumed")
    assert data(resumed.after)["shift"] == [2, "working_days"]
    assert data(resumed.before)["due_at"].startswith("2025-02-07")
    # The responsible unit heard of both.
    kinds = set(
        OutboxMessage.objects.filter(recipient=personas.unit_a).values_list("kind", flat=True)
    )
    assert {"deadlines.deadline.paused", "deadlines.deadline.resumed"} <= kinds


def test_pause_and_resume_an_hours_rule(personas, open_deadline):
    with time_machine.travel(local(2025, 9, 30, 18, 0), tick=False):
        d = open_deadline(kind="contact", rule=Rule.hours(48))
    with time_machine.travel(local(2025, 10, 1, 9, 0), tick=False):
        services.deadline_pause(actor=personas.congress_clerk, deadline_id=d.pk)
    with time_machine.travel(local(2025, 10, 1, 15, 30), tick=False):
        d = services.deadline_resume(actor=personas.congress_clerk, deadline_id=d.pk)
    assert d.due_at == local(2025, 10, 3, 0, 30)


def test_pause_refusals(personas, open_deadline):
    d = open_deadline()
    with pytest.raises(AccessDenied):
        services.deadline_pause(actor=personas.unit_a, deadline_id=d.pk)
    with pytest.raises(ConcurrentEdit):
        services.deadline_pause(
            actor=personas.congress_clerk, deadline_id=d.pk, version=d.version + 1
        )
    with pytest.raises(TransitionNotAllowed):
        services.deadline_resume(actor=personas.congress_clerk, deadline_id=d.pk)
    services.deadline_pause(actor=personas.congress_clerk, deadline_id=d.pk)
    with pytest.raises(TransitionNotAllowed):
        services.deadline_pause(actor=personas.congress_clerk, deadline_id=d.pk)
    with pytest.raises(AccessDenied):
        services.deadline_resume(actor=personas.unit_b, deadline_id=d.pk)
    assert AuditEvent.objects.filter(action="deadlines.deadline.paused").count() == 1


# --- Meet and cancel -----------------------------------------------------------------------


def test_met_on_time_by_the_responsible_unit(personas, open_deadline):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
    with time_machine.travel(local(2025, 2, 7, 20, 0), tick=False):
        d = services.deadline_meet(actor=personas.unit_a, deadline_id=d.pk)
    assert d.state == DeadlineState.MET and d.closed_by == personas.unit_a
    assert d.next_point_at is None
    event = only_event("deadlines.deadline.met")
    assert data(event.before)["state"] == "open" and data(event.after)["state"] == "met"


def test_closed_after_the_due_time_is_missed(personas, open_deadline):
    with time_machine.travel(local(2025, 1, 24, 10, 0), tick=False):
        d = open_deadline()
    with time_machine.travel(local(2025, 2, 8, 9, 0), tick=False):
        d = services.deadline_meet(actor=personas.congress_clerk, deadline_id=d.pk)
    assert d.state == DeadlineState.MISSED
    only_event("deadlines.deadline.missed")


def test_meet_refusals(personas, open_deadline):
    d = open_deadline()
    for who in ("unit_b", "deputy", "court_clerk"):
        with pytest.raises(AccessDenied):
            services.deadline_meet(actor=personas.users[who], deadline_id=d.pk)
    services.deadline_meet(actor=personas.unit_a, deadline_id=d.pk)
    with pytest.raises(TransitionNotAllowed):
        services.deadline_meet(actor=personas.unit_a, deadline_id=d.pk)


def test_cancel(personas, open_deadline):
    d = open_deadline()
    with pytest.raises(AccessDenied):
        services.deadline_cancel(actor=personas.unit_a, deadline_id=d.pk)
    d = services.deadline_cancel(actor=personas.congress_clerk, deadline_id=d.pk, reason="撤回")
    assert d.state == DeadlineState.CANCELLED
    assert data(only_event("deadlines.deadline.cancelled").after)["reason"] == "撤回"
    # A new deadline of the same kind may now be opened.
    open_deadline()


# --- Extensions ----------------------------------------------------------------------------


def test_extension_requested_by_the_handler_and_approved_by_the_assigner(personas, open_deadline):
    with time_machine.travel(local(2025, 9, 26, 9, 0), tick=False):
        d = open_deadline(rule=Rule.working_days(15))
    assert d.due_at == local(2025, 10, 23, 23, 59, 59)
    with time_machine.travel(local(2025, 10, 20, 10, 0), tick=False):
        req = services.extension_request(
            actor=personas.unit_a, deadline_id=d.pk, new_due=date(2025, 11, 7), reason="需现场核查"
        )
        assert req.decision == Decision.PENDING and req.new_due_at == local(2025, 11, 7, 23, 59, 59)
        requested = only_event("deadlines.deadline.extension_requested")
        assert data(requested.after)["extension"] == req.pk
        # The assigner's staff are told.
        assert OutboxMessage.objects.filter(
            recipient=personas.congress_clerk, kind="deadlines.deadline.extension_requested"
        ).exists()
        with pytest.raises(AccessDenied):
            services.extension_approve(actor=personas.unit_a, extension_id=req.pk)
        req = services.extension_approve(
            actor=personas.congress_clerk, extension_id=req.pk, note="同意"
        )
    d.refresh_from_db()
    assert req.decision == Decision.APPROVED and req.decided_by == personas.congress_clerk
    assert d.due_at == local(2025, 11, 7, 23, 59, 59) and d.original_due_at.day == 23
    assert d.generation == 1 and d.next_point.startswith("g1:")
    approved = only_event("deadlines.deadline.extension_approved")
    assert data(approved.before)["due_at"].startswith("2025-10-23")
    assert data(approved.after)["due_at"].startswith("2025-11-07")
    with pytest.raises(TransitionNotAllowed):
        services.extension_refuse(actor=personas.congress_clerk, extension_id=req.pk, note="x")


def test_extension_refused_with_a_reason(personas, open_deadline):
    d = open_deadline(rule=Rule.months(1))
    req = services.extension_request(
        actor=personas.unit_a,
        deadline_id=d.pk,
        new_due=d.due_at + timedelta(days=10),
        reason="材料未齐",
    )
    with pytest.raises(ValidationFailed) as info:
        services.extension_refuse(actor=personas.congress_clerk, extension_id=req.pk, note=" ")
    assert "note" in info.value.field_errors
    req = services.extension_refuse(
        actor=personas.congress_clerk, extension_id=req.pk, note="不符合延期条件"
    )
    assert req.decision == Decision.REFUSED
    d.refresh_from_db()
    assert d.generation == 0 and d.due_at == d.original_due_at
    only_event("deadlines.deadline.extension_refused")
    assert OutboxMessage.objects.filter(
        recipient=personas.unit_a, kind="deadlines.deadline.extension_refused"
    ).exists()


def test_extension_request_refusals(personas, open_deadline):
    d = open_deadline()
    for who in ("congress_clerk", "unit_b", "deputy"):
        with pytest.raises(AccessDenied):
            services.extension_request(
                actor=personas.users[who], deadline_id=d.pk, new_due=date(2030, 1, 1), reason="x"
            )
    with pytest.raises(ValidationFailed) as info:
        services.extension_request(
            actor=personas.unit_a, deadline_id=d.pk, new_due=d.due_at - timedelta(days=1), reason=""
        )
    assert set(info.value.field_errors) == {"new_due", "reason"}
    later = d.due_at + timedelta(days=3)
    services.extension_request(actor=personas.unit_a, deadline_id=d.pk, new_due=later, reason="a")
    with pytest.raises(RuleViolation):
        services.extension_request(
            actor=personas.unit_a, deadline_id=d.pk, new_due=later, reason="b"
        )
    assert AuditEvent.objects.filter(action="deadlines.deadline.extension_requested").count() == 1


def test_extension_into_a_year_the_calendar_lacks_is_accepted(personas, open_deadline):
    d = open_deadline()
    year = seed.package_years()[-1] + 1
    request = services.extension_request(
        actor=personas.unit_a, deadline_id=d.pk, new_due=date(year, 3, 1), reason="x"
    )
    assert request.new_due_at.year == year


def test_an_approval_after_the_requested_date_is_refused(personas, open_deadline):
    with time_machine.travel(local(2025, 3, 3, 9, 0), tick=False):
        d = open_deadline(kind="contact", rule=Rule.hours(48))
        req = services.extension_request(
            actor=personas.unit_a, deadline_id=d.pk, new_due=local(2025, 3, 6, 9, 0), reason="x"
        )
    with time_machine.travel(local(2025, 3, 7, 9, 0), tick=False), pytest.raises(ValidationFailed):
        services.extension_approve(actor=personas.congress_clerk, extension_id=req.pk)


def test_manage_action_is_stored_and_governs_later_changes(personas, open_deadline):
    d = open_deadline()
    assert d.manage_action == MANAGE
    # The stationed group is not congress-side: it may not pause.
    with pytest.raises(AccessDenied):
        services.deadline_pause(actor=personas.stationed, deadline_id=d.pk)

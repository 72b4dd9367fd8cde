"""Suggestion services: each step's success (new state, exactly one audit event of its code with
before/after, the notifications it queues, the clocks it opens or stops) and its refusals (no
access, wrong state by the transition table, bad input, stale version)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import OrganisationFactory
from tests.suggestions.helpers import (
    CONTENT,
    TITLE,
    co_signer,
    deputy,
    make_session,
    submit,
    v,
    walk,
)
from wulian.core import records
from wulian.core.choices import OrgKind
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions import services
from wulian.suggestions.choices import (
    DEADLINE_ASSIGN,
    DEADLINE_CONTACT,
    DEADLINE_REASSIGN,
    DEADLINE_RECEIPT,
    DEADLINE_REPLY,
    DEADLINE_REREPLY,
    AssignmentRole,
    AssignmentStatus,
    BatchState,
    Category,
    ContactMethod,
    RaisedDuring,
    ReplyCategory,
    Satisfaction,
    SupervisionKind,
    SupervisionState,
)
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Assignment, CoSigner, Reply, Suggestion, Verdict

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def only_event(code: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=code))
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def recipients(kind: str) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def deadline(s: Any, kind: str) -> Deadline:
    return Deadline.objects.filter(**records.reference(s), kind=kind).latest("id")


# --- Submission ---------------------------------------------------------------------------------


def test_a_deputy_submits_and_gets_the_next_number_of_the_session(personas):
    p = personas
    mate = co_signer(p)
    first = submit(p)
    second = services.suggestion_submit(
        actor=p.deputy,
        data={
            "title": "关于背街小巷路灯的建议",
            "content": "路灯不亮。",
            "category": Category.URBAN_RURAL,
            "co_signer_ids": [mate.person.pk],
        },
        files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )
    assert (first.number, second.number) == (1, 2)
    assert second.status == S.SUBMITTED
    assert second.lead_deputy == deputy(p)
    assert second.office == p.orgs["congress_body"]
    # Between sessions (the session closed in January) by the date.
    assert second.raised_during == RaisedDuring.RECESS
    assert list(CoSigner.objects.filter(suggestion=second).values_list("person", flat=True)) == [
        mate.person.pk
    ]
    assert "路灯" in second.search_tokens
    events = AuditEvent.objects.filter(action="suggestions.suggestion.submitted").order_by("seq")
    assert events.count() == 2
    after = events.last().after_data
    assert after["number"] == 2 and after["co_signers"] == [mate.person.pk]
    assert after["on_behalf"] is False and len(after["attachments"]) == 1
    assert recipients("suggestions.suggestion.submitted") == {"congress_clerk"}


def test_staff_submit_on_a_deputys_behalf(personas):
    p = personas
    make_session(p)
    s = services.suggestion_submit(
        actor=p.congress_clerk,
        data={
            "title": TITLE,
            "content": CONTENT,
            "category": Category.SOCIAL,
            "lead_deputy_id": deputy(p).pk,
            "raised_during": RaisedDuring.SESSION,
        },
    )
    assert s.lead_deputy == deputy(p) and s.submitted_by == p.congress_clerk
    assert s.raised_during == RaisedDuring.SESSION
    assert only_event("suggestions.suggestion.submitted").after_data["on_behalf"] is True


def test_a_deputy_may_not_submit_in_another_deputys_name(personas):
    p = personas
    other = co_signer(p)
    with pytest.raises(ValidationFailed) as exc:
        submit(p, lead_deputy_id=other.person.pk)
    assert "lead_deputy" in exc.value.field_errors
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("who", ["unit_a", "stationed", "gov_supervisor", "expert", "sysadmin"])
def test_only_deputies_and_congress_staff_submit(personas, who):
    make_session(personas)
    with pytest.raises(AccessDenied):
        services.suggestion_submit(
            actor=personas.users[who],
            data={"title": TITLE, "content": CONTENT, "category": Category.OTHER},
        )


def test_submission_lists_every_missing_field_and_saves_nothing(personas):
    make_session(personas)
    with pytest.raises(ValidationFailed) as exc:
        services.suggestion_submit(
            actor=personas.deputy, data={"title": " ", "content": "", "category": "nope"}
        )
    assert {"title", "content", "category"} <= set(exc.value.field_errors)
    assert not Suggestion.objects.exists() and not AuditEvent.objects.exists()


def test_without_a_session_the_deputy_is_told_whom_to_ask(personas):
    with pytest.raises(ValidationFailed) as exc:
        services.suggestion_submit(
            actor=personas.deputy, data={"title": TITLE, "content": CONTENT, "category": "other"}
        )
    assert "session" in exc.value.field_errors


# --- Review --------------------------------------------------------------------------------------


def test_accepting_a_recess_suggestion_starts_the_assignment_clock(personas):
    p = personas
    s = submit(p)
    s = services.suggestion_accept(actor=p.congress_clerk, suggestion_id=s.pk, version=s.version)
    assert s.status == S.ACCEPTED and s.reviewed_by == p.congress_clerk
    ev = only_event("suggestions.suggestion.accepted")
    assert ev.before_data["status"] == S.SUBMITTED and ev.after_data["status"] == S.ACCEPTED
    d = deadline(s, DEADLINE_ASSIGN)
    assert d.rule_kind == "working_days"
    assert d.rule_amount == settings.SUGGESTION_ASSIGN_WORKING_DAYS
    assert d.responsible_org == p.orgs["congress_body"]
    assert recipients("suggestions.suggestion.accepted") == {"deputy"}


def test_a_session_suggestion_has_no_assignment_clock(personas):
    p = personas
    s = submit(p, raised_during=RaisedDuring.SESSION)
    services.suggestion_accept(actor=p.congress_clerk, suggestion_id=s.pk, version=s.version)
    assert not Deadline.objects.filter(kind=DEADLINE_ASSIGN).exists()


def test_not_accepted_tells_the_deputy_the_standard_reason(personas):
    p = personas
    s = submit(p)
    s = services.suggestion_reject(
        actor=p.congress_clerk,
        suggestion_id=s.pk,
        version=s.version,
        reason="personal_matter",
        note="属于个人事务，建议通过信访渠道反映。",
    )
    assert s.status == S.NOT_ACCEPTED and s.not_accepted_reason == "personal_matter"
    ev = only_event("suggestions.suggestion.not_accepted")
    assert ev.after_data["reason"] == "personal_matter"
    message = OutboxMessage.objects.filter(kind="suggestions.suggestion.not_accepted").first()
    assert "个人事务" in message.title and "信访" in message.body


def test_review_refusals(personas):
    p = personas
    s = submit(p)
    with pytest.raises(AccessDenied):
        services.suggestion_accept(actor=p.unit_a, suggestion_id=s.pk, version=s.version)
    with pytest.raises(ValidationFailed):
        services.suggestion_reject(
            actor=p.congress_clerk, suggestion_id=s.pk, version=s.version, reason="made-up"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.suggestion_reject(
            actor=p.congress_clerk, suggestion_id=s.pk, version=s.version, reason="other"
        )
    assert "note" in exc.value.field_errors
    with pytest.raises(ConcurrentEdit):
        services.suggestion_accept(actor=p.congress_clerk, suggestion_id=s.pk, version=99)
    services.suggestion_accept(actor=p.congress_clerk, suggestion_id=s.pk, version=s.version)
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_accept(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s))
    assert AuditEvent.objects.filter(action="suggestions.suggestion.accepted").count() == 1


# --- Withdrawal ---------------------------------------------------------------------------------


def test_withdrawal_in_writing_ends_handling_and_stops_every_clock(personas):
    p = personas
    s = walk(p, S.HANDLING)
    s = services.suggestion_withdraw(
        actor=p.deputy,
        suggestion_id=s.pk,
        version=s.version,
        statement="经与承办单位沟通，撤回本建议。",
    )
    assert s.status == S.WITHDRAWN and s.withdrawn_at is not None
    assert not Assignment.objects.filter(
        suggestion=s, status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.RECEIVED]
    ).exists()
    assert set(Assignment.objects.filter(suggestion=s).values_list("status", flat=True)) == {
        AssignmentStatus.ENDED
    }
    assert deadline(s, DEADLINE_REPLY).state == DeadlineState.CANCELLED
    ev = only_event("suggestions.suggestion.withdrawn")
    assert ev.after_data["on_behalf"] is False and len(ev.after_data["ended_assignments"]) == 2
    assert {"unit_a", "unit_b", "congress_clerk"} <= recipients("suggestions.suggestion.withdrawn")


def test_staff_withdraw_only_with_the_deputys_letter_date(personas):
    p = personas
    s = submit(p)
    with pytest.raises(ValidationFailed) as exc:
        services.suggestion_withdraw(
            actor=p.congress_clerk, suggestion_id=s.pk, version=s.version, statement="代表来函撤回"
        )
    assert "letter_date" in exc.value.field_errors
    s = services.suggestion_withdraw(
        actor=p.congress_clerk,
        suggestion_id=s.pk,
        version=s.version,
        statement="代表来函撤回",
        letter_date=date(2026, 6, 12),
    )
    assert s.status == S.WITHDRAWN
    assert only_event("suggestions.suggestion.withdrawn").after_data["on_behalf"] is True


def test_withdrawal_refusals(personas):
    p = personas
    s = submit(p)
    with pytest.raises(ValidationFailed):
        services.suggestion_withdraw(actor=p.deputy, suggestion_id=s.pk, version=1, statement="")
    with pytest.raises(AccessDenied):
        services.suggestion_withdraw(actor=p.unit_a, suggestion_id=s.pk, version=1, statement="x")
    closed = walk(p, S.CLOSED)
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_withdraw(
            actor=p.deputy, suggestion_id=closed.pk, version=closed.version, statement="撤回"
        )


# --- Joint assignment -----------------------------------------------------------------------------


def _item(p, s, lead="unit_a", co=("unit_b",)) -> dict[str, Any]:
    return {
        "suggestion_id": s.pk,
        "version": v(s),
        "lead_unit_id": p.orgs[lead].pk,
        "co_unit_ids": [p.orgs[c].pk for c in co],
    }


def test_joint_assignment_needs_both_sides_and_opens_the_clocks(personas):
    p = personas
    one, two = walk(p, S.ACCEPTED), walk(p, S.ACCEPTED, raised_during=RaisedDuring.SESSION)
    batch = services.batch_propose(
        actor=p.congress_clerk, items=[_item(p, one), _item(p, two, lead="unit_b", co=())]
    )
    assert batch.state == BatchState.PROPOSED and batch.proposed_org == p.orgs["congress_body"]
    assert recipients("suggestions.batch.proposed") == {"gov_supervisor"}
    # The side that prepared it cannot confirm it.
    with pytest.raises(AccessDenied):
        services.batch_confirm(actor=p.congress_clerk, batch_id=batch.pk, version=batch.version)
    batch = services.batch_confirm(actor=p.gov_supervisor, batch_id=batch.pk, version=batch.version)
    assert batch.state == BatchState.ISSUED and batch.confirmed_org == p.orgs["gov_office"]
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.status == two.status == S.ASSIGNED
    assert (one.lead_unit, two.lead_unit) == (p.orgs["unit_a"], p.orgs["unit_b"])
    assert set(Assignment.objects.filter(suggestion=one).values_list("unit__code", "role")) == {
        ("ZF-MZ", AssignmentRole.LEAD),
        ("ZF-SF", AssignmentRole.CO),
    }
    reply = deadline(one, DEADLINE_REPLY)
    assert (reply.rule_kind, reply.rule_amount) == ("months", settings.SUGGESTION_REPLY_MONTHS)
    assert reply.responsible_org == p.orgs["unit_a"] and one.reply_due_at == reply.due_at
    assert set(reply.escalate_to.values_list("kind", flat=True)) == {
        OrgKind.GOV_SUPERVISION_OFFICE,
        OrgKind.STATIONED_GROUP,
    }
    receipt = deadline(
        Assignment.objects.get(suggestion=one, unit=p.orgs["unit_b"]), DEADLINE_RECEIPT
    )
    assert receipt.rule_amount == settings.SUGGESTION_RECEIPT_WORKING_DAYS
    # The recess suggestion's assignment clock is met; the session one never had one.
    assert deadline(one, "suggestion_assign").state == DeadlineState.MET
    assert AuditEvent.objects.filter(action="suggestions.suggestion.assigned").count() == 2
    ev = AuditEvent.objects.get(action="suggestions.suggestion.assigned", target_id=str(one.pk))
    assert ev.before_data["status"] == S.ACCEPTED and ev.after_data["status"] == S.ASSIGNED
    assert only_event("suggestions.batch.issued").after_data["suggestions"] == [one.pk, two.pk]
    assert {"unit_a", "unit_b", "deputy"} <= recipients("suggestions.suggestion.assigned")


def test_the_supervision_office_may_prepare_and_congress_staff_confirm(personas):
    p = personas
    s = walk(p, S.ACCEPTED)
    batch = services.batch_propose(actor=p.gov_supervisor, items=[_item(p, s, co=())])
    assert recipients("suggestions.batch.proposed") == {"congress_clerk"}
    services.batch_confirm(actor=p.congress_clerk, batch_id=batch.pk, version=batch.version)
    assert Suggestion.objects.get(pk=s.pk).status == S.ASSIGNED


def test_assignment_refusals(personas):
    p = personas
    s = walk(p, S.ACCEPTED)
    with pytest.raises(AccessDenied):
        services.batch_propose(actor=p.unit_a, items=[_item(p, s)])
    with pytest.raises(ValidationFailed):
        services.batch_propose(actor=p.congress_clerk, items=[])
    with pytest.raises(ValidationFailed):  # a supervising body cannot handle it
        services.batch_propose(
            actor=p.congress_clerk,
            items=[{**_item(p, s), "lead_unit_id": p.orgs["stationed_group"].pk}],
        )
    with pytest.raises(ValidationFailed):  # lead and co the same unit
        services.batch_propose(actor=p.congress_clerk, items=[_item(p, s, co=("unit_a",))])
    with pytest.raises(ConcurrentEdit):
        services.batch_propose(actor=p.congress_clerk, items=[{**_item(p, s), "version": 99}])
    submitted = submit(p)
    with pytest.raises(TransitionNotAllowed):
        services.batch_propose(actor=p.congress_clerk, items=[_item(p, submitted)])
    batch = services.batch_propose(actor=p.congress_clerk, items=[_item(p, s)])
    with pytest.raises(RuleViolation):  # already waiting in another batch
        services.batch_propose(actor=p.gov_supervisor, items=[_item(p, s)])
    assert AuditEvent.objects.filter(action="suggestions.batch.proposed").count() == 1
    # Changed after preparing: the whole batch is refused, nothing assigned.
    services.suggestion_mark_key(
        actor=p.congress_clerk,
        suggestion_id=s.pk,
        version=v(s),
        is_key=True,
        leader_id=p.congress_clerk.person.pk,
        decided_on=date(2026, 6, 1),
    )
    with pytest.raises(ConcurrentEdit):
        services.batch_confirm(actor=p.gov_supervisor, batch_id=batch.pk, version=batch.version)
    assert not Assignment.objects.exists()
    assert Suggestion.objects.get(pk=s.pk).status == S.ACCEPTED


def test_the_other_side_returns_a_batch_with_a_reason(personas):
    p = personas
    s = walk(p, S.ACCEPTED)
    batch = services.batch_propose(actor=p.congress_clerk, items=[_item(p, s)])
    with pytest.raises(ValidationFailed):
        services.batch_return(actor=p.gov_supervisor, batch_id=batch.pk, version=1, reason="")
    batch = services.batch_return(
        actor=p.gov_supervisor, batch_id=batch.pk, version=1, reason="主办单位应为市住建局"
    )
    assert batch.state == BatchState.RETURNED
    assert only_event("suggestions.batch.returned").after_data["state"] == BatchState.RETURNED
    assert recipients("suggestions.batch.returned") == {"congress_clerk"}
    with pytest.raises(TransitionNotAllowed):
        services.batch_confirm(actor=p.gov_supervisor, batch_id=batch.pk, version=batch.version)
    # The suggestion may be prepared again.
    services.batch_propose(actor=p.congress_clerk, items=[_item(p, s, lead="unit_b", co=())])


# --- Receipt or send-back


def test_the_48_hour_contact_clock_starts_at_delivery_and_receipt_does_not_move_it(personas):
    """Source: the Huangshi article [CN1] ("承办单位在收到代表建议48小时内与代表取得联系"):
    the unit has the suggestion when the assignment is delivered (交办送达), so the clock
    starts there, not at 签收 — a unit cannot push it out by receiving late (issue 14)."""
    p = personas
    s = walk(p, S.ASSIGNED)
    contact = deadline(s, DEADLINE_CONTACT)
    assert (contact.rule_kind, contact.rule_amount) == ("hours", settings.SUGGESTION_CONTACT_HOURS)
    assert contact.start == s.assigned_at
    assert contact.due_at == s.assigned_at + timedelta(hours=48) == s.contact_due_at
    assert contact.responsible_org == p.orgs["unit_a"]
    assert set(contact.escalate_to.values_list("kind", flat=True)) == {
        OrgKind.GOV_SUPERVISION_OFFICE,
        OrgKind.STATIONED_GROUP,
    }
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    with time_machine.travel(s.assigned_at + timedelta(hours=30), tick=False):
        services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=lead.version)
    s.refresh_from_db()
    assert s.status == S.HANDLING and s.received_at == s.assigned_at + timedelta(hours=30)
    # Receipt does not move the clock: still 48 hours from delivery.
    assert deadline(s, DEADLINE_CONTACT).pk == contact.pk
    assert s.contact_due_at == s.assigned_at + timedelta(hours=48)
    assert Deadline.objects.filter(kind=DEADLINE_CONTACT).count() == 1
    assert deadline(lead, DEADLINE_RECEIPT).state == DeadlineState.MET
    ev = only_event("suggestions.assignment.received")
    assert ev.before_data["status"] == S.ASSIGNED and ev.after_data["status"] == S.HANDLING
    # The unit cannot pause its own contact clock.
    from wulian.core import access

    assert not access.can(p.unit_a, "deadlines.deadline.manage", contact)
    assert access.can(p.congress_clerk, "deadlines.deadline.manage", contact)


def test_a_co_units_receipt_keeps_the_state(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    co = Assignment.objects.get(suggestion=s, role=AssignmentRole.CO)
    services.assignment_receive(actor=p.unit_b, assignment_id=co.pk, version=co.version)
    assert Suggestion.objects.get(pk=s.pk).status == S.ASSIGNED
    # The contact clock is the lead unit's alone (opened at delivery).
    assert list(
        Deadline.objects.filter(kind=DEADLINE_CONTACT).values_list("responsible_org", flat=True)
    ) == [p.orgs["unit_a"].pk]


def test_the_lead_unit_sends_back_within_the_window_and_the_office_reassigns(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    with pytest.raises(ValidationFailed):
        services.assignment_send_back(
            actor=p.unit_a, assignment_id=lead.pk, version=lead.version, reason=""
        )
    services.assignment_send_back(
        actor=p.unit_a,
        assignment_id=lead.pk,
        version=lead.version,
        reason="不属于本单位职责，建议交市住建局。",
    )
    s.refresh_from_db()
    assert s.status == S.SENT_BACK and s.lead_unit is None
    assert set(Assignment.objects.filter(suggestion=s).values_list("status", flat=True)) == {
        AssignmentStatus.SENT_BACK,
        AssignmentStatus.ENDED,
    }
    assert deadline(s, DEADLINE_REPLY).state == DeadlineState.CANCELLED
    ev = only_event("suggestions.assignment.sent_back")
    assert ev.after_data["status"] == S.SENT_BACK and ev.after_data["role"] == AssignmentRole.LEAD
    assert {"congress_clerk", "gov_supervisor"} <= recipients("suggestions.assignment.sent_back")
    # Unit A no longer sees it.
    from wulian.core import access

    assert not access.can(p.unit_a, "suggestions.suggestion.view", s)
    # Re-assignment: a new batch, unit B leading.
    batch = services.batch_propose(
        actor=p.congress_clerk, items=[_item(p, s, lead="unit_b", co=())]
    )
    services.batch_confirm(actor=p.gov_supervisor, batch_id=batch.pk, version=batch.version)
    s.refresh_from_db()
    assert s.status == S.ASSIGNED and s.lead_unit == p.orgs["unit_b"]
    assert deadline(s, DEADLINE_REPLY).state == DeadlineState.OPEN


def test_send_back_is_refused_after_the_window(personas, time_machine):
    p = personas
    s = walk(p, S.ASSIGNED)
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    time_machine.move_to(lead.respond_by + timedelta(hours=1))
    with pytest.raises(RuleViolation):
        services.assignment_send_back(
            actor=p.unit_a, assignment_id=lead.pk, version=lead.version, reason="不属于本单位"
        )
    assert Assignment.objects.get(pk=lead.pk).status == AssignmentStatus.ASSIGNED


def test_receipt_refusals(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    with pytest.raises(AccessDenied):
        services.assignment_receive(actor=p.unit_b, assignment_id=lead.pk, version=lead.version)
    with pytest.raises(ConcurrentEdit):
        services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=99)
    services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=lead.version)
    with pytest.raises((TransitionNotAllowed, ConcurrentEdit)):
        services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=lead.version + 1)


# --- Contact


def _receive_all(p, s) -> None:
    for a in Assignment.objects.filter(suggestion=s):
        user = p.unit_a if a.unit == p.orgs["unit_a"] else p.unit_b
        services.assignment_receive(actor=user, assignment_id=a.pk, version=a.version)


def test_the_first_contact_within_48_hours_meets_the_clock(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    _receive_all(p, s)
    when = timezone.now()
    contact = services.contact_record(
        actor=p.unit_a,
        suggestion_id=s.pk,
        method=ContactMethod.FACE_TO_FACE,
        contacted_at=when,
        agreed="当面听取代表意见，商定先行试点。",
    )
    assert contact.deputy == deputy(p)
    s.refresh_from_db()
    assert s.first_contact_at == when and not s.contact_overdue
    assert deadline(s, DEADLINE_CONTACT).state == DeadlineState.MET
    ev = only_event("suggestions.contact.recorded")
    assert ev.after_data["first"] is True and ev.after_data["within_limit"] is True
    # A second contact is recorded too; the clock is already closed.
    services.contact_record(
        actor=p.unit_a,
        suggestion_id=s.pk,
        method=ContactMethod.PHONE,
        contacted_at=timezone.now(),
        agreed="电话通报进展。",
    )
    assert AuditEvent.objects.filter(action="suggestions.contact.recorded").count() == 2


def test_a_late_contact_shows_red_and_misses_the_clock(personas, time_machine):
    p = personas
    s = walk(p, S.ASSIGNED)
    _receive_all(p, s)
    time_machine.move_to(timezone.now() + timedelta(hours=50))
    s.refresh_from_db()
    assert s.contact_overdue
    services.contact_record(
        actor=p.unit_a,
        suggestion_id=s.pk,
        method=ContactMethod.PHONE,
        contacted_at=timezone.now(),
        agreed="电话联系。",
    )
    s.refresh_from_db()
    assert s.contact_overdue  # contacted, but late: still red
    assert deadline(s, DEADLINE_CONTACT).state == DeadlineState.MISSED
    assert only_event("suggestions.contact.recorded").after_data["within_limit"] is False


def test_contact_refusals(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    with pytest.raises(TransitionNotAllowed):  # not received yet
        services.contact_record(
            actor=p.unit_a,
            suggestion_id=s.pk,
            method="phone",
            contacted_at=timezone.now(),
            agreed="x",
        )
    _receive_all(p, s)
    with pytest.raises(AccessDenied):  # the co-unit does not record contacts
        services.contact_record(
            actor=p.unit_b,
            suggestion_id=s.pk,
            method="phone",
            contacted_at=timezone.now(),
            agreed="x",
        )
    with pytest.raises(ValidationFailed):
        services.contact_record(
            actor=p.unit_a,
            suggestion_id=s.pk,
            method="phone",
            contacted_at=timezone.now() + timedelta(hours=2),
            agreed="x",
        )
    with pytest.raises(ValidationFailed):
        services.contact_record(
            actor=p.unit_a,
            suggestion_id=s.pk,
            method="pigeon",
            contacted_at=timezone.now(),
            agreed="x",
        )
    assert not AuditEvent.objects.filter(action="suggestions.contact.recorded").exists()


# --- Co-units' opinions and the reply -----------------------------------------------------------


def test_the_reply_waits_for_the_contact_and_every_co_units_opinion(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    _receive_all(p, s)

    def reply():
        return services.reply_send(
            actor=p.unit_a,
            suggestion_id=s.pk,
            version=v(s),
            category=ReplyCategory.B,
            signer="王局长",
            text="已列入明年计划。",
        )

    with pytest.raises(RuleViolation, match="联系"):
        reply()
    services.contact_record(
        actor=p.unit_a, suggestion_id=s.pk, method="phone", contacted_at=timezone.now(), agreed="x"
    )
    with pytest.raises(RuleViolation, match="市司法局"):
        reply()
    opinion = services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="同意主办单位意见。")
    assert opinion.round == 1
    assert only_event("suggestions.opinion.given").after_data["unit"] == p.orgs["unit_b"].pk
    assert recipients("suggestions.opinion.given") == {"unit_a"}
    with pytest.raises(RuleViolation):
        services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="再次提交")
    with pytest.raises(AccessDenied):
        services.opinion_give(actor=p.unit_a, suggestion_id=s.pk, text="主办单位不提交会办意见")
    r = reply()
    assert r.round == 1 and r.on_time


def test_the_reply_reaches_the_lead_deputy_and_each_co_signer(personas):
    p = personas
    mate = co_signer(p)
    s = walk(p, S.HANDLING, co_signer_ids=[mate.person.pk])
    files = [SimpleUploadedFile("答复函.png", PNG, content_type="image/png")]
    r = services.reply_send(
        actor=p.unit_a,
        suggestion_id=s.pk,
        version=v(s),
        category=ReplyCategory.A,
        signer="张局长",
        text="已解决。联系电话 13912345678。",
        public_text="已解决。",
        face_to_face=True,
        files=files,
    )
    s.refresh_from_db()
    assert s.status == S.ANSWERED and s.reply_round == 1 and s.reply_category == "A"
    assert deadline(s, DEADLINE_REPLY).state == DeadlineState.MET
    ev = only_event("suggestions.reply.sent")
    assert ev.before_data["status"] == S.HANDLING and ev.after_data["category"] == "A"
    assert len(ev.after_data["attachments"]) == 1 and "13912345678" not in ev.after
    assert {"deputy", "deputy_2", "congress_clerk"} <= recipients("suggestions.reply.sent")
    assert r.face_to_face


def test_reply_refusals(personas):
    p = personas
    s = walk(p, S.HANDLING)
    with pytest.raises(AccessDenied):
        services.reply_send(
            actor=p.unit_b, suggestion_id=s.pk, version=v(s), category="A", signer="x", text="x"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.reply_send(
            actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="E", signer="", text=""
        )
    assert {"category", "signer", "text"} <= set(exc.value.field_errors)
    with pytest.raises(ConcurrentEdit):
        services.reply_send(
            actor=p.unit_a, suggestion_id=s.pk, version=1, category="A", signer="x", text="x"
        )
    assert not Reply.objects.exists()


def test_a_late_reply_is_marked_late(personas, time_machine):
    p = personas
    s = walk(p, S.HANDLING)
    time_machine.move_to(s.reply_due_at + timedelta(days=1))
    assert Suggestion.objects.get(pk=s.pk).reply_overdue
    r = services.reply_send(
        actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="C", signer="x", text="留作参考"
    )
    assert not r.on_time
    assert deadline(s, DEADLINE_REPLY).state == DeadlineState.MISSED


# --- Extension


def test_extension_up_to_six_months_approved_by_the_office_and_the_deputy_told(personas):
    p = personas
    s = walk(p, S.HANDLING)
    too_late = timezone.localdate(s.assigned_at) + timedelta(days=200)
    with pytest.raises(ValidationFailed) as exc:
        services.reply_extension_request(
            actor=p.unit_a, suggestion_id=s.pk, new_due=too_late, reason="x"
        )
    assert "new_due" in exc.value.field_errors
    new_due = timezone.localdate(s.reply_due_at) + timedelta(days=30)
    with pytest.raises(AccessDenied):
        services.reply_extension_request(
            actor=p.unit_b, suggestion_id=s.pk, new_due=new_due, reason="x"
        )
    ext = services.reply_extension_request(
        actor=p.unit_a,
        suggestion_id=s.pk,
        new_due=new_due,
        reason="需要协调省级资金，预计下月到位。",
    )
    assert only_event("deadlines.deadline.extension_requested").target_id == str(s.pk)
    with pytest.raises(AccessDenied):
        services.reply_extension_decide(actor=p.unit_a, extension_id=ext.pk, approve=True)
    services.reply_extension_decide(actor=p.congress_clerk, extension_id=ext.pk, approve=True)
    s.refresh_from_db()
    assert timezone.localdate(s.reply_due_at) == new_due
    assert deadline(s, DEADLINE_REPLY).due_at == s.reply_due_at
    message = OutboxMessage.objects.get(kind="suggestions.reply.extended")
    assert message.recipient == p.deputy and "省级资金" in message.body


def test_a_refused_extension_keeps_the_date(personas):
    p = personas
    s = walk(p, S.HANDLING)
    due = s.reply_due_at
    ext = services.reply_extension_request(
        actor=p.unit_a,
        suggestion_id=s.pk,
        new_due=timezone.localdate(due) + timedelta(days=10),
        reason="x",
    )
    with pytest.raises(ValidationFailed):  # a refusal needs a note
        services.reply_extension_decide(actor=p.congress_clerk, extension_id=ext.pk, approve=False)
    services.reply_extension_decide(
        actor=p.congress_clerk, extension_id=ext.pk, approve=False, note="理由不充分"
    )
    assert Suggestion.objects.get(pk=s.pk).reply_due_at == due
    assert not OutboxMessage.objects.filter(kind="suggestions.reply.extended").exists()


# --- The verdict


def test_satisfied_closes_the_suggestion(personas):
    p = personas
    s = walk(p, S.ANSWERED)
    verdict = services.verdict_give(
        actor=p.deputy,
        suggestion_id=s.pk,
        version=s.version,
        on_attitude=Satisfaction.SATISFIED,
        on_result=Satisfaction.BASICALLY,
        comment="办理认真。",
    )
    assert verdict.overall == Satisfaction.BASICALLY
    s.refresh_from_db()
    assert s.status == S.CLOSED and s.verdict == Satisfaction.BASICALLY
    ev = only_event("suggestions.verdict.given")
    assert ev.before_data["status"] == S.ANSWERED and ev.after_data["status"] == S.CLOSED
    # The unit is not told what was rated.
    assert not OutboxMessage.objects.filter(kind__startswith="suggestions.verdict").exists()


def test_unsatisfied_reopens_the_office_reassigns_and_the_re_reply_month_runs_from_there(personas):
    """Sources: Huangshi government rule [CN6] 第二十七条 (再次作出书面答复 "在1个月内") — the month
    runs from the congress office's reassignment (重新交办), not from the verdict (issue 14);
    the office reassigns within SUGGESTION_REASSIGN_WORKING_DAYS (local choice, ADR 0019).
    Issue 13 item 9: 不满意 needs a reason; the deputy is told the suggestion is reopened and by
    when; after a second 不满意 the status is 督办中 while the order is open, 已办结 after."""
    p = personas
    s = walk(p, S.ANSWERED)
    verdict = services.verdict_give(
        actor=p.deputy,
        suggestion_id=s.pk,
        version=s.version,
        on_attitude=Satisfaction.SATISFIED,
        on_result=Satisfaction.UNSATISFIED,
        comment="电梯补贴没有落实",
    )
    s.refresh_from_db()
    assert s.status == S.REOPENED and s.verdict == Satisfaction.UNSATISFIED
    # No re-reply clock yet: the office reassigns first, within its working days.
    assert not Deadline.objects.filter(kind=DEADLINE_REREPLY).exists()
    assert s.reply_due_at is None and s.reassigned_at is None
    reassign = deadline(s, DEADLINE_REASSIGN)
    assert (reassign.rule_kind, reassign.rule_amount) == (
        "working_days",
        settings.SUGGESTION_REASSIGN_WORKING_DAYS,
    )
    assert reassign.responsible_org == p.orgs["congress_body"]
    assert {"unit_a", "congress_clerk", "deputy"} <= recipients("suggestions.suggestion.reopened")
    for message in OutboxMessage.objects.filter(kind="suggestions.suggestion.reopened"):
        assert "不满意" not in message.title  # never the rating (the deputy's own is "reopened")
    # The deputy is told: reopened, reassigned by when, re-reply at the latest.
    told = services.reopening.verdict_done(verdict)
    assert "重新办理" in told and f"{timezone.localtime(reassign.due_at):%Y-%m-%d}" in told
    # The unit cannot re-reply before the reassignment.
    services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="第二轮会办意见")
    with pytest.raises(TransitionNotAllowed):
        services.reply_send(
            actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="B", signer="x", text="x"
        )
    # Ten days later the office reassigns: the month runs from now.
    later = timezone.now() + timedelta(days=10)
    with time_machine.travel(later, tick=False):
        services.suggestion_reassign(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s))
        s.refresh_from_db()
        rereply = deadline(s, DEADLINE_REREPLY)
        assert (rereply.rule_kind, rereply.rule_amount) == (
            "months",
            settings.SUGGESTION_REREPLY_MONTHS,
        )
        assert rereply.start == s.reassigned_at == later
        assert s.reply_due_at == rereply.due_at
        assert deadline(s, DEADLINE_REASSIGN).state == DeadlineState.MISSED
        assert {"unit_a", "deputy"} <= recipients("suggestions.suggestion.reassigned")
        with pytest.raises(TransitionNotAllowed):
            services.suggestion_reassign(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s))
        r2 = services.reply_send(
            actor=p.unit_a,
            suggestion_id=s.pk,
            version=v(s),
            category="B",
            signer="x",
            text="再次答复",
        )
        assert r2.round == 2 and deadline(s, DEADLINE_REREPLY).state == DeadlineState.MET
        # 不满意 without a reason is refused.
        with pytest.raises(ValidationFailed) as exc:
            services.verdict_give(
                actor=p.deputy,
                suggestion_id=s.pk,
                version=v(s),
                on_attitude=Satisfaction.UNSATISFIED,
                on_result=Satisfaction.UNSATISFIED,
            )
        assert "comment" in exc.value.field_errors
        second = services.verdict_give(
            actor=p.deputy,
            suggestion_id=s.pk,
            version=v(s),
            on_attitude=Satisfaction.UNSATISFIED,
            on_result=Satisfaction.UNSATISFIED,
            comment="仍未解决",
        )
        s.refresh_from_db()
        # 督办中 while the order is open, not 已办结.
        assert s.status == S.SUPERVISED and s.closed_at is None
        assert s.get_status_display() == "督办中"
        order = s.supervision_orders.get()
        assert order.kind == SupervisionKind.UNSATISFACTORY and order.to_unit == p.orgs["unit_a"]
        assert order.issued_by is None and order.issued_by_org == p.orgs["congress_body"]
        assert only_event("suggestions.supervision.issued").after_data["automatic"] is True
        assert {"unit_a", "stationed", "gov_supervisor"} <= recipients(
            "suggestions.supervision.issued"
        )
        assert "督办中" in services.reopening.verdict_done(second)
        services.supervision_respond(
            actor=p.unit_a, order_id=order.pk, version=order.version, response="已落实补贴"
        )
        order.refresh_from_db()
        services.supervision_close(actor=p.congress_clerk, order_id=order.pk, version=order.version)
        s.refresh_from_db()
        assert s.status == S.CLOSED and s.closed_at is not None
        assert only_event("suggestions.supervision.closed").after_data["suggestion_closed"] is True


def test_reassignment_refusals(personas):
    p = personas
    s = walk(p, S.ANSWERED)
    with pytest.raises(TransitionNotAllowed):  # not reopened
        services.suggestion_reassign(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s))
    services.verdict_give(
        actor=p.deputy,
        suggestion_id=s.pk,
        version=v(s),
        on_attitude=Satisfaction.UNSATISFIED,
        on_result=Satisfaction.UNSATISFIED,
        comment="没有解决",
    )
    with pytest.raises(AccessDenied):
        services.suggestion_reassign(actor=p.unit_a, suggestion_id=s.pk, version=v(s))
    with pytest.raises(ConcurrentEdit):
        services.suggestion_reassign(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s) - 1)
    with pytest.raises(ValidationFailed):
        services.suggestion_reassign(
            actor=p.congress_clerk, suggestion_id=s.pk, version=v(s), note="x" * 5001
        )


def test_a_submission_may_be_handled_as_a_deputys_letter(personas):
    """Source: 《全国人民代表大会代表建议、批评和意见处理办法》 — what is not to be raised as a
    suggestion may be handled as a deputy's letter (作为代表来信处理) (docs/adr/0019)."""
    p = personas
    s = walk(p, S.SUBMITTED)
    with pytest.raises(AccessDenied):
        services.suggestion_treat_as_letter(
            actor=p.unit_a, suggestion_id=s.pk, version=v(s), note="x"
        )
    with pytest.raises(ValidationFailed):
        services.suggestion_treat_as_letter(
            actor=p.congress_clerk, suggestion_id=s.pk, version=v(s), note=" "
        )
    with pytest.raises(ConcurrentEdit):
        services.suggestion_treat_as_letter(
            actor=p.congress_clerk, suggestion_id=s.pk, version=v(s) - 1, note="x"
        )
    services.suggestion_treat_as_letter(
        actor=p.congress_clerk, suggestion_id=s.pk, version=v(s), note="属代转群众来信，转来信办理"
    )
    s.refresh_from_db()
    assert s.status == S.AS_LETTER and s.get_status_display() == "作为代表来信处理"
    assert s.reviewed_by == p.congress_clerk
    ev = only_event("suggestions.suggestion.as_letter")
    assert "属代转" not in str(ev.after_data)  # the note only as its digest
    assert "deputy" in recipients("suggestions.suggestion.as_letter")
    with pytest.raises(TransitionNotAllowed):  # decided: no second review
        services.suggestion_accept(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s))


def test_staff_record_the_paper_form_on_the_deputys_behalf(personas):
    p = personas
    s = walk(p, S.ANSWERED)
    services.verdict_give(
        actor=p.congress_clerk,
        suggestion_id=s.pk,
        version=s.version,
        on_attitude="satisfied",
        on_result="satisfied",
    )
    v_ = Verdict.objects.get()
    assert v_.deputy == deputy(p) and v_.recorded_by == p.congress_clerk
    assert only_event("suggestions.verdict.given").after_data["on_behalf"] is True


def test_verdict_refusals(personas):
    p = personas
    s = walk(p, S.ANSWERED)
    for who in ("unit_a", "unit_b", "stationed"):
        with pytest.raises(AccessDenied):
            services.verdict_give(
                actor=p.users[who],
                suggestion_id=s.pk,
                version=s.version,
                on_attitude="satisfied",
                on_result="satisfied",
            )
    with pytest.raises(ValidationFailed):
        services.verdict_give(
            actor=p.deputy, suggestion_id=s.pk, version=s.version, on_attitude="", on_result="meh"
        )
    handling = walk(p, S.HANDLING)
    with pytest.raises(TransitionNotAllowed):
        services.verdict_give(
            actor=p.deputy,
            suggestion_id=handling.pk,
            version=handling.version,
            on_attitude="satisfied",
            on_result="satisfied",
        )
    assert not Verdict.objects.exists()


# --- Supervision


def test_supervision_order_report_close_and_escalation_to_the_cdi(personas):
    p = personas
    s = walk(p, S.HANDLING)
    order = services.supervision_issue(
        actor=p.congress_clerk,
        suggestion_id=s.pk,
        kind=SupervisionKind.CONCENTRATED,
        requirements="多名代表集中反映，请加快办理。",
    )
    assert order.to_unit == p.orgs["unit_a"] and order.state == SupervisionState.ISSUED
    assert only_event("suggestions.supervision.issued").after_data["kind"] == "concentrated"
    with pytest.raises(RuleViolation):  # one live order per kind
        services.supervision_issue(
            actor=p.gov_supervisor, suggestion_id=s.pk, kind="concentrated", requirements="x"
        )
    with pytest.raises(AccessDenied):
        services.supervision_respond(actor=p.unit_b, order_id=order.pk, version=1, response="x")
    with pytest.raises(TransitionNotAllowed):
        services.supervision_close(actor=p.congress_clerk, order_id=order.pk, version=1)
    order = services.supervision_respond(
        actor=p.unit_a, order_id=order.pk, version=1, response="已召开专题会议推进。"
    )
    assert order.state == SupervisionState.RESPONDED
    assert only_event("suggestions.supervision.responded").after_data["on_time"] is True
    # Not yet visible to the CDI; escalation makes it so.
    from wulian.core import access

    assert not access.can(p.cdi_officer, "suggestions.suggestion.view", s)
    with pytest.raises(AccessDenied):
        services.supervision_escalate(
            actor=p.gov_supervisor, order_id=order.pk, version=order.version, note="x"
        )
    services.supervision_escalate(
        actor=p.congress_clerk, order_id=order.pk, version=order.version, note="办理敷衍，请研究。"
    )
    s.refresh_from_db()
    assert s.escalated_to_cdi_at is not None
    assert access.can(p.cdi_officer, "suggestions.suggestion.view", s)
    assert {"cdi_officer"} <= recipients("suggestions.supervision.escalated")
    assert only_event("suggestions.supervision.escalated")
    order.refresh_from_db()
    services.supervision_close(actor=p.congress_clerk, order_id=order.pk, version=order.version)
    assert only_event("suggestions.supervision.closed").after_data["state"] == "closed"


def test_supervision_refusals(personas):
    p = personas
    s = submit(p)
    with pytest.raises(TransitionNotAllowed):  # not assigned yet
        services.supervision_issue(
            actor=p.congress_clerk, suggestion_id=s.pk, kind="overdue", requirements="x"
        )
    s = walk(p, S.HANDLING)
    with pytest.raises(AccessDenied):
        services.supervision_issue(
            actor=p.unit_a, suggestion_id=s.pk, kind="overdue", requirements="x"
        )
    with pytest.raises(ValidationFailed):
        services.supervision_issue(
            actor=p.congress_clerk, suggestion_id=s.pk, kind="nope", requirements="x"
        )
    court = OrganisationFactory(kind=OrgKind.COURT, code="FY-2", name="某法院")
    with pytest.raises(ValidationFailed):  # not one of its handling units
        services.supervision_issue(
            actor=p.congress_clerk,
            suggestion_id=s.pk,
            kind="overdue",
            requirements="x",
            to_unit_id=court.pk,
        )


def test_a_missed_reply_escalates_by_itself_once(personas, time_machine):
    p = personas
    s = walk(p, S.HANDLING)
    assert services.overdue_escalate() == 0
    time_machine.move_to(s.reply_due_at + timedelta(hours=1))
    assert services.overdue_escalate() == 1
    assert services.overdue_escalate() == 0
    order = s.supervision_orders.get()
    assert order.kind == SupervisionKind.OVERDUE and order.to_unit == p.orgs["unit_a"]


def test_key_suggestion_with_its_leader(personas):
    p = personas
    s = walk(p, S.HANDLING)
    leader = p.congress_clerk.person
    with pytest.raises(ValidationFailed):
        services.suggestion_mark_key(
            actor=p.congress_clerk, suggestion_id=s.pk, version=v(s), is_key=True
        )
    with pytest.raises(AccessDenied):
        services.suggestion_mark_key(
            actor=p.gov_supervisor, suggestion_id=s.pk, version=v(s), is_key=False
        )
    s = services.suggestion_mark_key(
        actor=p.congress_clerk,
        suggestion_id=s.pk,
        version=v(s),
        is_key=True,
        leader_id=leader.pk,
        decided_on=date(2026, 6, 10),
    )
    assert s.is_key and s.key_leader == leader
    ev = only_event("suggestions.suggestion.key_marked")
    assert ev.before_data["is_key"] is False and ev.after_data["is_key"] is True
    assert recipients("suggestions.suggestion.key_marked") == {"unit_a"}


# --- Follow-up visit, pre-consultation


def test_the_stationed_group_records_a_joint_follow_up_visit(personas):
    from wulian.core.activities.models import Activity, ActivityRecordLink

    p = personas
    s = walk(p, S.HANDLING)
    with pytest.raises(AccessDenied):
        services.follow_up_visit(actor=p.congress_clerk, suggestion_id=s.pk, data={})
    activity = services.follow_up_visit(
        actor=p.stationed,
        suggestion_id=s.pk,
        data={"organiser_id": p.orgs["stationed_group"].pk, "notes": "参加承办单位工作会议"},
    )
    assert activity.kind == "follow_up_visit" and activity.organiser == p.orgs["stationed_group"]
    assert ActivityRecordLink.objects.filter(activity=activity, **records.reference(s)).exists()
    assert activity.participants.filter(organisation=p.orgs["unit_a"]).exists()
    assert only_event("suggestions.suggestion.follow_up_visited").after_data["activity"] == (
        activity.pk
    )
    # A finding of the visit leads to rectification (the shared findings app).
    from wulian.core.rectification import services as rect_services

    finding = rect_services.finding_raise(
        actor=p.stationed,
        record=activity,
        data={
            "title": "答复内容与实际进度不符",
            "description": "回访发现承办单位答复已完成，实际尚未开工。",
            "found_at": date(2026, 6, 15),
            "about_organisation_id": p.orgs["unit_a"].pk,
            "found_by_org_id": p.orgs["stationed_group"].pk,
            "responsible_org_ids": [p.orgs["unit_a"].pk],
        },
    )
    assert finding.rectifications.get().responsible_org == p.orgs["unit_a"]
    assert Activity.objects.count() == 1


def test_the_pre_consultation_is_an_activity_a_batch_refers_to(personas):
    p = personas
    activity = services.consultation_record(
        actor=p.congress_clerk,
        data={
            "organiser_id": p.orgs["congress_body"].pk,
            "unit_ids": [p.orgs["unit_a"].pk, p.orgs["unit_b"].pk],
        },
    )
    assert activity.kind == "joint_meeting" and activity.participants.count() == 3
    assert only_event("suggestions.consultation.recorded").after_data["units"] == [
        p.orgs["unit_a"].pk,
        p.orgs["unit_b"].pk,
    ]
    s = walk(p, S.ACCEPTED)
    batch = services.batch_propose(
        actor=p.congress_clerk, items=[_item(p, s)], consultation_id=activity.pk
    )
    assert batch.consultation == activity


# --- Publication


APPROVED = {"title": "关于加装电梯的建议", "content": "", "replies": {1: "已纳入年度计划。"}}


def test_publication_of_an_answered_suggestion(personas):
    from wulian.core.crypto import sm3_hex

    p = personas
    s = walk(p, S.HANDLING)
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_publish(
            actor=p.congress_clerk, suggestion_id=s.pk, version=v(s), **APPROVED
        )
    s = walk(p, S.CLOSED)
    with pytest.raises(AccessDenied):
        services.suggestion_publish(actor=p.deputy, suggestion_id=s.pk, version=v(s), **APPROVED)
    s = services.suggestion_publish(
        actor=p.congress_clerk, suggestion_id=s.pk, version=v(s), **APPROVED
    )
    assert s.public and s.published_at is not None
    assert only_event("suggestions.suggestion.published").after_data == {
        "public": True,
        "title_sm3": sm3_hex("关于加装电梯的建议".encode()),
        "content_sm3": "",
        "replies_sm3": {"1": sm3_hex("已纳入年度计划。".encode())},
    }
    services.suggestion_unpublish(actor=p.congress_clerk, suggestion_id=s.pk, version=v(s))
    assert not Suggestion.objects.get(pk=s.pk).public


def test_a_reply_without_public_text_cannot_be_published(personas):
    p = personas
    s = walk(p, S.CLOSED)
    Reply.objects.filter(suggestion=s).update(public_text="")
    with pytest.raises(RuleViolation):
        services.suggestion_publish(
            actor=p.congress_clerk, suggestion_id=s.pk, version=v(s), **APPROVED
        )


# --- Campaigns


def test_campaign_opinions_registered_assigned_completed(personas):
    p = personas
    campaign = services.campaign_create(
        actor=p.congress_clerk,
        data={
            "name": "三进三促",
            "organiser_id": p.orgs["congress_body"].pk,
            "starts_on": date(2026, 3, 1),
        },
    )
    assert only_event("suggestions.campaign.created")
    opinion = services.opinion_register(
        actor=p.deputy,
        campaign_id=campaign.pk,
        data={"content": "村饮水管网老化", "collected_on": date(2026, 3, 5), "place": "某村"},
    )
    assert opinion.number == 1 and opinion.collected_by == deputy(p)
    assert only_event("suggestions.opinion.registered").after_data["state"] == "registered"
    with pytest.raises(AccessDenied):
        services.opinion_assign(
            actor=p.deputy, opinion_id=opinion.pk, version=1, unit_id=p.orgs["unit_a"].pk
        )
    opinion = services.opinion_assign(
        actor=p.congress_clerk, opinion_id=opinion.pk, version=1, unit_id=p.orgs["unit_a"].pk
    )
    assert opinion.state == "assigned" and recipients("suggestions.opinion.assigned") == {"unit_a"}
    with pytest.raises(AccessDenied):
        services.opinion_complete(actor=p.unit_b, opinion_id=opinion.pk, version=2, result="x")
    with pytest.raises(ConcurrentEdit):
        services.opinion_complete(actor=p.unit_a, opinion_id=opinion.pk, version=1, result="x")
    opinion = services.opinion_complete(
        actor=p.unit_a, opinion_id=opinion.pk, version=2, result="已更换管网。"
    )
    assert opinion.state == "completed"
    assert only_event("suggestions.opinion.completed").before_data == {"state": "assigned"}
    assert recipients("suggestions.opinion.completed") == {"deputy"}
    with pytest.raises(TransitionNotAllowed):
        services.opinion_assign(
            actor=p.congress_clerk, opinion_id=opinion.pk, version=3, unit_id=p.orgs["unit_b"].pk
        )


def test_campaign_refusals(personas):
    p = personas
    with pytest.raises(AccessDenied):
        services.campaign_create(actor=p.deputy, data={})
    with pytest.raises(ValidationFailed) as exc:
        services.campaign_create(actor=p.congress_clerk, data={"name": ""})
    assert {"name", "starts_on", "organiser"} <= set(exc.value.field_errors)
    campaign = services.campaign_create(
        actor=p.congress_clerk,
        data={
            "name": "三进三促",
            "organiser_id": p.orgs["congress_body"].pk,
            "starts_on": date(2026, 3, 1),
        },
    )
    with pytest.raises(ValidationFailed):
        services.opinion_register(
            actor=p.deputy,
            campaign_id=campaign.pk,
            data={"content": "x", "collected_on": date(2026, 12, 31)},
        )
    with pytest.raises(AccessDenied):
        services.opinion_register(
            actor=p.unit_a,
            campaign_id=campaign.pk,
            data={"content": "x", "collected_on": date(2026, 3, 2)},
        )


# --- Sessions


def test_session_create(personas):
    p = personas
    session = services.session_create(
        actor=p.congress_clerk,
        data={
            "name": "市十五届人大三次会议",
            "opens_on": date(2027, 1, 8),
            "closes_on": date(2027, 1, 12),
            "office_id": p.orgs["congress_body"].pk,
            "is_current": True,
        },
    )
    assert session.year == 2027 and session.is_current
    assert only_event("suggestions.session.created")
    with pytest.raises(ValidationFailed):
        services.session_create(
            actor=p.congress_clerk,
            data={
                "name": "市十五届人大三次会议",
                "opens_on": date(2027, 1, 8),
                "closes_on": date(2027, 1, 1),
                "office_id": p.orgs["unit_a"].pk,
            },
        )
    with pytest.raises(AccessDenied):
        services.session_create(actor=p.unit_a, data={})

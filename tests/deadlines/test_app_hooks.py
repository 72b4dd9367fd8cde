"""What a record's app may declare about its deadline kinds besides `own_extensions`: its own
words for the sweep's reminders and escalation (`sweep.word_messages`), that it lists the kind
in 我的待办 itself (`todos.listed_by_app`); and the assigner's extension without a request
(`services.extension_grant`), which owned kinds allow only to the owning app."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from wulian.core.access import actor_for
from wulian.core.deadlines import services, sweep, todos
from wulian.core.deadlines.choices import Decision
from wulian.core.deadlines.models import ExtensionRequest
from wulian.core.errors import AccessDenied, RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

WORDED = "tests_worded"
LISTED = "tests_listed_by_app"
OWNED = "tests_owned_grant"
services.own_extensions(OWNED)
todos.listed_by_app(LISTED)


def _words(deadline, point, now):
    return f"自定：{point['kind']}", f"{deadline.title}／{deadline.responsible_org.name}"


sweep.word_messages(WORDED, _words)


# --- extension_grant ---------------------------------------------------------------------------


def test_the_assigner_grants_an_extension_without_a_request(personas, open_deadline):
    d = open_deadline()
    new_due = d.due_at + timedelta(days=10)
    req = services.extension_grant(
        actor=personas.congress_clerk, deadline_id=d.pk, new_due=new_due, reason="随主办事项延期"
    )
    d.refresh_from_db()
    assert d.due_at == new_due and d.generation == 1
    assert req.decision == Decision.APPROVED
    assert req.requested_by == req.decided_by == personas.congress_clerk
    assert req.due_before == d.original_due_at and req.new_due_at == new_due
    (event,) = AuditEvent.objects.filter(action="deadlines.deadline.extension_approved")
    assert event.after_data["granted"] is True and event.after_data["extension"] == req.pk
    assert not AuditEvent.objects.filter(action="deadlines.deadline.extension_requested")
    told = OutboxMessage.objects.filter(kind="deadlines.deadline.extension_approved")
    assert {m.recipient.username for m in told} == {"unit_a"}


def test_grant_refusals(personas, open_deadline):
    d = open_deadline()
    later = d.due_at + timedelta(days=10)
    with pytest.raises(AccessDenied):  # the handler cannot extend its own deadline
        services.extension_grant(actor=personas.unit_a, deadline_id=d.pk, new_due=later, reason="x")
    with pytest.raises(ValidationFailed) as info:
        services.extension_grant(
            actor=personas.congress_clerk, deadline_id=d.pk, new_due=d.due_at, reason=""
        )
    assert {"new_due", "reason"} <= set(info.value.field_errors)
    services.extension_request(
        actor=personas.unit_a, deadline_id=d.pk, new_due=later, reason="需协调"
    )
    with pytest.raises(RuleViolation):  # the handler's request waits: decide it first
        services.extension_grant(
            actor=personas.congress_clerk, deadline_id=d.pk, new_due=later, reason="x"
        )
    owned = open_deadline(kind=OWNED)
    with pytest.raises(RuleViolation):
        services.extension_grant(
            actor=personas.congress_clerk,
            deadline_id=owned.pk,
            new_due=owned.due_at + timedelta(days=1),
            reason="x",
        )
    services.extension_grant(
        actor=personas.congress_clerk,
        deadline_id=owned.pk,
        new_due=owned.due_at + timedelta(days=1),
        reason="x",
        owner=True,
    )
    services.deadline_cancel(actor=personas.congress_clerk, deadline_id=owned.pk)
    with pytest.raises(TransitionNotAllowed):
        services.extension_grant(
            actor=personas.congress_clerk,
            deadline_id=owned.pk,
            new_due=owned.due_at + timedelta(days=30),
            reason="x",
            owner=True,
        )
    assert ExtensionRequest.objects.filter(decision=Decision.APPROVED).count() == 1


# --- word_messages -----------------------------------------------------------------------------


def test_a_kind_worded_by_its_app_keeps_the_sweeps_recipients(personas, open_deadline):
    worded = open_deadline(kind=WORDED, reminder_points=[50])
    plain = open_deadline(kind="answer", reminder_points=[50])
    with time_machine.travel(worded.due_at + timedelta(minutes=1), tick=False):
        sweep.sweep()
    mine = OutboxMessage.objects.filter(url=worded.link, kind="deadlines.deadline.escalated")
    assert {m.title for m in mine} == {"自定：escalation"}
    assert {m.recipient.username for m in mine} == {"congress_clerk"}  # the assigner's desk
    generic = OutboxMessage.objects.filter(title__startswith="逾期督办：")
    assert generic.exists() and not generic.filter(title__startswith="自定")
    assert plain.kind == "answer"


# --- listed_by_app -----------------------------------------------------------------------------


def test_a_kind_listed_by_its_app_is_left_out_of_the_deadline_todos(personas, open_deadline):
    open_deadline(kind=LISTED, title="应用自己列出的期限")
    open_deadline(kind="answer", title="一般期限")
    titles = [i.title for i in todos.deadline_todos(actor_for(personas.unit_a))]
    assert "一般期限" in titles and "应用自己列出的期限" not in titles

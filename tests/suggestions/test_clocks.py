"""Two clocks of a suggestion (issue 4, steps 6 and 7):

- the re-reply deadline after 不满意 is extended only through the suggestion's own service (at
  most SUGGESTION_REREPLY_MAX_MONTHS after the reopening, the deputies told, merged suggestions
  reopened in the same round following), never on the generic deadline page;
- the deputy's verdict (征询意见表) is due SUGGESTION_VERDICT_WORKING_DAYS working days after each
  reply: the deputy is reminded, a miss tells the congress office to follow up — no supervision
  order, nothing deemed satisfied, the figures still count the suggestion answered without a
  verdict; the due date is on the page (red when passed) and in 我的待办."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from time_machine import travel

from tests.suggestions.helpers import make_suggestion, reassign, v, walk
from tests.suggestions.test_merging import (
    _assign,
    _contact,
    _reply,
    _verdict,
    merge,
    other_deputy_suggestion,
)
from wulian.accounts.models import User
from wulian.core import records
from wulian.core.access import actor_for
from wulian.core.deadlines import rules
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines import todos as deadline_todos
from wulian.core.deadlines.choices import DeadlineState, Decision
from wulian.core.deadlines.models import Deadline, ExtensionRequest
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.sweep import sweep
from wulian.core.errors import AccessDenied, RuleViolation, TransitionNotAllowed, ValidationFailed
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.suggestions import services
from wulian.suggestions.choices import (
    DEADLINE_REREPLY,
    DEADLINE_VERDICT,
    Satisfaction,
)
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.figures import compute
from wulian.suggestions.models import Suggestion, SupervisionOrder
from wulian.suggestions.services._common import _open_verdict_deadline
from wulian.suggestions.todos import suggestion_todos

pytestmark = pytest.mark.django_db


def clock(s: Any, kind: str) -> Deadline:
    return Deadline.objects.filter(**records.reference(s), kind=kind).latest("id")


def events(code: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=code).order_by("seq"))


def recipients(kind: str, **where: Any) -> set[str]:
    return set(
        OutboxMessage.objects.filter(kind=kind, **where).values_list(
            "recipient__username", flat=True
        )
    )


def reopened(p: Any) -> Suggestion:
    """Answered, then 不满意 from the deputy: reopened now with its re-reply clock."""
    s = walk(p, S.ANSWERED)
    services.verdict_give(
        actor=p.deputy,
        suggestion_id=s.pk,
        version=v(s),
        on_attitude=Satisfaction.SATISFIED,
        on_result=Satisfaction.UNSATISFIED,
        comment="补贴没有落实",
    )
    reassign(s)
    return Suggestion.objects.get(pk=s.pk)


def day_of(at: datetime) -> date:
    return timezone.localdate(at)


def end_of(day: date) -> datetime:
    return rules.at_local(day, rules.END_OF_DAY)


# --- The re-reply deadline's extension ------------------------------------------------------


def test_the_re_reply_is_extended_up_to_two_months_after_the_reopening(personas):
    p = personas
    s = reopened(p)
    rereply = clock(s, DEADLINE_REREPLY)
    assert settings.SUGGESTION_REREPLY_MAX_MONTHS == 2
    cap = rules.add_months(day_of(rereply.start), 2)
    with pytest.raises(ValidationFailed) as info:
        services.reply_extension_request(
            actor=p.unit_a, suggestion_id=s.pk, new_due=cap + timedelta(days=1), reason="x"
        )
    assert "new_due" in info.value.field_errors
    assert "重新办理后 2 个月" in info.value.message and cap.isoformat() in info.value.message
    for outsider in (p.unit_b, p.deputy, p.congress_clerk):
        with pytest.raises(AccessDenied):
            services.reply_extension_request(
                actor=outsider, suggestion_id=s.pk, new_due=cap, reason="x"
            )
    assert not ExtensionRequest.objects.exists()
    ext = services.reply_extension_request(
        actor=p.unit_a, suggestion_id=s.pk, new_due=cap, reason="需重新组织现场勘查。"
    )
    assert ext.deadline_id == rereply.pk
    (asked,) = events("deadlines.deadline.extension_requested")
    assert asked.target_id == str(s.pk)
    with pytest.raises(AccessDenied):
        services.reply_extension_decide(actor=p.unit_a, extension_id=ext.pk, approve=True)
    services.reply_extension_decide(actor=p.congress_clerk, extension_id=ext.pk, approve=True)
    s.refresh_from_db()
    rereply.refresh_from_db()
    assert rereply.due_at == end_of(cap) == s.reply_due_at
    assert s.status == S.REOPENED
    (approved,) = events("deadlines.deadline.extension_approved")
    assert approved.after_data["extension"] == ext.pk
    message = OutboxMessage.objects.get(kind="suggestions.reply.extended")
    assert message.recipient == p.deputy
    assert "重新办理的答复期限延至" in message.title and "现场勘查" in message.body


def test_the_office_cannot_approve_past_the_cap(personas, settings):
    p = personas
    s = reopened(p)
    rereply = clock(s, DEADLINE_REREPLY)
    ext = services.reply_extension_request(
        actor=p.unit_a,
        suggestion_id=s.pk,
        new_due=day_of(rereply.due_at) + timedelta(days=20),
        reason="x",
    )
    settings.SUGGESTION_REREPLY_MAX_MONTHS = 1  # the rule changed while the request waited
    with pytest.raises(RuleViolation) as info:
        services.reply_extension_decide(actor=p.congress_clerk, extension_id=ext.pk, approve=True)
    assert "重新办理后 1 个月" in info.value.message
    ext.refresh_from_db()
    assert ext.decision == Decision.PENDING
    assert Deadline.objects.get(pk=rereply.pk).due_at == rereply.due_at
    # A refusal still goes through, with its note.
    services.reply_extension_decide(
        actor=p.congress_clerk, extension_id=ext.pk, approve=False, note="请按期办理"
    )
    assert ExtensionRequest.objects.get(pk=ext.pk).decision == Decision.REFUSED
    assert not OutboxMessage.objects.filter(kind="suggestions.reply.extended").exists()


def test_no_extension_outside_handling_or_reopening(personas):
    p = personas
    answered = walk(p, S.ANSWERED)
    closed = walk(p, S.CLOSED)
    for s in (answered, closed):
        with pytest.raises(TransitionNotAllowed):
            services.reply_extension_request(
                actor=p.unit_a,
                suggestion_id=s.pk,
                new_due=timezone.localdate() + timedelta(days=10),
                reason="x",
            )
    # Re-answered: the re-reply clock is met; nothing to extend.
    s = reopened(p)
    services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="第二轮会办意见")
    services.reply_send(
        actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="B", signer="x", text="再次答复"
    )
    with pytest.raises(TransitionNotAllowed):
        services.reply_extension_request(
            actor=p.unit_a,
            suggestion_id=s.pk,
            new_due=timezone.localdate() + timedelta(days=10),
            reason="x",
        )
    assert not ExtensionRequest.objects.exists()


def test_the_generic_deadline_page_refuses_a_re_reply_extension(personas, client_of):
    p = personas
    s = reopened(p)
    rereply = clock(s, DEADLINE_REREPLY)
    assert deadline_services.extensions_owned(rereply)
    later = rereply.due_at + timedelta(days=10)
    with pytest.raises(RuleViolation) as info:
        deadline_services.extension_request(
            actor=p.unit_a, deadline_id=rereply.pk, new_due=later, reason="x"
        )
    assert s.get_absolute_url() in info.value.message
    r = client_of(p.unit_a).post(
        reverse("deadlines:extension_request", args=[rereply.pk]),
        {"version": rereply.version, "new_due": day_of(later).isoformat(), "reason": "需协调"},
    )
    assert r.status_code in (302, 409)
    assert not rereply.extensions.exists()
    # A request made on the suggestion's page is not decided on the generic one either.
    ext = services.reply_extension_request(
        actor=p.unit_a, suggestion_id=s.pk, new_due=day_of(later), reason="x"
    )
    with pytest.raises(RuleViolation):
        deadline_services.extension_approve(actor=p.congress_clerk, extension_id=ext.pk)
    assert ExtensionRequest.objects.get(pk=ext.pk).decision == Decision.PENDING


def test_the_reopened_suggestion_page_and_api_offer_the_extension(personas, client_of):
    p = personas
    s = reopened(p)
    page = client_of(p.unit_a).get(s.get_absolute_url()).content.decode()
    assert reverse("suggestions:extension_request", args=[s.pk]) in page
    assert "申请延期答复" in page
    new_due = day_of(clock(s, DEADLINE_REREPLY).due_at) + timedelta(days=7)
    r = client_of(p.unit_a).post(
        reverse("suggestions:extension_request", args=[s.pk]),
        {"new_due": new_due.isoformat(), "reason": "需协调省级部门"},
    )
    assert r.status_code == 302
    ext = ExtensionRequest.objects.get()
    clerk_page = client_of(p.congress_clerk).get(s.get_absolute_url()).content.decode()
    assert reverse("suggestions:extension_decide", args=[s.pk]) in clerk_page
    api = client_of(p.congress_clerk)
    r = api.post(
        reverse("suggestions_api:suggestion-extension-decision", args=[s.pk]),
        json.dumps({"extension": ext.pk, "decision": "approve"}),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    assert r.status_code == 200, r.content
    assert day_of(Suggestion.objects.get(pk=s.pk).reply_due_at) == new_due


def test_merged_suggestions_reopened_in_the_same_round_follow_the_extension(personas, time_machine):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, user = other_deputy_suggestion(p)
    merge(p, primary, other)
    _assign(p, primary)
    from wulian.suggestions.models import Assignment

    lead = Assignment.objects.get(suggestion=primary)
    services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=lead.version)
    _contact(p, primary)
    _contact(p, Suggestion.objects.get(pk=other.pk))
    _reply(p, primary)
    # The merged deputy is dissatisfied first, the primary's ten days later.
    _verdict(user, Suggestion.objects.get(pk=other.pk), Satisfaction.UNSATISFIED)
    time_machine.move_to(timezone.now() + timedelta(days=10))
    _verdict(p.deputy, Suggestion.objects.get(pk=primary.pk), Satisfaction.UNSATISFIED)
    mine, theirs = clock(primary, DEADLINE_REREPLY), clock(other, DEADLINE_REREPLY)
    their_cap = rules.add_months(day_of(theirs.start), 2)
    # Past the merged one's own cap (the primary's re-reply answers it too): refused, saying so.
    with pytest.raises(ValidationFailed) as info:
        services.reply_extension_request(
            actor=p.unit_a,
            suggestion_id=primary.pk,
            new_due=their_cap + timedelta(days=3),
            reason="x",
        )
    assert other.number_label in info.value.message and their_cap.isoformat() in info.value.message
    new_due = day_of(mine.due_at) + timedelta(days=14)
    ext = services.reply_extension_request(
        actor=p.unit_a, suggestion_id=primary.pk, new_due=new_due, reason="需统筹两件建议"
    )
    services.reply_extension_decide(actor=p.congress_clerk, extension_id=ext.pk, approve=True)
    primary.refresh_from_db()
    other.refresh_from_db()
    theirs.refresh_from_db()
    assert primary.reply_due_at == other.reply_due_at == theirs.due_at == end_of(new_due)
    granted = ExtensionRequest.objects.get(deadline=theirs)
    assert granted.decision == Decision.APPROVED and granted.decided_by == p.congress_clerk
    (followed,) = [
        e
        for e in events("suggestions.suggestion.followed")
        if e.target_id == str(other.pk) and e.after_data["step"] == "extended"
    ]
    assert followed.after_data["primary"] == primary.pk
    assert recipients("suggestions.reply.extended") >= {"deputy", user.username}
    # A request of the merged one's own waits: the primary's is refused until it is decided.
    services.reply_extension_request(
        actor=p.unit_a, suggestion_id=other.pk, new_due=their_cap, reason="单独延期"
    )
    with pytest.raises(RuleViolation) as info:
        services.reply_extension_request(
            actor=p.unit_a,
            suggestion_id=primary.pk,
            new_due=their_cap,
            reason="x",
        )
    assert other.number_label in info.value.message
    # The primary's re-reply answers both; each gets a new verdict clock.
    _reply(p, Suggestion.objects.get(pk=primary.pk))
    for s in (primary, other):
        assert clock(s, DEADLINE_REREPLY).state == DeadlineState.MET
        assert clock(s, DEADLINE_VERDICT).state == DeadlineState.OPEN
        assert Suggestion.objects.get(pk=s.pk).status == S.ANSWERED


# --- The verdict clock ----------------------------------------------------------------------------


def test_the_reply_starts_the_verdict_clock_and_the_verdict_stops_it(personas):
    p = personas
    s = walk(p, S.ANSWERED)
    d = clock(s, DEADLINE_VERDICT)
    assert (d.rule_kind, d.rule_amount) == ("working_days", 20)
    assert d.state == DeadlineState.OPEN and d.start == s.replied_at
    assert d.due_at == rules.due_at(Rule.working_days(20), s.replied_at)
    assert d.responsible_org == d.assigner_org == p.orgs["congress_body"] == s.office
    assert d.responsible_user == p.deputy and not d.escalate_to.exists()
    opened = [e for e in events("deadlines.deadline.opened") if e.after_data["kind"] == d.kind]
    assert len(opened) == 1 and opened[0].target_id == str(s.pk)
    services.verdict_give(
        actor=p.deputy,
        suggestion_id=s.pk,
        version=v(s),
        on_attitude=Satisfaction.SATISFIED,
        on_result=Satisfaction.SATISFIED,
    )
    assert clock(s, DEADLINE_VERDICT).state == DeadlineState.MET
    (given,) = events("suggestions.verdict.given")
    assert given.after_data["verdict_deadline"] == DeadlineState.MET


def test_a_late_verdict_still_counts_and_each_reply_gets_its_own_clock(personas, time_machine):
    p = personas
    s = walk(p, S.ANSWERED)
    first = clock(s, DEADLINE_VERDICT)
    time_machine.move_to(first.due_at + timedelta(days=2))
    # The office records the deputy's paper form, late.
    services.verdict_give(
        actor=p.congress_clerk,
        suggestion_id=s.pk,
        version=v(s),
        on_attitude=Satisfaction.UNSATISFIED,
        on_result=Satisfaction.UNSATISFIED,
        comment="纸质征询意见表：不满意，补贴没有落实",
    )
    assert clock(s, DEADLINE_VERDICT).state == DeadlineState.MISSED
    assert Suggestion.objects.get(pk=s.pk).status == S.REOPENED
    reassign(s)
    services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="第二轮会办意见")
    services.reply_send(
        actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="B", signer="x", text="再次答复"
    )
    second = clock(s, DEADLINE_VERDICT)
    assert second.pk != first.pk and second.state == DeadlineState.OPEN
    assert second.start == Suggestion.objects.get(pk=s.pk).replied_at


def test_the_deputy_is_reminded_and_a_miss_tells_the_office_only(personas):
    p = personas
    s = walk(p, S.ANSWERED)
    d = clock(s, DEADLINE_VERDICT)
    first_reminder = datetime.fromisoformat(d.schedule[0]["at"])
    sweep(now=first_reminder + timedelta(minutes=1))
    reminded = OutboxMessage.objects.filter(kind="deadlines.deadline.reminded", url=d.link)
    assert {m.recipient.username for m in reminded} == {"deputy"}
    (note,) = reminded
    assert note.title.startswith("请评价建议的答复") and "征询意见表" in note.body
    sweep(now=d.due_at + timedelta(minutes=1))
    escalated = OutboxMessage.objects.filter(kind="deadlines.deadline.escalated", url=d.link)
    told = {m.recipient.username for m in escalated}
    assert "congress_clerk" in told
    assert not told & {"deputy", "unit_a", "unit_b", "gov_supervisor", "stationed"}
    title = escalated.first().title
    assert title.startswith("代表未按期反馈征询意见表") and "督办" not in title
    assert "纸质征询意见表" in escalated.first().body
    # No supervision order, nothing deemed: still answered, without a verdict.
    assert services.overdue_escalate(now=d.due_at + timedelta(days=30)) == 0
    assert not SupervisionOrder.objects.exists()
    s.refresh_from_db()
    assert s.status == S.ANSWERED and s.verdict == "" and s.closed_at is None
    assert clock(s, DEADLINE_VERDICT).state == DeadlineState.OPEN
    figures = compute(year=s.session.year)
    assert figures.figure("answered").value == 1
    assert figures.figure("rated").value == 0
    assert sum(f.value for f in figures.satisfaction) == 0


def test_without_a_deputy_account_the_office_is_reminded(personas):
    p = personas
    s = walk(p, S.HANDLING)
    User.objects.filter(pk=p.deputy.pk).update(is_active=False)
    services.reply_send(
        actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="A", signer="x", text="答复"
    )
    d = clock(s, DEADLINE_VERDICT)
    assert d.responsible_user is None
    sweep(now=datetime.fromisoformat(d.schedule[0]["at"]) + timedelta(minutes=1))
    reminded = OutboxMessage.objects.filter(kind="deadlines.deadline.reminded", url=d.link)
    assert "congress_clerk" in {m.recipient.username for m in reminded}
    assert "没有平台账号" in reminded.first().body


def test_merged_deputies_each_get_their_own_verdict_clock(personas):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, user = other_deputy_suggestion(p)
    merge(p, primary, other)
    _assign(p, primary)
    from wulian.suggestions.models import Assignment

    lead = Assignment.objects.get(suggestion=primary)
    services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=lead.version)
    _contact(p, primary)
    _contact(p, Suggestion.objects.get(pk=other.pk))
    _reply(p, primary)
    theirs = clock(other, DEADLINE_VERDICT)
    assert theirs.responsible_user == user and theirs.state == DeadlineState.OPEN
    assert clock(primary, DEADLINE_VERDICT).responsible_user == p.deputy
    _verdict(user, Suggestion.objects.get(pk=other.pk), Satisfaction.SATISFIED)
    assert clock(other, DEADLINE_VERDICT).state == DeadlineState.MET
    assert clock(primary, DEADLINE_VERDICT).state == DeadlineState.OPEN


def test_withdrawal_stops_a_live_verdict_clock(personas):
    # Defensive: the transition table lets no answered suggestion be withdrawn, so a verdict
    # clock is normally met before any withdrawal; one left on a live suggestion still stops.
    p = personas
    s = make_suggestion(p, S.HANDLING)
    _open_verdict_deadline(p.congress_clerk, s, timezone.now())
    services.suggestion_withdraw(
        actor=p.congress_clerk,
        suggestion_id=s.pk,
        version=v(s),
        statement="代表来函撤回",
        letter_date=timezone.localdate(),
    )
    assert clock(s, DEADLINE_VERDICT).state == DeadlineState.CANCELLED


def test_an_answered_suggestion_is_not_withdrawn(personas):
    p = personas
    s = walk(p, S.ANSWERED)
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_withdraw(
            actor=p.deputy, suggestion_id=s.pk, version=v(s), statement="撤回"
        )
    assert clock(s, DEADLINE_VERDICT).state == DeadlineState.OPEN


# --- Where the verdict's due date shows ---------------------------------------------------------


def test_the_page_shows_the_verdict_due_date_red_once_passed(personas, client_of, time_machine):
    p = personas
    s = walk(p, S.ANSWERED)
    d = clock(s, DEADLINE_VERDICT)
    due = f"{timezone.localtime(d.due_at):%Y-%m-%d}"
    page = client_of(p.deputy).get(s.get_absolute_url()).content.decode()
    assert "评价期限" in page and due in page
    assert 'id="verdict-due"' in page and "征询意见表（评价）请于" in page
    assert "badge-danger" not in page
    unit_page = client_of(p.unit_a).get(s.get_absolute_url()).content.decode()
    assert "评价期限" in unit_page and 'id="verdict-due"' not in unit_page
    time_machine.move_to(d.due_at + timedelta(hours=1))
    page = client_of(p.congress_clerk).get(s.get_absolute_url()).content.decode()
    help_line = page[page.index('id="verdict-due"') :].split("</p>")[0]
    assert "badge-danger" in help_line
    facts = page[page.index("评价期限") :].split("</dd>")[0]
    assert "badge-danger" in facts


def test_todos_list_the_verdict_for_the_deputy_and_the_miss_for_the_office(personas, time_machine):
    p = personas
    s = walk(p, S.ANSWERED)
    d = clock(s, DEADLINE_VERDICT)
    (item,) = [i for i in suggestion_todos(actor_for(p.deputy)) if "评价建议的答复" in i.title]
    assert item.due == d.due_at and item.tone == "warning" and not item.overdue
    # Not listed a second time by the deadlines' provider, nor to the whole office.
    for who in (p.deputy, p.congress_clerk):
        assert d.title not in [i.title for i in deadline_todos.deadline_todos(actor_for(who))]
    assert not any("征询意见表" in i.title for i in suggestion_todos(actor_for(p.congress_clerk)))
    time_machine.move_to(d.due_at + timedelta(hours=1))
    (item,) = [i for i in suggestion_todos(actor_for(p.deputy)) if "评价建议的答复" in i.title]
    assert item.tone == "danger" and item.overdue and item.status == "评价逾期"
    (late,) = [i for i in suggestion_todos(actor_for(p.congress_clerk)) if "征询意见表" in i.title]
    assert late.title.startswith("跟进代表逾期未反馈的征询意见表") and late.due == d.due_at
    assert late.url == s.get_absolute_url() and late.tone == "danger"
    assert not any("征询意见表" in i.title for i in suggestion_todos(actor_for(p.unit_a)))


def test_the_todos_cost_the_same_queries_for_one_verdict_as_for_ten(personas):
    p = personas

    def answered() -> None:
        s = make_suggestion(p, S.ANSWERED)
        _open_verdict_deadline(p.congress_clerk, s, timezone.now())

    answered()
    suggestion_todos(actor_for(p.deputy))  # the content type is cached from then on
    later = timezone.now() + timedelta(days=60)
    counts = []
    for n in (1, 10):
        while Suggestion.objects.filter(status=S.ANSWERED).count() < n:
            answered()
        with travel(later, tick=False):
            for who in (p.deputy, p.congress_clerk):
                with CaptureQueriesContext(connection) as q:
                    items = suggestion_todos(actor_for(who))
                assert sum("征询意见表" in i.title or "评价建议" in i.title for i in items) == n
                counts.append(len(q.captured_queries))
    assert counts[:2] == counts[2:]

"""Issue 13, item 1: the co-units' opinions have a time limit (SUGGESTION_OPINION_MONTHS months
from their assignment, a deadline on the co-unit's assignment: reminders, then the congress
office and the lead unit told); after it the lead unit replies and the reply records which
opinions are missing; the congress office may waive one (`services.opinion_waive`, a declared
step). Item 7: the step bar and the message after each step say what happens next."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory
from tests.suggestions.helpers import v, walk
from wulian.core import records
from wulian.core.deadlines.choices import DeadlineState
from wulian.core.deadlines.models import Deadline
from wulian.core.deadlines.sweep import sweep
from wulian.core.errors import (
    AccessDenied,
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.models import AuditEvent
from wulian.core.notifications.models import OutboxMessage
from wulian.core.templatetags.ui import step_bar_html
from wulian.suggestions import progress, services
from wulian.suggestions.choices import DEADLINE_OPINION, AssignmentRole, ContactMethod
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import Assignment, OpinionWaiver, Reply, Suggestion

pytestmark = pytest.mark.django_db


def co_of(s: Suggestion) -> Assignment:
    return Assignment.objects.get(suggestion=s, role=AssignmentRole.CO)


def opinion_clock(a: Assignment) -> Deadline:
    return Deadline.objects.filter(**records.reference(a), kind=DEADLINE_OPINION).latest("id")


def handling_without_opinion(p: Any) -> Suggestion:
    """Unit A leads and has contacted the deputy; unit B co-handles, received, no opinion."""
    s = walk(p, S.ASSIGNED)
    for a in Assignment.objects.filter(suggestion=s).order_by("-role"):
        who = p.unit_a if a.role == AssignmentRole.LEAD else p.unit_b
        services.assignment_receive(actor=who, assignment_id=a.pk, version=a.version)
    services.contact_record(
        actor=p.unit_a,
        suggestion_id=s.pk,
        method=ContactMethod.PHONE,
        contacted_at=timezone.now(),
        agreed="电话联系代表。",
    )
    return Suggestion.objects.get(pk=s.pk)


def reply(p: Any, s: Suggestion) -> Reply:
    return services.reply_send(
        actor=p.unit_a, suggestion_id=s.pk, version=v(s), category="A", signer="张局长", text="答复"
    )


def waive(p: Any, a: Assignment, who: str = "congress_clerk", **kw: Any) -> OpinionWaiver:
    return services.opinion_waive(
        actor=p.users[who],
        assignment_id=a.pk,
        version=kw.pop("version", Assignment.objects.get(pk=a.pk).version),
        reason=kw.pop("reason", "会办单位电话告知无补充意见。"),
    )


# --- The time limit --------------------------------------------------------------------------


def test_the_assignment_opens_a_one_month_opinion_clock_on_each_co_unit(personas, settings):
    p = personas
    s = walk(p, S.ASSIGNED)
    co = co_of(s)
    d = opinion_clock(co)
    assert d.state == DeadlineState.OPEN
    assert (d.rule_kind, d.rule_amount) == ("months", settings.SUGGESTION_OPINION_MONTHS)
    assert d.responsible_org_id == p.orgs["unit_b"].pk
    assert d.assigner_org_id == s.office_id
    assert {o.pk for o in d.escalate_to.all()} == {p.orgs["unit_a"].pk}
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    assert not Deadline.objects.filter(**records.reference(lead), kind=DEADLINE_OPINION).exists()


def test_the_opinion_meets_its_clock(personas):
    p = personas
    s = handling_without_opinion(p)
    services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="同意。")
    assert opinion_clock(co_of(s)).state == DeadlineState.MET
    reply(p, s)  # nothing missing
    assert Reply.objects.get(suggestion=s).opinions_missing == []


def test_the_reply_waits_for_an_opinion_within_its_time_limit(personas):
    p = personas
    s = handling_without_opinion(p)
    with pytest.raises(RuleViolation) as refused:
        reply(p, s)
    assert p.orgs["unit_b"].name in refused.value.message
    assert "会办期限至" in refused.value.message
    assert not Reply.objects.exists()


def test_after_the_time_limit_the_lead_unit_replies_and_the_reply_records_the_missing_opinion(
    personas, time_machine, client_of
):
    p = personas
    s = handling_without_opinion(p)
    d = opinion_clock(co_of(s))
    time_machine.move_to(d.due_at + timedelta(hours=1))
    r = reply(p, s)
    assert r.opinions_missing == [
        {"unit": p.orgs["unit_b"].pk, "name": p.orgs["unit_b"].name, "due_at": d.due_at.isoformat()}
    ]
    assert opinion_clock(co_of(s)).state == DeadlineState.CANCELLED
    event = AuditEvent.objects.filter(action="suggestions.reply.sent").latest("seq")
    assert json.loads(event.after)["opinions_missing"] == [p.orgs["unit_b"].pk]
    page = client_of(p.deputy).get(s.get_absolute_url()).content.decode()
    assert "答复时未收到会办意见（会办期限已过）：" + p.orgs["unit_b"].name in page


def test_the_sweep_reminds_the_co_unit_then_tells_the_office_and_the_lead_unit(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    d = opinion_clock(co_of(s))
    sweep(now=datetime.fromisoformat(d.schedule[0]["at"]) + timedelta(minutes=1))
    reminded = OutboxMessage.objects.filter(
        kind="deadlines.deadline.reminded", title__startswith="请提交会办意见"
    )
    assert {m.recipient.username for m in reminded} == {"unit_b"}
    sweep(now=d.due_at + timedelta(minutes=1))
    escalated = OutboxMessage.objects.filter(
        kind="deadlines.deadline.escalated", title__startswith="会办单位未按期提交会办意见"
    )
    told = {m.recipient.username for m in escalated}
    assert {"congress_clerk", "unit_a"} <= told
    assert "unit_b" not in told and "deputy" not in told
    assert "主办单位现在可以答复代表" in escalated.first().body


def test_send_back_and_withdrawal_end_the_opinion_clock(personas):
    p = personas
    s = walk(p, S.ASSIGNED)
    co = co_of(s)
    services.assignment_send_back(
        actor=p.unit_b, assignment_id=co.pk, version=co.version, reason="不属于本单位职责。"
    )
    assert opinion_clock(co).state == DeadlineState.CANCELLED
    s2 = walk(p, S.ASSIGNED)
    services.suggestion_withdraw(
        actor=p.deputy, suggestion_id=s2.pk, version=v(s2), statement="本人书面撤回。"
    )
    assert opinion_clock(co_of(s2)).state == DeadlineState.CANCELLED


# --- The waiver ------------------------------------------------------------------------------


def test_the_congress_office_waives_an_opinion_and_the_lead_unit_replies(personas):
    p = personas
    s = handling_without_opinion(p)
    co = co_of(s)
    OutboxMessage.objects.all().delete()
    w = waive(p, co)
    assert (w.round, w.reason, w.waived_by_id) == (
        1,
        "会办单位电话告知无补充意见。",
        p.congress_clerk.pk,
    )
    assert opinion_clock(co).state == DeadlineState.CANCELLED
    (event,) = AuditEvent.objects.filter(action="suggestions.opinion.waived")
    after = json.loads(event.after)
    assert after["unit"] == p.orgs["unit_b"].pk and "reason_sm3" in after
    told = set(
        OutboxMessage.objects.filter(kind="suggestions.opinion.waived").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"unit_a", "unit_b"} <= told
    with pytest.raises(RuleViolation):  # the co-unit's opinion is no longer awaited
        services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="迟到的意见")
    r = reply(p, s)
    assert r.opinions_missing == []


def test_the_waiver_is_refused_to_others_and_in_the_wrong_state(personas):
    p = personas
    s = handling_without_opinion(p)
    co = co_of(s)
    for who in ("unit_a", "unit_b", "gov_supervisor", "deputy"):
        with pytest.raises(AccessDenied):
            waive(p, co, who)
    with pytest.raises(ConcurrentEdit):
        waive(p, co, version=co.version - 1)
    with pytest.raises(ValidationFailed) as blank:
        waive(p, co, reason="  ")
    assert "reason" in blank.value.field_errors
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    with pytest.raises(TransitionNotAllowed):
        waive(p, lead)
    waive(p, co)
    with pytest.raises(RuleViolation):
        waive(p, co)
    assert OpinionWaiver.objects.count() == 1


def test_a_given_opinion_is_not_waived_nor_one_of_an_answered_suggestion(personas):
    p = personas
    s = handling_without_opinion(p)
    services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="同意。")
    with pytest.raises(RuleViolation):
        waive(p, co_of(s))
    reply(p, s)
    with pytest.raises(TransitionNotAllowed):
        waive(p, co_of(s))
    assert not OpinionWaiver.objects.exists()


def test_the_page_offers_the_waiver_to_the_office_and_its_door_waives(personas, client_of):
    p = personas
    s = handling_without_opinion(p)
    co = co_of(s)
    clerk = client_of(p.congress_clerk)
    page = clerk.get(s.get_absolute_url()).content.decode()
    assert f'id="waive-{co.pk}"' in page and "等待会办意见" in page
    lead_page = client_of(p.unit_a).get(s.get_absolute_url()).content.decode()
    assert "等待会办意见" in lead_page and f'id="waive-{co.pk}"' not in lead_page
    url = reverse("suggestions:assignment_waive", args=[co.pk])
    bad = clerk.post(url, {f"w{co.pk}-version": co.version, f"w{co.pk}-reason": ""})
    assert bad.status_code == 400 and not OpinionWaiver.objects.exists()
    ok = clerk.post(
        url, {f"w{co.pk}-version": co.version, f"w{co.pk}-reason": "职责调整，无需会办。"}
    )
    assert ok.status_code == 302
    said = [str(m) for m in get_messages(ok.wsgi_request)]
    assert said[0].startswith("已免除该单位的会办意见") and "下一步：主办单位" in said[0]
    # The API door: the same step, now refused (already waived).
    api = client_of(p.congress_clerk).post(
        reverse("suggestions_api:assignment-waive", args=[co.pk]),
        {"version": Assignment.objects.get(pk=co.pk).version, "reason": "再次免除"},
        content_type="application/json",
    )
    assert api.status_code == 409 and OpinionWaiver.objects.count() == 1


# --- Item 7: the step bar and what happens next ----------------------------------------------


def test_the_step_bar_component(time_machine):
    now = timezone.now()
    html = str(step_bar_html(["提交", "审查", "交办"], 1, now + timedelta(hours=2)))
    assert html.count("<li") == 3
    assert '<li class="step-done"><span class="step-name">提交</span></li>' in html
    assert 'class="step-current" aria-current="step"' in html and "截止" in html
    assert '<li class="step-todo"><span class="step-name">交办</span></li>' in html
    late = str(step_bar_html(["提交", "审查"], 1, now - timedelta(hours=1)))
    assert "已逾期" in late and "overdue" in late
    ended = str(step_bar_html(["提交", "审查"], 1, None, "不予立案"))
    assert 'class="step-ended"' in ended and "不予立案" in ended
    done = str(step_bar_html(["提交", "审查"], 2))
    assert done.count("step-done") == 2 and "aria-current" not in done
    assert "&lt;b&gt;" in str(step_bar_html(["<b>"], 0))  # escaped


def test_the_suggestion_page_shows_the_current_step_and_its_deadline(personas, client_of):
    p = personas
    s = walk(p, S.ASSIGNED)
    page = client_of(p.deputy).get(s.get_absolute_url()).content.decode()
    assert '<ol class="step-bar"' in page
    assert (
        '<li class="step-current" aria-current="step"><span class="step-name">签收</span>' in page
    )
    assert progress.of(s).current == progress.RECEIVE


def test_after_the_receipt_the_message_says_whom_to_contact_and_by_when(personas, client_of):
    p = personas
    s = walk(p, S.ASSIGNED)
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    answer = client_of(p.unit_a).post(
        reverse("suggestions:assignment_receive", args=[lead.pk]), {f"a{lead.pk}-version": 1}
    )
    assert answer.status_code == 302
    (said,) = [str(m) for m in get_messages(answer.wsgi_request)]
    s.refresh_from_db()
    deputy = s.lead_deputy.name
    assert said.startswith(f"已签收。请在48小时内联系领衔代表{deputy}（截止")
    assert f"{timezone.localtime(s.contact_due_at):%H:%M}" in said
    co = co_of(s)
    answer = client_of(p.unit_b).post(
        reverse("suggestions:assignment_receive", args=[co.pk]), {f"a{co.pk}-version": co.version}
    )
    (said,) = [str(m) for m in get_messages(answer.wsgi_request)]
    assert said.startswith("已签收。请在") and "前向主办单位提交会办意见" in said


def test_each_suggestion_step_says_what_happens_next(personas):
    p = personas
    s = handling_without_opinion(p)
    assert "答复前须收到会办意见：" in progress.next_text(s)
    services.opinion_give(actor=p.unit_b, suggestion_id=s.pk, text="同意。")
    assert progress.next_text(s).startswith("下一步：主办单位")
    reply(p, s)
    s.refresh_from_db()
    assert progress.next_text(s).startswith(f"下一步：领衔代表{s.lead_deputy.name}评价答复")


def test_a_co_unit_without_accounts_no_longer_blocks_the_reply(personas, time_machine):
    """The demo's case: a co-unit with nobody on the platform never receives nor answers; once
    its month has passed the lead unit replies (before, it could never be answered)."""
    p = personas
    silent = OrganisationFactory(code="ZF-ZJ", name="市住建局", parent=p.orgs["government"])
    s = walk(p, S.ACCEPTED)
    batch = services.batch_propose(
        actor=p.congress_clerk,
        items=[
            {
                "suggestion_id": s.pk,
                "version": v(s),
                "lead_unit_id": p.orgs["unit_a"].pk,
                "co_unit_ids": [silent.pk],
            }
        ],
    )
    services.batch_confirm(actor=p.gov_supervisor, batch_id=batch.pk, version=batch.version)
    lead = Assignment.objects.get(suggestion=s, role=AssignmentRole.LEAD)
    services.assignment_receive(actor=p.unit_a, assignment_id=lead.pk, version=lead.version)
    services.contact_record(
        actor=p.unit_a,
        suggestion_id=s.pk,
        method=ContactMethod.PHONE,
        contacted_at=timezone.now(),
        agreed="电话联系代表。",
    )
    d = opinion_clock(co_of(s))
    assert d.responsible_org_id == silent.pk
    with pytest.raises(RuleViolation):
        reply(p, s)
    time_machine.move_to(d.due_at + timedelta(minutes=1))
    r = reply(p, s)
    assert [m["name"] for m in r.opinions_missing] == ["市住建局"]
    assert Suggestion.objects.get(pk=s.pk).status == S.ANSWERED

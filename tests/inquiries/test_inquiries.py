"""Special inquiries: the question list, the meeting, answers and commitments (rectifications in
the ledger), the 审议意见 deadline and the 回头看 scheduled six months later."""

from __future__ import annotations

from datetime import date

import pytest

from tests.inquiries import helpers as h
from tests.stations.helpers import NOW
from wulian.core.activities.choices import ActivityKind
from wulian.core.activities.models import Activity, ActivityRecordLink
from wulian.core.deadlines import workcalendar
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import AccessDenied, TransitionNotAllowed, ValidationFailed
from wulian.core.rectification import selectors as rect_selectors
from wulian.core.rectification.models import Rectification
from wulian.inquiries import services
from wulian.inquiries.choices import InquiryState, TopicSource

pytestmark = pytest.mark.django_db


def test_a_topic_can_come_from_the_satisfaction_vote(p):
    i = h.inquiry(p, source=TopicSource.SATISFACTION, source_note="2026年民生实事测评不满意项目")
    assert i.get_source_display() == "满意度测评不满意项目"
    with pytest.raises(AccessDenied):
        services.inquiry_create(actor=p.unit_a, data={"title": "x"})
    with pytest.raises(ValidationFailed):
        services.inquiry_create(actor=p.congress_clerk, data={"title": ""})


def test_holding_the_meeting_schedules_the_opinion_the_report_and_the_look_back(p):
    q = h.held(p)
    i = q.inquiry
    assert i.state == InquiryState.HELD
    assert i.meeting.kind == ActivityKind.SPECIAL_INQUIRY
    assert i.look_back.kind == ActivityKind.LOOK_BACK
    assert i.look_back.starts_at.astimezone(NOW.tzinfo).date() == date(2026, 12, 15)
    assert i.report_due == date(2026, 9, 15)
    assert ActivityRecordLink.objects.filter(object_id=i.pk).count() == 2
    d = Deadline.objects.get(kind="inquiry_opinion")
    assert d.due_at.astimezone(NOW.tzinfo).date() == workcalendar.add_working_days(NOW.date(), 10)
    with pytest.raises(TransitionNotAllowed):
        services.inquiry_hold(
            actor=p.congress_clerk,
            inquiry_id=i.pk,
            version=i.version,
            held_on=NOW.date(),
            place="x",
        )


def test_an_inquiry_without_questions_is_not_held(p):
    i = h.inquiry(p)
    with pytest.raises(ValidationFailed):
        services.inquiry_hold(
            actor=p.congress_clerk,
            inquiry_id=i.pk,
            version=i.version,
            held_on=NOW.date(),
            place="x",
        )
    assert not Activity.objects.exists()


def test_a_commitment_is_a_rectification_in_the_ledger(p):
    q = h.answered(p)
    with pytest.raises(AccessDenied):
        services.commitment_add(
            actor=p.unit_a, question_id=q.pk, version=q.version, title="x", content="y"
        )
    finding = services.commitment_add(
        actor=p.congress_clerk,
        question_id=q.pk,
        version=q.version,
        title="停车泊位供给不足",
        content="年内新增公共停车泊位2000个，老旧小区错时共享停车。",
    )
    rect = Rectification.objects.get(finding=finding)
    assert rect.responsible_org == p.orgs["unit_a"]
    ledger = rect_selectors.rectification_ledger(actor=p.congress_clerk)
    assert ledger.filter(pk=rect.pk).exists()
    # the answering unit sees its commitment in its own ledger
    assert rect_selectors.rectification_ledger(actor=p.unit_a).filter(pk=rect.pk).exists()


def test_no_commitment_before_the_answer(p):
    q = h.held(p)
    with pytest.raises(ValidationFailed):
        services.commitment_add(
            actor=p.congress_clerk, question_id=q.pk, version=q.version, title="x", content="y"
        )


def test_the_opinion_is_sent_and_its_deadline_met(p):
    q = h.answered(p)
    i = q.inquiry
    i.refresh_from_db()
    i = services.inquiry_send_opinion(
        actor=p.congress_clerk, inquiry_id=i.pk, version=i.version, text="审议意见全文"
    )
    assert i.state == InquiryState.OPINION_SENT
    assert Deadline.objects.get(kind="inquiry_opinion").state == "met"


def test_an_undercover_visit_is_linked(p):
    i = h.inquiry(p)
    visit = services.undercover_add(
        actor=p.congress_clerk,
        inquiry_id=i.pk,
        version=i.version,
        title="暗访老旧小区停车",
        starts_at=NOW,
    )
    assert visit.kind == ActivityKind.UNDERCOVER_VISIT
    assert ActivityRecordLink.objects.filter(activity=visit, object_id=i.pk).exists()

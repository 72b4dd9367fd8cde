"""Special inquiries (专题询问): prepare (topic, questions, research), hold the meeting (an
activity of kind 专题询问 — the meeting primitive), record answers and the commitments given
with them (each a finding with its rectification in core.rectification, so it is in the
ledger), send the 审议意见 within 10 working days, and follow up (回头看 six months later, 暗访)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.activities import services as activity_services
from wulian.core.activities.choices import ActivityKind, ActivityState
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.rules import Rule, add_months
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import next_state
from wulian.core.models import Organisation
from wulian.core.rectification import services as rect_services
from wulian.core.rectification.models import Finding
from wulian.core.servicekit import fail as _fail
from wulian.core.servicekit import get, lock
from wulian.inquiries.choices import (
    DEADLINE_OPINION,
    INQUIRY_TRANSITIONS,
    LOOK_BACK_MONTHS,
    OPINION_WORKING_DAYS,
    POLL_SUBJECT,
    REPORT_MONTHS,
    AskerKind,
    InquiryState,
    InquiryStep,
    TopicSource,
)
from wulian.inquiries.models import Inquiry, Question
from wulian.inquiries.policies import congress_desk


def _text(value: Any, field: str, label: str, limit: int = 5000) -> str:
    v = str(value or "").strip()
    if not v:
        raise _fail(_("请填写%(label)s。") % {"label": label}, field)
    if len(v) > limit:
        raise _fail(_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit}, field)
    return v


def _get(model: Any, pk: int) -> Any:
    return get(model, pk, _("记录不存在。"))


def _step(inquiry: Inquiry, step: str) -> str:
    refusal = _("该专题询问当前为“%(state)s”，不能%(step)s。")
    return next_state(INQUIRY_TRANSITIONS, inquiry, step, InquiryStep, refusal)


def _at(day: date, clock: time = time(9, 0)) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def inquiry_create(*, actor: Actor, data: dict[str, Any]) -> Inquiry:
    """`data`: title, year, source (年度监督工作计划 / 满意度测评不满意项目 / 其他), source_note,
    organiser_id (default: the actor's only congress-side organisation)."""
    actor = access.require(actor, "inquiries.inquiry.manage")
    title = _text(data.get("title"), "title", _("询问主题"), 200)
    source = data.get("source") or TopicSource.PLAN
    if source not in TopicSource.values:
        raise _fail(_("请选择选题来源。"), "source")
    try:
        year = int(data.get("year") or timezone.localdate().year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise _fail(_("请填写四位数年度。"), "year")
    desks = congress_desk(actor)
    org_id = data.get("organiser_id") or (next(iter(desks)) if len(desks) == 1 else None)
    if org_id not in desks:
        raise _fail(_("请选择您任职的人大机关作为组织单位。"), "organiser")
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            organiser_id=org_id,
            year=year,
            title=title,
            source=source,
            source_note=str(data.get("source_note") or "").strip()[:200],
        )
        audit.event(
            actor,
            "inquiries.inquiry.created",
            inquiry,
            org_id,
            after={"title": title, "year": year, "source": source},
        )
    return inquiry


def question_add(
    *,
    actor: Actor,
    inquiry_id: int,
    version: int,
    asker_kind: str,
    asker: str,
    text: str,
    unit_id: int,
    official: str,
) -> Question:
    """A question on the list: who asks (a member, a deputy, or collected from the public),
    what, and which unit and official answer it."""
    actor = access.require(actor, "inquiries.inquiry.manage", _get(Inquiry, inquiry_id))
    if asker_kind not in AskerKind.values:
        raise _fail(_("请选择提问人类别。"), "asker_kind")
    asker = _text(asker, "asker", _("提问人"), 60)
    text = _text(text, "text", _("问题"))
    official = _text(official, "official", _("应询人"), 100)
    unit = Organisation.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise _fail(_("请选择应询单位。"), "unit")
    with transaction.atomic():
        inquiry = lock(Inquiry, inquiry_id, version)
        last = inquiry.questions.aggregate(m=Max("position"))["m"] or 0
        q = Question.objects.create(
            inquiry=inquiry,
            position=last + 1,
            asker_kind=asker_kind,
            asker=asker,
            text=text,
            unit=unit,
            official=official,
        )
        versioned.save(inquiry)
        audit.event(
            actor,
            "inquiries.question.added",
            inquiry,
            inquiry.organiser_id,
            after={"question": q.pk, "position": q.position, "unit": unit.pk},
        )
    return q


def inquiry_hold(
    *, actor: Actor, inquiry_id: int, version: int, held_on: date, place: str
) -> Inquiry:
    """The inquiry meeting (an activity of kind 专题询问, with its agenda and minutes in the
    meeting primitive) on `held_on`: the 审议意见 is due 10 working days after, the units'
    rectification report in 3 months, and a 回头看 is scheduled 6 months later."""
    inquiry = _get(Inquiry, inquiry_id)
    actor = access.require(actor, "inquiries.inquiry.manage", inquiry)
    if not isinstance(held_on, date):
        raise _fail(_("请填写询问日期。"), "held_on")
    place = _text(place, "place", _("地点"), 200)
    with transaction.atomic():
        inquiry = lock(Inquiry, inquiry_id, version)
        target = _step(inquiry, InquiryStep.HOLD)
        if not inquiry.questions.exists():
            raise _fail(_("请先拟定询问问题清单。"))
        meeting = activity_services.activity_create(
            actor=actor,
            data={
                "organiser_id": inquiry.organiser_id,
                "kind": ActivityKind.SPECIAL_INQUIRY,
                "title": _("专题询问：%(t)s") % {"t": inquiry.title},
                "starts_at": _at(held_on),
                "place": place,
            },
        )
        look_back = activity_services.activity_create(
            actor=actor,
            data={
                "organiser_id": inquiry.organiser_id,
                "kind": ActivityKind.LOOK_BACK,
                "title": _("回头看：%(t)s") % {"t": inquiry.title},
                "starts_at": _at(add_months(held_on, LOOK_BACK_MONTHS)),
                "place": "",
            },
        )
        for activity in (meeting, look_back):
            activity_services.activity_record_link(
                actor=actor, activity_id=activity.pk, record=inquiry
            )
        versioned.save(
            inquiry,
            state=target,
            meeting=meeting,
            look_back=look_back,
            held_on=held_on,
            report_due=add_months(held_on, REPORT_MONTHS),
        )
        deadline_services.deadline_open(
            actor=actor,
            record=inquiry,
            kind=DEADLINE_OPINION,
            title=_("送达专题询问审议意见：%(t)s") % {"t": inquiry.title},
            rule=Rule.working_days(OPINION_WORKING_DAYS),
            start=_at(held_on, time(18, 0)),
            responsible_org=inquiry.organiser,
            assigner_org=inquiry.organiser,
            manage_action="inquiries.inquiry.manage",
        )
        audit.event(
            actor,
            "inquiries.inquiry.held",
            inquiry,
            inquiry.organiser_id,
            after={
                "state": target,
                "held_on": held_on,
                "meeting": meeting.pk,
                "look_back": look_back.pk,
                "report_due": inquiry.report_due,
            },
        )
    return inquiry


def question_answer(*, actor: Actor, question_id: int, version: int, answer: str) -> Question:
    """The answer the official gave at the meeting."""
    q = _get(Question, question_id)
    actor = access.require(actor, "inquiries.question.manage", q)
    answer = _text(answer, "answer", _("答复"))
    with transaction.atomic():
        q = lock(Question, question_id, version)
        if q.inquiry.held_on is None:
            raise _fail(_("询问会议举行后才能记录答复。"))
        versioned.save(q, answer=answer, answered_at=timezone.now())
        audit.event(
            actor,
            "inquiries.question.answered",
            q,
            q.inquiry.organiser_id,
            after={"answered": True},
        )
    return q


def commitment_add(
    *, actor: Actor, question_id: int, version: int, title: str, content: str
) -> Finding:
    """A commitment the answering unit made with its answer: a finding on the question with one
    rectification for the unit, due in 3 months — in the rectification ledger from now on."""
    q = _get(Question, question_id)
    access.require(actor, "inquiries.question.manage", q)
    title = _text(title, "title", _("承诺事项"), 200)
    content = _text(content, "content", _("承诺内容"))
    with transaction.atomic():
        q = lock(Question, question_id, version)
        if not q.answer:
            raise _fail(_("请先记录该问题的答复。"))
        finding = rect_services.finding_raise(
            actor=actor,
            record=q,
            data={
                "title": title,
                "description": content,
                "found_at": q.inquiry.held_on,
                "about_organisation_id": q.unit_id,
                "found_by_org_id": q.inquiry.organiser_id,
                "responsible_org_ids": [q.unit_id],
                "rectification_months": REPORT_MONTHS,
            },
        )
        versioned.save(q)
    return finding


def inquiry_send_opinion(*, actor: Actor, inquiry_id: int, version: int, text: str) -> Inquiry:
    """The standing committee's 审议意见 sent to the answering units (due within 10 working days
    of the meeting)."""
    actor = access.require(actor, "inquiries.inquiry.manage", _get(Inquiry, inquiry_id))
    text = _text(text, "text", _("审议意见"), 20_000)
    with transaction.atomic():
        inquiry = lock(Inquiry, inquiry_id, version)
        versioned.save(
            inquiry,
            state=_step(inquiry, InquiryStep.SEND_OPINION),
            opinion_text=text,
            opinion_sent_at=timezone.now(),
        )
        deadline = live_deadline(inquiry, DEADLINE_OPINION)
        if deadline is not None:
            deadline_services.deadline_meet(actor=actor, deadline_id=deadline.pk)
        audit.event(
            actor,
            "inquiries.inquiry.opinion_sent",
            inquiry,
            inquiry.organiser_id,
            after={"state": inquiry.state},
        )
    return inquiry


def undercover_add(
    *, actor: Actor, inquiry_id: int, version: int, title: str, starts_at: datetime
) -> Any:
    """A 暗访 with the CDI and the media, linked to the inquiry (restricted to its organisers
    until published — the activities link's rule)."""
    inquiry = _get(Inquiry, inquiry_id)
    actor = access.require(actor, "inquiries.inquiry.manage", inquiry)
    title = _text(title, "title", _("暗访名称"), 200)
    with transaction.atomic():
        inquiry = lock(Inquiry, inquiry_id, version)
        visit = activity_services.activity_create(
            actor=actor,
            data={
                "organiser_id": inquiry.organiser_id,
                "kind": ActivityKind.UNDERCOVER_VISIT,
                "title": title,
                "starts_at": starts_at,
                "place": "",
            },
        )
        activity_services.activity_record_link(actor=actor, activity_id=visit.pk, record=inquiry)
        versioned.save(inquiry)
    return visit


def research_add(
    *, actor: Actor, inquiry_id: int, version: int, title: str, starts_at: datetime, place: str
) -> Any:
    """A preliminary research visit (调研) before the meeting: an activity of kind 调研 linked to
    the inquiry (participants, attachments and notes on the activity's own page)."""
    inquiry = _get(Inquiry, inquiry_id)
    actor = access.require(actor, "inquiries.inquiry.manage", inquiry)
    title = _text(title, "title", _("调研名称"), 200)
    if not isinstance(starts_at, datetime):
        raise _fail(_("请填写调研时间。"), "starts_at")
    place = str(place or "").strip()[:200]
    with transaction.atomic():
        inquiry = lock(Inquiry, inquiry_id, version)
        if inquiry.state != InquiryState.PREPARING:
            raise _fail(_("询问会议已举行，前期调研应在会前安排；会后跟踪请安排暗访或回头看。"))
        visit = activity_services.activity_create(
            actor=actor,
            data={
                "organiser_id": inquiry.organiser_id,
                "kind": ActivityKind.RESEARCH_VISIT,
                "title": title,
                "starts_at": starts_at,
                "place": place,
            },
        )
        activity_services.activity_record_link(actor=actor, activity_id=visit.pk, record=inquiry)
        versioned.save(inquiry)
        audit.event(
            actor,
            "inquiries.inquiry.research_added",
            inquiry,
            inquiry.organiser_id,
            after={"activity": visit.pk, "starts_at": starts_at},
        )
    return visit


def look_back_record(*, actor: Actor, inquiry_id: int, version: int, findings: str) -> Inquiry:
    """The 回头看's findings, six months on: how far the commitments and the 审议意见 were
    carried out. The 回头看 activity is marked held (it must have begun)."""
    inquiry = _get(Inquiry, inquiry_id)
    actor = access.require(actor, "inquiries.inquiry.manage", inquiry)
    findings = _text(findings, "findings", _("回头看情况"), 20_000)
    with transaction.atomic():
        inquiry = lock(Inquiry, inquiry_id, version)
        target = _step(inquiry, InquiryStep.LOOK_BACK)
        visit = inquiry.look_back
        if visit is not None and visit.starts_at > timezone.now():
            raise _fail(
                _("回头看安排在 %(d)s，届时开展后再记录情况。")
                % {"d": timezone.localtime(visit.starts_at).date().isoformat()}
            )
        if visit is not None and visit.state == ActivityState.PLANNED:
            activity_services.activity_hold(
                actor=actor, activity_id=visit.pk, version=visit.version
            )
        versioned.save(
            inquiry, state=target, look_back_findings=findings, looked_back_at=timezone.now()
        )
        audit.event(
            actor,
            "inquiries.inquiry.looked_back",
            inquiry,
            inquiry.organiser_id,
            before={"state": InquiryState.OPINION_SENT},
            after={"state": target},
        )
    return inquiry


def bulletin_draft(
    *,
    actor: Actor,
    inquiry_id: int,
    version: int,
    issuer_id: int | None,
    title: str,
    body: str,
    sensitivity: str,
    series_id: int | None = None,
    recipient_ids: list[int] | None = None,
    receipt_working_days: int | None = None,
    feedback_working_days: int | None = None,
) -> Any:
    """A 工作通报 on the inquiry's follow-up (with the CDI and the media): a draft bulletin of
    the bulletins primitive (its own validation) linked to the inquiry; it is issued and
    signed for on its own page."""
    from wulian.core.bulletins import services as bulletin_services

    inquiry = _get(Inquiry, inquiry_id)
    actor = access.require(actor, "inquiries.inquiry.manage", inquiry)
    with transaction.atomic():
        inquiry = lock(Inquiry, inquiry_id, version)
        bulletin = bulletin_services.bulletin_create(
            actor=actor,
            data={
                "issuer_id": issuer_id,
                "title": title,
                "body": body,
                "sensitivity": sensitivity,
                "series_id": series_id,
                "recipient_ids": recipient_ids or [],
                "receipt_working_days": receipt_working_days,
                "feedback_working_days": feedback_working_days,
                "linked_record": inquiry,
            },
        )
        versioned.save(inquiry)
        audit.event(
            actor,
            "inquiries.inquiry.bulletin_drafted",
            inquiry,
            inquiry.organiser_id,
            after={"bulletin": bulletin.pk},
        )
    return bulletin


def ballot_open(
    *,
    actor: Actor,
    inquiry_id: int,
    version: int,
    witness_id: int,
    opens_at: datetime,
    closes_at: datetime,
) -> Inquiry:
    """The optional secret ballot (满意度测评) of the committee's members on the answers: one
    item per answering unit's answer, 满意 / 基本满意 / 不满意 graded by the majority of valid
    votes (core.polls). The roster, slips, opening with the witness and the count follow on the
    ballot's own pages; once certified, its grades are in the 审议意见."""
    from wulian.core.polls import services as polls
    from wulian.core.polls.choices import PollKind, TallyRule

    inquiry = _get(Inquiry, inquiry_id)
    actor = access.require(actor, "inquiries.inquiry.manage", inquiry)
    with transaction.atomic():
        inquiry = lock(Inquiry, inquiry_id, version)
        if inquiry.state != InquiryState.HELD:
            raise _fail(_("满意度测评在询问会议之后、审议意见送达之前进行。"))
        if inquiry.ballot_id is not None:
            raise _fail(_("该专题询问已开展满意度测评。"))
        questions = list(inquiry.questions.select_related("unit").order_by("position"))
        if any(not q.answer for q in questions):
            raise _fail(_("请先记录全部问题的答复，再对答复开展满意度测评。"))
        poll = polls.poll_create(
            actor,
            title=_("专题询问满意度测评：%(t)s") % {"t": inquiry.title},
            kind=PollKind.SATISFACTION,
            rule=TallyRule.MAJORITY_OF_VALID,
            organiser_id=inquiry.organiser_id,
            witness_id=witness_id,
            opens_at=opens_at,
            closes_at=closes_at,
            items=ballot_items(questions),
            groups=[(_("常委会组成人员"), 1)],
            subject=(POLL_SUBJECT, str(inquiry.pk)),
        )
        versioned.save(inquiry, ballot=poll)
        audit.event(
            actor,
            "inquiries.inquiry.ballot_opened",
            inquiry,
            inquiry.organiser_id,
            after={"poll": poll.pk, "items": len(questions)},
        )
    return inquiry


def ballot_items(questions: list[Question]) -> list[str]:
    """The ballot's items: one per answer (position, answering unit and official)."""
    return [f"{q.position}. {q.unit.name} {q.official}"[:200] for q in questions]

"""测评: the department's result from a certified satisfaction poll, and its consequences."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.access import Actor
from wulian.core.activities import services as activity_services
from wulian.core.activities.choices import ActivityKind, ParticipantRole
from wulian.core.deadlines.rules import Rule
from wulian.core.errors import RuleViolation
from wulian.core.models import Organisation
from wulian.core.polls.choices import PollKind, PollState
from wulian.core.polls.models import Poll
from wulian.core.rectification import services as rect_services
from wulian.evaluation import rules
from wulian.evaluation.choices import (
    DEADLINE_OPINION,
    Consequence,
    Stage,
)
from wulian.evaluation.models import Evaluation
from wulian.evaluation.services.common import (
    OPINION_WORKING_DAYS,
    REPORT_MONTHS,
    _bump,
    _fail,
    _in_stage,
    _load,
    _locked,
    _open,
    _record,
)

# --- 测评: the satisfaction vote -----------------------------------------------------------


def same_department(label: str, department: Organisation) -> bool:
    """A poll item names the department: its name, short name, or its name without the
    city ("市政务服务和大数据管理局" for "黄石市政务服务和大数据管理局")."""
    label = label.strip()
    if not label:
        return False
    if label in (department.name, department.short_name):
        return True
    return len(label) >= 4 and department.name.endswith(label)


def vote_record(*, actor: Actor, evaluation_id: int, version: int, poll_id: int) -> Evaluation:
    """Take the department's result from a sealed poll certified by the stationed group; an
    unsatisfactory result (rules.assess) makes rectification mandatory, opens a 约谈 of the
    department head and marks the department for re-evaluation next year."""
    actor, evaluation = _load(actor, evaluation_id)
    poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None or poll.kind != PollKind.SATISFACTION:
        raise _fail(_("请选择满意度测评。"), "poll")
    if poll.state != PollState.CERTIFIED:
        raise RuleViolation(_("该测评尚未经派驻纪检监察组见证确认计票结果，不能采用。"))
    if poll.witness_id != evaluation.stationed_group_id:
        raise _fail(_("该测评的见证单位不是本评议组的派驻纪检监察组。"), "poll")
    item = next(
        (
            row
            for row in poll.result.get("items", [])
            if same_department(str(row.get("label") or ""), evaluation.department)
        ),
        None,
    )
    if item is None:
        raise _fail(
            _("该测评中没有被评议部门“%(d)s”。") % {"d": evaluation.department.name}, "poll"
        )
    names = {str(g["id"]): g["name"] for g in poll.result.get("groups", [])}
    verdict = rules.assess(item, names, rules.thresholds())
    with transaction.atomic():
        evaluation = _locked(evaluation_id, version)
        _in_stage(evaluation, Stage.VOTING, doing=_("登记测评结果"))
        evaluation.poll = poll
        evaluation.poll_item_id = item["id"]
        evaluation.grade = item.get("grade") or ""
        evaluation.score = item.get("score") or ""
        evaluation.consequence = Consequence.MANDATORY if verdict.mandatory else Consequence.NONE
        evaluation.consequence_reason = "；".join(verdict.reasons)[:300]
        fields = ["poll", "poll_item_id", "grade", "score", "consequence", "consequence_reason"]
        if verdict.mandatory:
            talk = activity_services.activity_create(
                actor=actor,
                data={
                    "organiser_id": evaluation.working_body_id,
                    "kind": ActivityKind.ADMONITORY_TALK,
                    "title": _("约谈%(d)s主要负责人") % {"d": evaluation.department.name},
                    "starts_at": timezone.now() + timedelta(days=7),
                },
            )
            activity_services.activity_participant_add(
                actor=actor,
                activity_id=talk.pk,
                organisation_id=evaluation.department_id,
                role=ParticipantRole.PARTICIPANT,
            )
            activity_services.activity_participant_add(
                actor=actor,
                activity_id=talk.pk,
                organisation_id=evaluation.stationed_group_id,
                role=ParticipantRole.INVITED_WITNESS,
            )
            activity_services.activity_record_link(
                actor=actor, activity_id=talk.pk, record=evaluation
            )
            evaluation.talk = talk
            fields.append("talk")
            rect_services.finding_raise(
                actor=actor,
                record=evaluation,
                data={
                    "title": _("满意度测评结果不满意，须强制整改"),
                    "description": evaluation.consequence_reason,
                    "found_at": timezone.localdate(),
                    "about_organisation_id": evaluation.department_id,
                    "found_by_org_id": evaluation.working_body_id,
                    "responsible_org_ids": [evaluation.department_id],
                    "rectification_months": REPORT_MONTHS,
                },
            )
        _bump(evaluation, *fields)
        _open(
            actor,
            evaluation,
            DEADLINE_OPINION,
            _("送达评议意见书：%(t)s"),
            Rule.working_days(OPINION_WORKING_DAYS),
            evaluation.working_body,
        )
        _record(
            actor,
            evaluation,
            "evaluation.vote.recorded",
            after={
                "poll": poll.pk,
                "grade": evaluation.grade,
                "score": evaluation.score,
                "consequence": evaluation.consequence,
            },
        )
    return evaluation


def reevaluation_due(evaluation: Evaluation) -> bool:
    """A mandatory consequence: the department is evaluated again the next year."""
    return evaluation.consequence == Consequence.MANDATORY

"""The deputy's verdict on a reply, its deadline's words, and the follow-up (联访, 座谈)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, records, versioned
from wulian.core.access import Actor
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import (
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.selectors import users_holding
from wulian.suggestions.choices import (
    DEADLINE_VERDICT,
    SATISFACTION_RANK,
    Satisfaction,
    Step,
    SupervisionKind,
)
from wulian.suggestions.models import (
    Reply,
    Verdict,
)
from wulian.suggestions.services import reopening
from wulian.suggestions.services._common import (
    MAX_NOTE,
    S,
    _day,
    _digest,
    _fail,
    _get,
    _handling_unit,
    _lock,
    _meet,
    _notify,
    _office_users,
    _snapshot,
    _step,
    _text,
    _title,
)
from wulian.suggestions.services.supervision import _issue_order


def verdict_messages(deadline: Deadline, point: dict[str, Any], now: datetime) -> tuple[str, str]:
    """The sweep's words for the verdict deadline (`sweep.word_messages`): before the end, a
    reminder to the lead deputy (or, without an account, to the office's desk staff); at the
    end, the congress office is asked to follow up. Never what was rated (nothing is yet)."""
    from wulian.core.deadlines.sweep import remaining_text

    due = _day(deadline.due_at)
    if point["kind"] == "escalation":
        return (
            _("代表未按期反馈征询意见表：%(title)s") % {"title": deadline.title},
            _(
                "领衔代表未在收到答复后 %(n)d 个工作日内（%(due)s 前）反馈对答复的评价。"
                "请与代表联系跟进；收到代表填写的纸质征询意见表后，请在建议页面代为登记评价。"
            )
            % {"n": deadline.rule_amount, "due": due},
        )
    left = remaining_text((deadline.due_at - now).total_seconds())
    if deadline.responsible_user_id is not None:
        return (
            _("请评价建议的答复：%(title)s") % {"title": deadline.title},
            _("请在 %(due)s 前对答复的办理态度和办理结果作出评价（征询意见表），还剩 %(left)s。")
            % {"due": due, "left": left},
        )
    return (
        _("代表评价待反馈：%(title)s") % {"title": deadline.title},
        _(
            "领衔代表没有平台账号。征询意见表应于 %(due)s 前反馈，还剩 %(left)s；"
            "请联系代表，收到纸质征询意见表后在建议页面代为登记评价。"
        )
        % {"due": due, "left": left},
    )


# --- The deputy's verdict ----------------------------------------------------------------------


def overall_of(on_attitude: str, on_result: str) -> str:
    """The overall verdict: the worse of the two ratings."""
    return min(on_attitude, on_result, key=lambda v: SATISFACTION_RANK[v])


def verdict_give(
    *,
    actor: Actor,
    suggestion_id: int,
    version: int,
    on_attitude: str,
    on_result: str,
    comment: str = "",
) -> Verdict:
    """The lead deputy rates the reply (or congress staff record the deputy's paper form).
    The verdict clock stops (met, or missed when late: the verdict still counts).
    满意 / 基本满意 close the suggestion. 不满意 after the first reply reopens it with a re-reply
    deadline (SUGGESTION_REREPLY_MONTHS); 不满意 after a re-reply closes it and escalates to
    joint supervision (a 不满意督办 order to the lead unit)."""
    actor = access.require(actor, "suggestions.verdict.give", _get(suggestion_id))
    errors: dict[str, list[str]] = {}
    if on_attitude not in Satisfaction.values:
        errors["on_attitude"] = [_("请评价办理态度。")]
    if on_result not in Satisfaction.values:
        errors["on_result"] = [_("请评价办理结果。")]
    if errors:
        raise ValidationFailed(_("评价未提交，请按提示更正。"), field_errors=errors)
    overall = overall_of(on_attitude, on_result)
    # 不满意 needs its reason (issue 13 item 9): the unit re-handles on it.
    if overall == Satisfaction.UNSATISFIED and not (comment or "").strip():
        raise ValidationFailed(
            _("评价未提交，请按提示更正。"),
            field_errors={"comment": [_("请说明不满意的理由，承办单位将据此重新办理。")]},
        )
    comment = _text(comment, "comment", _("意见"), required=False, limit=MAX_NOTE)
    with transaction.atomic():
        s = _lock(suggestion_id, version)
        _step(s, Step.VERDICT)
        reply = Reply.objects.get(suggestion=s, round=s.reply_round)
        before = _snapshot(s)
        now = timezone.now()
        met = _meet(actor, s, DEADLINE_VERDICT)
        verdict = Verdict.objects.create(
            suggestion=s,
            reply=reply,
            deputy_id=s.lead_deputy_id,
            on_attitude=on_attitude,
            on_result=on_result,
            overall=overall,
            comment=comment,
            given_at=now,
            recorded_by=actor.user,
        )
        s.verdict = overall
        s.verdict_at = now
        fields = ["status", "verdict", "verdict_at"]
        if overall != Satisfaction.UNSATISFIED:
            s.status = S.CLOSED
            s.closed_at = now
            fields.append("closed_at")
        elif reply.round == 1:
            # The re-reply month starts when the office reassigns (reopening), not here.
            s.status = S.REOPENED
            reassign = reopening.open_reassignment(actor, s, now)
            fields += ["reply_due_at", "reassigned_at"]
        else:
            # Joint supervision follows (below): 督办中 until the order is closed.
            s.status = S.SUPERVISED
        versioned.save(s, *fields)
        audit.event(
            actor,
            "suggestions.verdict.given",
            s,
            s.office_id,
            before=before,
            after={
                **_snapshot(s),
                "verdict": verdict.pk,
                "round": reply.round,
                "on_attitude": on_attitude,
                "on_result": on_result,
                "overall": overall,
                "on_behalf": actor.person_id != s.lead_deputy_id,
                "verdict_deadline": met.state if met is not None else None,
                "comment_sm3": _digest(comment),
            },
        )
        if overall == Satisfaction.UNSATISFIED and reply.round == 1:
            _notify(
                s,
                kind="suggestions.suggestion.reopened",
                recipients=[*users_holding([s.lead_unit_id]), *_office_users(s)],
                # Never the rating (verdicts are private): the unit learns it must re-handle.
                title=_(
                    "代表建议 %(t)s 需重新办理：人大代表工委将于 %(d)s 前重新交办，"
                    "承办单位在重新交办后 %(n)d 个月内再次答复"
                )
                % {
                    "t": _title(s),
                    "d": _day(reassign.due_at),
                    "n": settings.SUGGESTION_REREPLY_MONTHS,
                },
                occurrence="reopened",
            )
        elif overall == Satisfaction.UNSATISFIED:
            _issue_order(
                s,
                actor=actor,
                kind=SupervisionKind.UNSATISFACTORY,
                issued_by_org_id=s.office_id,
                to_unit_id=s.lead_unit_id,
                requirements=_(
                    "代表对重新办理的答复仍不满意，转入联合督办。请说明办理情况和下一步措施。"
                ),
                automatic=True,
            )
    return verdict


# --- Joint follow-up visit (联访) --------------------------------------------------------------


def follow_up_visit(*, actor: Actor, suggestion_id: int, data: dict[str, Any]) -> Any:
    """The stationed group records a joint follow-up visit (联合回访) on the suggestion: an
    activity of kind 回访 it organises, with the lead unit taking part and the suggestion linked.
    Findings of the visit are raised on the activity and lead to rectification.

    `data`: organiser_id (a stationed-group organisation of the actor), title, starts_at,
    place, notes."""
    from wulian.core.activities import services as activity_services
    from wulian.core.activities.choices import ActivityKind, ParticipantRole

    s = _get(suggestion_id)
    actor = access.require(actor, "suggestions.suggestion.follow_up", s)
    records.require_view(actor, s)
    if s.status in (S.SUBMITTED, S.NOT_ACCEPTED, S.WITHDRAWN, S.ACCEPTED):
        raise TransitionNotAllowed(
            _("该建议当前为“%(state)s”，尚未交办，不能回访。") % {"state": s.get_status_display()}
        )
    with transaction.atomic():
        activity = activity_services.activity_create(
            actor=actor,
            data={
                "organiser_id": data.get("organiser_id"),
                "kind": ActivityKind.FOLLOW_UP_VISIT,
                "title": (data.get("title") or _("联合回访：%(t)s") % {"t": s.title})[:200],
                "starts_at": data.get("starts_at") or timezone.now(),
                "place": data.get("place") or "",
                "notes": data.get("notes") or "",
            },
        )
        if s.lead_unit_id:
            activity_services.activity_participant_add(
                actor=actor,
                activity_id=activity.pk,
                organisation_id=s.lead_unit_id,
                role=ParticipantRole.PARTICIPANT,
            )
        activity_services.activity_record_link(actor=actor, activity_id=activity.pk, record=s)
        audit.event(
            actor,
            "suggestions.suggestion.follow_up_visited",
            s,
            activity.organiser_id,
            after={"activity": activity.pk, "lead_unit": s.lead_unit_id},
        )
    return activity


def consultation_record(*, actor: Actor, data: dict[str, Any]) -> Any:
    """The pre-consultation with the big handlers (承办大户提前会商) before a joint assignment:
    a held joint meeting organised by the actor's office with the handling units taking part.

    `data`: organiser_id, title, starts_at, place, notes, unit_ids."""
    from wulian.core.activities import services as activity_services
    from wulian.core.activities.choices import ActivityKind, ParticipantRole

    actor = access.require(actor, "suggestions.suggestion.assign")
    unit_ids = list(dict.fromkeys(int(i) for i in data.get("unit_ids") or ()))
    if not unit_ids:
        raise _fail(_("请选择参加会商的承办单位。"), "units")
    with transaction.atomic():
        activity = activity_services.activity_create(
            actor=actor,
            data={
                "organiser_id": data.get("organiser_id"),
                "kind": ActivityKind.JOINT_MEETING,
                "title": (data.get("title") or _("代表建议承办大户提前会商"))[:200],
                "starts_at": data.get("starts_at") or timezone.now(),
                "place": data.get("place") or "",
                "notes": data.get("notes") or "",
            },
        )
        for unit_id in unit_ids:
            _handling_unit(unit_id, "units")
            activity_services.activity_participant_add(
                actor=actor,
                activity_id=activity.pk,
                organisation_id=unit_id,
                role=ParticipantRole.PARTICIPANT,
            )
        audit.event(
            actor,
            "suggestions.consultation.recorded",
            activity,
            activity.organiser_id,
            after={"activity": activity.pk, "units": unit_ids},
        )
    return activity

"""Handling: contact with the deputy, the co-units' opinions, the reply, and extensions of
the reply and re-reply deadlines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.deadlines import rules as deadline_rules
from wulian.core.deadlines import services as deadline_services
from wulian.core.deadlines.choices import DeadlineState, Decision
from wulian.core.deadlines.models import Deadline, ExtensionRequest
from wulian.core.deadlines.rules import Rule
from wulian.core.deadlines.selectors import live_deadline
from wulian.core.errors import (
    AccessDenied,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.selectors import users_holding
from wulian.suggestions import merging, reply_classes
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    DEADLINE_CONTACT,
    DEADLINE_OPINION,
    DEADLINE_REPLY,
    DEADLINE_REREPLY,
    REPLY_DEADLINES,
    AssignmentRole,
    AssignmentStatus,
    ContactMethod,
    Step,
)
from wulian.suggestions.models import (
    Assignment,
    Contact,
    CoUnitOpinion,
    OpinionWaiver,
    Reply,
    Suggestion,
)
from wulian.suggestions.services import co_opinions
from wulian.suggestions.services._common import (
    CLOCK_SKEW,
    MAX_NOTE,
    MAX_TEXT,
    S,
    _day,
    _deputies,
    _digest,
    _discard_files,
    _fail,
    _get,
    _lock,
    _meet,
    _notify,
    _office_users,
    _open_verdict_deadline,
    _require_state,
    _snapshot,
    _stale,
    _step,
    _store_files,
    _text,
    _title,
)

# --- Contact with the deputy -----------------------------------------------------------------


def _lead_assignment(s: Suggestion) -> Assignment | None:
    """The received lead assignment (a merged suggestion's is its primary's)."""
    return (
        Assignment.objects.filter(
            suggestion_id=s.merged_into_id or s.pk,
            role=AssignmentRole.LEAD,
            status=AssignmentStatus.RECEIVED,
        )
        .order_by("-id")
        .first()
    )


def contact_record(
    *,
    actor: Actor,
    suggestion_id: int,
    method: str,
    contacted_at: datetime,
    agreed: str,
    deputy_id: int | None = None,
) -> Contact:
    """The lead unit records a contact with the deputy: how, when, what was agreed. The first
    one stops the contact clock (met within SUGGESTION_CONTACT_HOURS hours, or missed)."""
    actor = access.require(actor, "suggestions.suggestion.handle", _get(suggestion_id))
    if method not in ContactMethod.values:
        raise _fail(_("请选择联系方式。"), "method")
    agreed = _text(agreed, "agreed", _("沟通情况和办理意见"), limit=MAX_NOTE)
    if not isinstance(contacted_at, datetime):
        raise _fail(_("请填写联系时间。"), "contacted_at")
    with transaction.atomic():
        s = _lock(suggestion_id)
        _require_state(s, Step.CONTACT)
        lead = _lead_assignment(s)
        if lead is None:
            raise TransitionNotAllowed(_("主办单位签收后才能登记联系代表情况。"))
        now = timezone.now()
        if contacted_at > now:
            raise _fail(_("联系时间不能晚于现在。"), "contacted_at")
        # The contact clock runs from the delivery of the assignment (contact_clock): a call
        # made after delivery and before 签收 counts.
        if contacted_at < lead.assigned_at - CLOCK_SKEW:
            raise _fail(_("联系时间不能早于交办时间。"), "contacted_at")
        allowed = {s.lead_deputy_id, *s.cosigners.values_list("person_id", flat=True)}
        deputy = deputy_id or s.lead_deputy_id
        if int(deputy) not in allowed:
            raise _fail(_("请选择本建议的领衔代表或附议代表。"), "deputy")
        contact = Contact.objects.create(
            suggestion=s,
            assignment=lead,
            method=method,
            contacted_at=contacted_at,
            deputy_id=deputy,
            agreed=agreed,
            recorded_by=actor.user,
            recorded_at=now,
        )
        first = s.first_contact_at is None
        met = None
        if first:
            met = _meet(actor, s, DEADLINE_CONTACT)
            versioned.save(s, first_contact_at=contacted_at)
        audit.event(
            actor,
            "suggestions.contact.recorded",
            s,
            lead.unit_id,
            after={
                "contact": contact.pk,
                "method": method,
                "contacted_at": contacted_at,
                "deputy": deputy,
                "first": first,
                "within_limit": (
                    bool(s.contact_due_at and contacted_at <= s.contact_due_at) if first else None
                ),
                "deadline": met.state if met is not None else None,
                "agreed_sm3": _digest(agreed),
            },
        )
    return contact


# --- Co-units' opinions and the reply ---------------------------------------------------------


def opinion_give(*, actor: Actor, suggestion_id: int, text: str) -> CoUnitOpinion:
    """A co-unit sends its opinion to the lead unit (once per round), before the reply."""
    actor = access.require(actor, "suggestions.suggestion.co_handle", _get(suggestion_id))
    text = _text(text, "text", _("会办意见"))
    with transaction.atomic():
        s = _lock(suggestion_id)
        if s.status not in (S.ASSIGNED, S.HANDLING, S.REOPENED):
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，不能提交会办意见。") % {"state": s.get_status_display()}
            )
        merging.require_not_follower(s, _("提交会办意见"))
        mine = access.as_actor(actor).office_org_ids()
        a = (
            Assignment.objects.filter(
                suggestion=s, role=AssignmentRole.CO, unit_id__in=mine, status__in=ACTIVE_ASSIGNMENT
            )
            .order_by("id")
            .first()
        )
        if a is None:
            raise AccessDenied(_("您没有权限执行此操作或查看此记录。"))
        if a.status != AssignmentStatus.RECEIVED:
            raise TransitionNotAllowed(_("请先签收该会办交办，再提交会办意见。"))
        round_ = s.reply_round + 1
        if OpinionWaiver.objects.filter(assignment=a, round=round_).exists():
            raise RuleViolation(_("人大代表工委已免除本单位本轮的会办意见，主办单位不再等待。"))
        try:
            with transaction.atomic():
                opinion = CoUnitOpinion.objects.create(
                    suggestion=s,
                    assignment=a,
                    round=round_,
                    text=text,
                    submitted_by=actor.user,
                    submitted_at=timezone.now(),
                )
        except IntegrityError:
            raise RuleViolation(_("本单位本轮的会办意见已提交。")) from None
        _meet(actor, a, DEADLINE_OPINION)
        audit.event(
            actor,
            "suggestions.opinion.given",
            s,
            a.unit_id,
            after={
                "opinion": opinion.pk,
                "unit": a.unit_id,
                "round": round_,
                "text_sm3": _digest(text),
            },
        )
        if s.lead_unit_id:
            _notify(
                s,
                kind="suggestions.opinion.given",
                recipients=users_holding([s.lead_unit_id]),
                title=_("%(unit)s提交了代表建议 %(t)s 的会办意见")
                % {"unit": a.unit.name, "t": _title(s)},
                occurrence=f"opinion:{opinion.pk}",
            )
    return opinion


def missing_opinions(s: Suggestion) -> list[Assignment]:
    """Co-units whose opinion for the coming round has neither come nor been waived (whether
    or not their time limit has passed: `co_opinions.awaited_opinions`)."""
    return [w.assignment for w in co_opinions.awaited_opinions(s)]


def reply_send(
    *,
    actor: Actor,
    suggestion_id: int,
    version: int,
    category: str,
    signer: str,
    text: str,
    public_text: str = "",
    face_to_face: bool = False,
    files: Sequence[Any] = (),
) -> Reply:
    """The lead unit replies (答复函): its class (the configured list, `reply_classes`), the
    signing head, the text, attachments.
    The deputy must have been contacted and every co-unit's opinion received first. The reply
    (or re-reply) clock stops; the lead deputy and each co-signer get the reply, and the verdict
    clock starts (SUGGESTION_VERDICT_WORKING_DAYS working days for the 征询意见表). Suggestions
    merged into this one (并案) that stand where it stands get the reply as their own, with the
    same attachments (`merging.reply_followers`)."""
    actor = access.require(actor, "suggestions.suggestion.handle", _get(suggestion_id))
    errors: dict[str, list[str]] = {}
    if category not in reply_classes.codes():
        errors["category"] = [
            _("请选择答复类别（%(classes)s）。") % {"classes": reply_classes.prompt()}
        ]
    for field, label, value, required, limit in (
        ("signer", _("签发人"), signer, True, 60),
        ("text", _("答复内容"), text, True, MAX_TEXT),
        ("public_text", _("公开文本"), public_text, False, MAX_TEXT),
    ):
        try:
            _text(value, field, label, required=required, limit=limit)
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(_("答复未发出，请按提示更正。"), field_errors=errors)
    stored: list[Any] = []
    try:
        with transaction.atomic():
            s = _lock(suggestion_id, version)
            target = _step(s, Step.REPLY)
            merging.require_not_follower(s, _("答复"))
            if s.status == S.REOPENED and s.reassigned_at is None:
                # The re-reply follows the office's reassignment (services.reopening).
                raise TransitionNotAllowed(
                    _("代表不满意后，须由人大代表工委重新交办，承办单位才能再次答复。")
                )
            if s.first_contact_at is None:
                raise RuleViolation(_("请先登记与代表的联系情况，再答复。"))
            following = merging.followers(s, states=(s.status,), reply_round=s.reply_round)
            merging.check_followers_contacted(following)
            # Refused while a co-unit's opinion is awaited within its time limit; after it
            # the reply records the opinions still missing.
            lapsed = co_opinions.require_opinions(s)
            before = _snapshot(s)
            round_ = s.reply_round + 1
            now = timezone.now()
            kind = DEADLINE_REPLY if round_ == 1 else DEADLINE_REREPLY
            met = _meet(actor, s, kind)
            on_time = met is None or met.state == DeadlineState.MET
            reply = Reply.objects.create(
                suggestion=s,
                round=round_,
                unit_id=s.lead_unit_id,
                category=category,
                signer=signer.strip(),
                text=text.strip(),
                public_text=public_text.strip(),
                face_to_face=face_to_face,
                sent_at=now,
                sent_by=actor.user,
                on_time=on_time,
                opinions_missing=co_opinions.close_missing(actor, lapsed),
            )
            _store_files(actor, reply, files, stored)
            versioned.save(
                s, status=target, replied_at=now, reply_round=round_, reply_category=category
            )
            audit.event(
                actor,
                "suggestions.reply.sent",
                s,
                s.lead_unit_id,
                before=before,
                after={
                    **_snapshot(s),
                    "reply": reply.pk,
                    "category": category,
                    "on_time": on_time,
                    "face_to_face": face_to_face,
                    "text_sm3": _digest(reply.text),
                    "attachments": [a.pk for a in stored],
                    "followers": [f.pk for f in following],
                    "opinions_missing": [m["unit"] for m in reply.opinions_missing],
                },
            )
            _open_verdict_deadline(actor, s, now)
            merging.reply_followers(actor, s, reply, following, list(stored), stored)
            _notify(
                s,
                kind="suggestions.reply.sent",
                recipients=[*_deputies(s), *_office_users(s)],
                title=_("代表建议 %(t)s 已答复（%(cat)s），请查看并评价")
                % {"t": _title(s), "cat": reply.get_category_display()},
                occurrence=f"reply:{round_}",
            )
    except BaseException:
        _discard_files(stored)
        raise
    return reply


# --- Extension of the reply and re-reply deadlines ---------------------------------------------


def _reply_deadline(s: Suggestion) -> Deadline:
    """The clock the lead unit asks more time on: the reply's, or a reopened suggestion's
    re-reply's."""
    if s.status == S.REOPENED:
        deadline = live_deadline(s, DEADLINE_REREPLY)
        if deadline is None:
            raise TransitionNotAllowed(_("该建议没有正在计时的重新办理答复期限，无需延期。"))
        return deadline
    deadline = live_deadline(s, DEADLINE_REPLY)
    if deadline is None:
        raise TransitionNotAllowed(_("该建议没有正在计时的答复期限，无需延期。"))
    return deadline


def _latest_due(s: Suggestion, deadline: Deadline) -> datetime:
    """The cap of an extension: SUGGESTION_REPLY_MAX_MONTHS months after assignment for the
    reply; SUGGESTION_REREPLY_MAX_MONTHS months after the reopening (the verdict, where the
    re-reply deadline starts) for the re-reply."""
    if deadline.kind == DEADLINE_REREPLY:
        return deadline_rules.due_at(
            Rule.months(settings.SUGGESTION_REREPLY_MAX_MONTHS), deadline.start
        )
    assert s.assigned_at is not None
    return deadline_rules.due_at(Rule.months(settings.SUGGESTION_REPLY_MAX_MONTHS), s.assigned_at)


def _rereply_following(
    s: Suggestion, new_due_at: datetime, *, deciding: bool
) -> list[tuple[Suggestion, Deadline]]:
    """并案: the merged suggestions reopened in the same round as their primary (its re-reply
    answers them too) whose own re-reply deadline ends before the new date, with that deadline:
    they follow an approved extension of the primary's re-reply. Locked. Refused, saying which
    one, when the date is past that suggestion's own cap or a request of its own waits."""
    rows = []
    for f in merging.followers(s, states=(S.REOPENED,), reply_round=s.reply_round):
        deadline = live_deadline(f, DEADLINE_REREPLY)
        if deadline is None or deadline.due_at >= new_due_at:
            continue
        latest = _latest_due(f, deadline)
        if new_due_at > latest:
            message = _(
                "并案建议%(n)s也由本建议的重新答复答复，它的重新办理答复期限最长至 %(d)s"
                "（重新办理后 %(m)d 个月）。%(fix)s"
            ) % {
                "n": f.number_label,
                "d": _day(latest),
                "m": settings.SUGGESTION_REREPLY_MAX_MONTHS,
                "fix": _("请退回该申请，由承办单位按该日期重新申请。")
                if deciding
                else _("请选择不晚于该日的日期。"),
            }
            raise RuleViolation(message) if deciding else _fail(message, "new_due")
        if deadline.extensions.filter(decision=Decision.PENDING).exists():
            raise RuleViolation(
                _("并案建议%(n)s有一份待审批的延期申请，请先在该建议的页面上审批。")
                % {"n": f.number_label}
            )
        rows.append((f, deadline))
    return rows


def reply_extension_request(
    *, actor: Actor, suggestion_id: int, new_due: date, reason: str
) -> ExtensionRequest:
    """The lead unit asks for more time: for the reply, at most SUGGESTION_REPLY_MAX_MONTHS
    months after assignment in all; for a reopened suggestion's re-reply, at most
    SUGGESTION_REREPLY_MAX_MONTHS months after the reopening. The reason is what the deputy is
    told if the office approves."""
    s = _get(suggestion_id)
    actor = access.require(actor, "suggestions.suggestion.handle", s)
    if s.status not in (S.HANDLING, S.ASSIGNED, S.REOPENED):
        raise TransitionNotAllowed(
            _("该建议当前为“%(state)s”，不能申请延期答复。") % {"state": s.get_status_display()}
        )
    merging.require_not_follower(s, _("申请延期答复"))
    if not isinstance(new_due, date):
        raise _fail(_("请填写申请延至的日期。"), "new_due")
    with transaction.atomic():
        s = _lock(suggestion_id)
        if s.status not in (S.HANDLING, S.ASSIGNED, S.REOPENED):
            raise _stale()
        deadline = _reply_deadline(s)
        latest = _latest_due(s, deadline)
        new_due_at = deadline_rules.at_local(new_due, deadline_rules.END_OF_DAY)
        if new_due_at > latest:
            if deadline.kind == DEADLINE_REREPLY:
                message = _(
                    "重新办理的答复期限最长为重新办理后 %(n)d 个月（%(d)s），不能延至更晚。"
                    "请选择不晚于该日的日期。"
                ) % {"n": settings.SUGGESTION_REREPLY_MAX_MONTHS, "d": _day(latest)}
            else:
                message = _("答复期限最长为交办后 %(n)d 个月（%(d)s），不能延至更晚。") % {
                    "n": settings.SUGGESTION_REPLY_MAX_MONTHS,
                    "d": _day(latest),
                }
            raise _fail(message, "new_due")
        if deadline.kind == DEADLINE_REREPLY:
            _rereply_following(s, new_due_at, deciding=False)
        return deadline_services.extension_request(
            actor=actor, deadline_id=deadline.pk, new_due=new_due, reason=reason, owner=True
        )


def reply_extension_decide(
    *, actor: Actor, extension_id: int, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The congress office approves or refuses a request for more time to reply or re-reply.
    Approved: the new due date holds (within the cap), the lead deputy and co-signers are told
    why it takes longer (the unit's reason), and merged suggestions follow their primary — for
    the reply those that stand where it stands; for the re-reply those reopened in the same
    round, whose own re-reply deadlines move to the same date."""
    ext = ExtensionRequest.objects.select_related("deadline").filter(pk=extension_id).first()
    if ext is None or ext.deadline.kind not in REPLY_DEADLINES:
        raise ValidationFailed(_("延期申请不存在。"))
    kind = ext.deadline.kind
    s = _get(ext.deadline.object_id)
    actor = access.require(actor, "suggestions.suggestion.manage", s)
    with transaction.atomic():
        s = _lock(s.pk)
        if not approve:
            return deadline_services.extension_refuse(
                actor=actor, extension_id=extension_id, note=note, owner=True
            )
        latest = _latest_due(s, ext.deadline)
        if ext.new_due_at > latest:
            if kind == DEADLINE_REREPLY:
                raise RuleViolation(
                    _(
                        "申请的日期超过重新办理后 %(n)d 个月的最长答复期限（%(d)s），不能同意。"
                        "请退回该申请，由承办单位重新申请。"
                    )
                    % {"n": settings.SUGGESTION_REREPLY_MAX_MONTHS, "d": _day(latest)}
                )
            raise RuleViolation(
                _("申请的日期超过交办后 %(n)d 个月的最长答复期限，不能同意。")
                % {"n": settings.SUGGESTION_REPLY_MAX_MONTHS}
            )
        if kind == DEADLINE_REREPLY:
            rereply = _rereply_following(s, ext.new_due_at, deciding=True)
            following = [f for f, _d in rereply]
        else:
            rereply = []
            following = merging.followers(s, states=(s.status,), reply_round=s.reply_round)
        ext = deadline_services.extension_approve(
            actor=actor, extension_id=extension_id, note=note, owner=True
        )
        for _f, deadline in rereply:
            deadline_services.extension_grant(
                actor=actor,
                deadline_id=deadline.pk,
                new_due=ext.new_due_at,
                reason=ext.reason,
                note=_("随主办建议%(n)s的延期一并延长") % {"n": s.number_label},
                owner=True,
            )
        s.reply_due_at = ext.new_due_at
        merging.save_and_follow(actor, s, following, "extended", "reply_due_at")
        for told in [s, *following]:
            title = (
                _("代表建议 %(t)s 重新办理的答复期限延至 %(d)s")
                if kind == DEADLINE_REREPLY
                else _("代表建议 %(t)s 的答复期限延至 %(d)s")
            )
            _notify(
                told,
                kind="suggestions.reply.extended",
                recipients=_deputies(told),
                title=title % {"t": _title(told), "d": _day(ext.new_due_at)},
                body=_("承办单位说明：%(r)s") % {"r": ext.reason},
                occurrence=f"extended:{ext.pk}",
            )
    return ext

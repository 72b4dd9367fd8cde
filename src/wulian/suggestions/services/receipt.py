"""The units' receipt or send-back (签收 / 退回), and replacing a co-unit that sent its
assignment back."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import access, audit, versioned
from wulian.core.access import Actor
from wulian.core.deadlines.models import Deadline
from wulian.core.errors import (
    ConcurrentEdit,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from wulian.core.selectors import users_holding
from wulian.suggestions import merging
from wulian.suggestions.choices import (
    ACTIVE_ASSIGNMENT,
    CO_REPLACE_STATES,
    DEADLINE_OPINION,
    DEADLINE_RECEIPT,
    DEADLINE_REPLY,
    AssignmentRole,
    AssignmentStatus,
    Step,
)
from wulian.suggestions.models import (
    Assignment,
    Suggestion,
)
from wulian.suggestions.policies import (
    congress_org_ids,
)
from wulian.suggestions.services import contact_clock
from wulian.suggestions.services._common import (
    MAX_NOTE,
    _cancel,
    _digest,
    _found,
    _gov_office_users,
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
from wulian.suggestions.services.assignment import _assign_unit, _respond_by, _tell_assigned_unit

# --- Receipt or send-back (签收 / 退回) --------------------------------------------------------


def _assignment(assignment_id: int) -> Assignment:
    return _found(Assignment.objects.all(), assignment_id, _("交办记录不存在。"))


def _lock_assignment(assignment_id: int, version: int) -> Assignment:
    a = Assignment.objects.select_for_update().get(pk=assignment_id)
    if a.version != version:
        raise ConcurrentEdit(_("该交办已被他人签收或退回，您的操作未执行。请刷新页面后再操作。"))
    if a.status != AssignmentStatus.ASSIGNED:
        raise TransitionNotAllowed(
            _("该交办当前为“%(state)s”，不能再签收或退回。") % {"state": a.get_status_display()}
        )
    return a


def assignment_receive(*, actor: Actor, assignment_id: int, version: int) -> Assignment:
    """The unit receives (签收). For the lead unit, the suggestion is now being handled. The
    contact clock does not start here: it runs from the delivery of the assignment (交办送达,
    `contact_clock.open_at_delivery`), so that delaying receipt does not push it out."""
    actor = access.require(actor, "suggestions.assignment.respond", _assignment(assignment_id))
    with transaction.atomic():
        s = _lock(_assignment(assignment_id).suggestion_id)
        a = _lock_assignment(assignment_id, version)
        before = _snapshot(s)
        now = timezone.now()
        if a.role == AssignmentRole.LEAD:
            target = _step(s, Step.RECEIVE)
        versioned.save(a, status=AssignmentStatus.RECEIVED, received_at=now, received_by=actor.user)
        _meet(actor, a, DEADLINE_RECEIPT)
        if a.role == AssignmentRole.LEAD:
            # The contact clock already runs from the delivery of the assignment
            # (`contact_clock.open_at_delivery`): receipt does not move it.
            following = merging.followers(s, states=(before["status"],), reply_round=0)
            s.status = target
            s.received_at = now
            merging.save_and_follow(actor, s, following, "received", "status", "received_at")
        audit.event(
            actor,
            "suggestions.assignment.received",
            s,
            a.unit_id,
            before=before,
            after={
                **_snapshot(s),
                "assignment": a.pk,
                "unit": a.unit_id,
                "role": a.role,
                "contact_due_at": s.contact_due_at if a.role == AssignmentRole.LEAD else None,
            },
        )
    return a


def assignment_send_back(
    *, actor: Actor, assignment_id: int, version: int, reason: str
) -> Assignment:
    """The unit sends the assignment back (退回) with a reason, within the receipt window.
    When the lead unit sends it back, the whole suggestion returns to the office for
    re-assignment (co-units' assignments end too, and the reply clock stops). When a co-unit
    sends it back, the lead unit keeps handling and congress staff replace or drop that
    co-unit (`co_unit_replace`)."""
    actor = access.require(actor, "suggestions.assignment.respond", _assignment(assignment_id))
    reason = _text(reason, "reason", _("退回理由"), limit=MAX_NOTE)
    with transaction.atomic():
        s = _lock(_assignment(assignment_id).suggestion_id)
        a = _lock_assignment(assignment_id, version)
        now = timezone.now()
        if now > a.respond_by:
            raise RuleViolation(
                _(
                    "已超过退回期限（交办后 %(n)d 个工作日内），不能再退回。"
                    "请签收后办理，或与人大代表工委沟通。"
                )
                % {"n": settings.SUGGESTION_RECEIPT_WORKING_DAYS}
            )
        before = _snapshot(s)
        if a.role == AssignmentRole.LEAD:
            target = _step(s, Step.SEND_BACK)
        versioned.save(
            a,
            status=AssignmentStatus.SENT_BACK,
            sent_back_at=now,
            sent_back_by=actor.user,
            sent_back_reason=reason,
        )
        _cancel(actor, a, DEADLINE_RECEIPT, _("承办单位退回"))
        _cancel(actor, a, DEADLINE_OPINION, _("承办单位退回"))
        ended: list[int] = []
        if a.role == AssignmentRole.LEAD:
            others = list(
                Assignment.objects.select_for_update()
                .filter(suggestion=s, status__in=ACTIVE_ASSIGNMENT)
                .exclude(pk=a.pk)
            )
            for other in others:
                _cancel(actor, other, DEADLINE_RECEIPT, _("主办单位退回，重新交办"))
                _cancel(actor, other, DEADLINE_OPINION, _("主办单位退回，重新交办"))
                versioned.save(other, status=AssignmentStatus.ENDED, ended_at=now)
                ended.append(other.pk)
            _cancel(actor, s, DEADLINE_REPLY, _("主办单位退回，重新交办"))
            contact_clock.stop_at_send_back(actor, s)
            following = merging.followers(s, states=(before["status"],), reply_round=0)
            s.status = target
            s.lead_unit = None
            s.reply_due_at = None
            s.contact_due_at = None
            merging.save_and_follow(
                actor,
                s,
                following,
                "sent_back",
                "status",
                "lead_unit",
                "reply_due_at",
                "contact_due_at",
            )
        audit.event(
            actor,
            "suggestions.assignment.sent_back",
            s,
            a.unit_id,
            before=before,
            after={
                **_snapshot(s),
                "assignment": a.pk,
                "unit": a.unit_id,
                "role": a.role,
                "reason_sm3": _digest(reason),
                "ended_assignments": ended,
            },
        )
        _notify(
            s,
            kind="suggestions.assignment.sent_back",
            recipients=[*_office_users(s), *_gov_office_users()],
            title=_("%(unit)s退回了代表建议 %(t)s（%(role)s），请重新交办")
            % {"unit": a.unit.name, "t": _title(s), "role": a.get_role_display()},
            body=reason,
            occurrence=f"sent_back:{a.pk}",
        )
    return a


# --- Replacing a co-unit that sent its assignment back (会办单位退回后的调整) ------------------


def _active_co_units(s: Suggestion) -> list[int]:
    return list(
        Assignment.objects.filter(
            suggestion=s, role=AssignmentRole.CO, status__in=ACTIVE_ASSIGNMENT
        )
        .order_by("id")
        .values_list("unit_id", flat=True)
    )


def co_unit_replace(
    *,
    actor: Actor,
    suggestion_id: int,
    assignment_id: int,
    unit_id: int | None,
    version: int,
) -> Assignment:
    """The congress office settles a co-unit's send-back (会办单位退回) while the lead unit keeps
    handling: another unit takes the co-unit's place (`unit_id`), or none does (`unit_id`
    None: dropped). A lead unit's send-back returns the whole suggestion for a new joint
    assignment instead (`batch_propose` → `batch_confirm`).

    The new co-unit's assignment is made as the joint assignment makes each (`_assign_unit`):
    same batch as the assignment it replaces, N working days to receive or send back, its
    receipt deadline; the unit is told. The lead unit and the government supervision office
    are told of the change.

    Who: congress staff — the congress side of the joint assignment (the desks who confirm a
    batch the supervision office prepared). The government supervision office's confirmation
    is not asked for: the joint assignment it confirmed (the lead unit, the reply clock) is
    unchanged, a co-unit only contributes its opinion to the lead unit's reply, and a second
    confirmation would hold up that opinion while the lead unit's reply clock runs. The
    office is told, and can still supervise or take it up with the congress office.

    `version` is the sent-back assignment's (as the page showed it). Refusals: AccessDenied
    (not congress staff), ConcurrentEdit (stale version), TransitionNotAllowed (not a
    co-unit's send-back, already settled, or the suggestion is not being handled),
    ValidationFailed (no such or an inactive unit, a supervising body) and RuleViolation (the
    unit is already on the suggestion, or is the one that sent it back).

    Returns the sent-back assignment, settled (`replacement` is the new assignment or None).
    One audit event on the suggestion: `suggestions.co_unit.replaced` or `.dropped`."""
    actor = access.require(actor, "suggestions.assignment.replace", _assignment(assignment_id))
    if _assignment(assignment_id).suggestion_id != suggestion_id:
        raise ValidationFailed(_("交办记录不存在。"))
    unit = None if unit_id is None else _handling_unit(unit_id, "unit")
    with transaction.atomic():
        s = _lock(suggestion_id)
        a = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment_id)
        if a.version != version:
            raise ConcurrentEdit(_("该交办已被他人处理，您的操作未执行。请刷新页面后再操作。"))
        if a.role != AssignmentRole.CO:
            raise TransitionNotAllowed(_("主办单位退回的建议须重新联合交办，不能只更换单位。"))
        if a.status != AssignmentStatus.SENT_BACK:
            raise TransitionNotAllowed(
                _("会办单位“%(name)s”未退回交办（当前为“%(state)s”），无需更换。")
                % {"name": a.unit.name, "state": a.get_status_display()}
            )
        if a.settled_at is not None:
            raise TransitionNotAllowed(
                _("会办单位“%(name)s”的退回已处理（已更换或不再指定会办单位）。")
                % {"name": a.unit.name}
            )
        if s.status not in CO_REPLACE_STATES:
            raise TransitionNotAllowed(
                _("该建议当前为“%(state)s”，不能更换会办单位。") % {"state": s.get_status_display()}
            )
        before = _active_co_units(s)
        now = timezone.now()
        new = None
        if unit is not None:
            if unit.pk == a.unit_id:
                raise RuleViolation(
                    _(
                        "“%(name)s”已退回该建议，请选择其他单位；"
                        "如认为退回理由不成立，请先与该单位沟通。"
                    )
                    % {"name": unit.name}
                )
            on = (
                Assignment.objects.filter(suggestion=s, unit=unit, status__in=ACTIVE_ASSIGNMENT)
                .order_by("id")
                .first()
            )
            if on is not None:
                raise RuleViolation(
                    _("“%(name)s”已是该建议的%(role)s单位，请选择其他单位。")
                    % {"name": unit.name, "role": on.get_role_display()}
                )
            new = _assign_unit(
                actor,
                s,
                unit=unit,
                role=AssignmentRole.CO,
                batch_id=a.batch_id,
                now=now,
                respond_by=_respond_by(now),
            )
        versioned.save(a, settled_at=now, replacement=new)
        mine = congress_org_ids(actor)
        audit.event(
            actor,
            "suggestions.co_unit.replaced" if new else "suggestions.co_unit.dropped",
            s,
            s.office_id if s.office_id in mine else min(mine),
            before={"co_units": before},
            after={
                "co_units": _active_co_units(s),
                "sent_back_assignment": a.pk,
                "sent_back_unit": a.unit_id,
                "unit": unit.pk if unit else None,
                "assignment": new.pk if new else None,
                "respond_by": new.respond_by if new else None,
            },
        )
        if new is not None:
            _tell_assigned_unit(s, new)
            title = _("代表建议 %(t)s 的会办单位%(old)s已退回，改由%(new)s会办") % {
                "t": _title(s),
                "old": a.unit.name,
                "new": unit.name,
            }
        else:
            title = _("代表建议 %(t)s 的会办单位%(old)s已退回，不再另行指定会办单位") % {
                "t": _title(s),
                "old": a.unit.name,
            }
        _notify(
            s,
            kind="suggestions.co_unit.replaced" if new else "suggestions.co_unit.dropped",
            recipients=[*users_holding([s.lead_unit_id]), *_gov_office_users()],
            title=title,
            occurrence=f"co_unit_settled:{a.pk}",
        )
    return a


def receipt_moved(deadline: Deadline) -> None:
    """The calendar moved an assignment's receipt deadline: its 签收或退回截止 follows."""
    Assignment.objects.filter(pk=deadline.object_id).update(
        respond_by=deadline.due_at, respond_by_provisional=deadline.provisional
    )
